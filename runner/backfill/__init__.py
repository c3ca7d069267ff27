"""The backfill's parts (runner/services/backfill.py orchestrates them): project model (from the manifest), planner
and plan, queries, execute, gates, bookkeeping, report, ledger store, progress events."""
