"""The run's ledger bookkeeping: its run row (started, finished with its counts), the skipped and blocked
dates, and the counts of what this run wrote."""
from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Sequence

from runner.backfill import crashpoints
from runner.backfill.planner import BLOCKED, FAILED, RUNNING, SKIPPED_BOOTSTRAP, SKIPPED_NO_GAMES, SUCCEEDED, ModelPlan
from runner.backfill.run import RunState, first_of, skip_reason, utc_now
from runner.backfill.store import LedgerRow, LockHolder
from runner.errors import EXIT_FAILED, EXIT_OK
from runner.project import DateModel


def start_run_row(run: RunState, holder: LockHolder) -> None:
    run.store.ensure_tables()
    r = run.request
    run.store.start_run({
        "run_id": run.run_id,
        "command_line": r.command_line,
        "selection": ",".join(m.name for m in run.selected),
        "start_date": run.days[0],
        "end_date": run.days[-1],
        "options": (f"resume={r.resume} force={r.force} include_bootstrap={r.include_bootstrap} "
                    f"chunk_days={r.chunk_days} fail_fast={r.fail_fast} dates={len(r.dates) or 'range'}"),
        "host": holder.host,
        "pid": holder.pid,
        "status": RUNNING,
        "log_path": str(run.outcome.log_path),
        "started_at": utc_now(),
    })


def record_skips(run: RunState, plans: list[ModelPlan], ledger: dict[str, dict[dt.date, str]]) -> None:
    rows = [
        LedgerRow(p.model.name, day, status, run.run_id, reason=skip_reason(status), finished_at=utc_now())
        for p in plans
        for day, status in p.skipped.items()
        if ledger.get(p.model.name, {}).get(day) != status
    ]
    run.store.write_ledger(rows)
    count(run, rows)


def write_blocked(run: RunState, model: DateModel, blocked: dict[dt.date, str]) -> None:
    if not blocked:
        return
    rows = [LedgerRow(model.name, d, BLOCKED, run.run_id, reason=r, finished_at=utc_now())
            for d, r in sorted(blocked.items())]
    run.store.write_ledger(rows)
    run.bad[model.name].update(blocked)
    run.outcome.blocked.setdefault(model.name, {}).update(blocked)
    count(run, rows)


def count(run: RunState, rows: Sequence[LedgerRow]) -> dict[str, int]:
    counts = dict(Counter(r.status for r in rows))
    for status, n in counts.items():
        run.outcome.counts[status] = run.outcome.counts.get(status, 0) + n
    return counts


def finish(run: RunState, started: float) -> tuple[Counter[str], list[str]]:
    """The run's exit code from the ledger's final state of its dates, and its run row finished
    with the counts and errors. Returns the final statuses and the error lines."""
    names = [m.name for m in run.selected]
    final = Counter(r.status for r in run.store.read_ledger(names, run.days[0], run.days[-1])
                    if r.date in set(run.days))
    bad = final[FAILED] + final[BLOCKED] + final[RUNNING]
    run.outcome.exit_code = EXIT_FAILED if bad or run.stop or run.view_errors else EXIT_OK
    errors = list(run.view_errors)
    for name, dates in run.outcome.failed.items():
        days = sorted(dates)
        errors.append(f"{name}: {len(days)} date(s) failed ({first_of(days, 5)}): {dates[days[0]]}")
    crashpoints.reached("run_finish")
    run.store.finish_run(run.run_id, {
        "status": "failed" if run.outcome.exit_code else SUCCEEDED,
        "succeeded": run.outcome.counts.get(SUCCEEDED, 0),
        "failed": run.outcome.counts.get(FAILED, 0),
        "blocked": run.outcome.counts.get(BLOCKED, 0),
        "skipped": run.outcome.counts.get(SKIPPED_NO_GAMES, 0) + run.outcome.counts.get(SKIPPED_BOOTSTRAP, 0),
        "duration_seconds": round(time.monotonic() - started, 2),
        "errors": "\n".join(errors) or None,
        "finished_at": utc_now(),
    })
    return final, errors
