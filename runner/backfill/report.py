"""What a run prints after its chunks: the counts, the failed, blocked and incomplete dates, the end line
(or the error that fails the run), the cascade to run after a Phase 3 re-backfill, and the profile."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from runner.backfill.planner import BLOCKED, FAILED, SUCCEEDED
from runner.backfill.run import RunState, first_of
from runner.console import Console
from runner.errors import PipelineError
from runner.profile import Timings


def print_counts(run: RunState) -> None:
    """The run's last event, and what it wrote per status."""
    run.progress.event("run_finished", run_id=run.run_id, exit_code=run.outcome.exit_code,
                       seconds=round(run.outcome.seconds, 2), phase_seconds=run.outcome.phase_seconds,
                       counts=run.outcome.counts)
    run.console.table(
        f"Backfill run {run.run_id}: (model, date) written this run",
        ["status", "count"],
        sorted(run.outcome.counts.items()),
    )


def print_end(run: RunState, final: Counter[str], errors: list[str]) -> None:
    """The failed, blocked and incomplete dates, then the end line; a run that failed raises."""
    log = f"; full log: {run.outcome.log_path}" if run.outcome.log_path else ""
    if run.outcome.exit_code:
        for line in errors:
            run.console.error(line)
        for name, dates in run.outcome.blocked.items():
            days = sorted(dates)
            run.console.warn(f"{name}: {len(days)} date(s) blocked ({first_of(days, 5)}): {dates[days[0]]}")
    for name, dates in run.outcome.incomplete.items():
        days = sorted(dates)
        run.console.warn(f"{name}: {len(days)} date(s) built on an incomplete window ({first_of(days, 5)}): "
                         f"{dates[days[0]]}")
    if run.outcome.exit_code:
        raise PipelineError(
            f"backfill {run.run_id}: {final[FAILED]} (model, date) failed, {final[BLOCKED]} blocked"
            f"{', stopped at the first failure (--fail-fast)' if run.stop else ''}; "
            f"`nba-pipeline status` lists them{log}"
        )
    phases = ", ".join(f"{p} {s:.1f}s" for p, s in run.outcome.phase_seconds.items())
    run.console.success(
        f"backfill {run.run_id}: {run.outcome.chunks_run} chunk(s) in {run.outcome.seconds:.1f}s"
        f"{' (' + phases + ')' if phases else ''}; every selected model × date succeeded or was skipped{log}"
    )


def suggest_cascade(run: RunState, ledger: dict[str, dict[dt.date, str]]) -> None:
    """After a re-backfill of Phase 3 dates, print the cascade that refreshes the rows reading them."""
    from runner.backfill.planner import cascade_suggestion as suggestion

    phase3 = [m.name for m in run.project.in_phase("phase3")]
    redone = sorted({d for name in phase3 for d in run.rerun.get(name, ())
                     if ledger.get(name, {}).get(d) == SUCCEEDED})
    if not redone:
        return
    # rows this run did not rewrite: after the run's last day for the models it ran, after
    # the first redone date for the others (a full re-backfill of a range needs no cascade)
    later = any(
        run.store.relation_exists(m.relation_name) and run.store.query(
            f"select count(*) from {m.relation_name} where {m.date_column} > ?",
            [run.days[-1] if run.rerun.get(m.name) else redone[0]])[0][0]
        for m in run.project.models.values() if m.phase != "phase3"
    )
    command = suggestion(run.rerun, ledger, phase3, later)
    if command:
        run.console.warn(f"Phase 3 dates were rewritten after they had succeeded; later Phase 4 and "
                          f"feature rows may read them. Check and refresh them with: {command} "
                          "(then without --dry-run)")


def print_profile(console: Console, parts: list[tuple[str, float]], timings: Timings) -> None:
    total = sum(seconds for _, seconds in parts) or 1.0
    console.table(
        f"Where the time went ({timings.counts['dbt invocations']} dbt invocation(s); "
        "compile and SQL as dbt times its nodes)",
        ["part", "seconds", "share"],
        [(part, f"{seconds:.2f}", f"{100 * seconds / total:.0f} %") for part, seconds in parts]
        + [("total", f"{total:.2f}", "100 %")],
    )
