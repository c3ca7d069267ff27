"""The backfill runner: project model (from the manifest), planner, ledger store, progress."""
