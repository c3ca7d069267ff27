"""Per model, which dates a run does: chunks of the runnable dates, the dates blocked by a bad upstream
date or by Phase 3 not ready in their own window (domain.md §6.4), the incomplete-window notes, and
the plan and readiness tables. The pure rules are in planner.py; this module reads the warehouse."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

from runner.backfill import planner, queries
from runner.backfill.planner import BAD, BLOCKED, FAILED, SKIPPED_BOOTSTRAP, SKIPPED_NO_GAMES, Calendar, Chunk, ModelPlan
from runner.backfill.run import RunState
from runner.project import DateModel


def chunks_of(run: RunState, model: DateModel, runnable: Sequence[dt.date], calendar: Calendar) -> list[Chunk]:
    """Chunks of the dates to run; every other game date of the run keeps its rows."""
    keep = {d for d in calendar.game_dates if run.days[0] <= d <= run.days[-1]} - set(runnable)
    return planner.split_chunks(model.name, runnable, keep, run.request.chunk_days)


def print_plan(run: RunState, plans: list[ModelPlan], calendar: Calendar) -> None:
    rows = []
    for p in plans:
        chunks = chunks_of(run, p.model, p.todo, calendar)
        counts = Counter(p.skipped.values())
        rows.append((p.model.phase, p.model.name, len(run.days), len(p.todo), len(p.done),
                     counts[SKIPPED_NO_GAMES], counts[SKIPPED_BOOTSTRAP], len(chunks)))
    span = f"{run.days[0]}..{run.days[-1]}"
    run.console.table(
        f"Backfill plan {span}{' (dry run)' if run.request.dry_run else ''}, run {run.run_id}",
        ["phase", "model", "days", "to do", "done already", "no games", "bootstrap", "chunks"],
        rows,
    )


def print_readiness(run: RunState, plans: list[ModelPlan], calendar: Calendar) -> None:
    """The dry run's per-date readiness: each Phase 4 / feature date to do, judged on its own
    window (the Phase 3 dates this run would build count as there)."""
    planned = {d for p in plans if p.model.phase == "phase3" for d in p.todo}
    rows = []
    for p in plans:
        if p.model.phase == "phase3" or not p.todo:
            continue
        not_ready = not_ready_dates(run, p.model, calendar, p.todo, planned)
        first = min(not_ready, default=None)
        rows.append((p.model.phase, p.model.name, len(p.todo), len(p.todo) - len(not_ready), len(not_ready),
                     f"{first}: {not_ready[first]}" if first else ""))
    if rows:
        run.console.table(
            "Readiness per date: Phase 3 in each date's own window "
            f"(≥ {run.project.threshold('phase3_ready_pct'):g} % of its game dates)",
            ["phase", "model", "dates", "ready", "not ready", "first not ready"],
            rows,
        )


def bad_upstream_dates(run: RunState, model: DateModel, ledger, missing) -> dict[str, dict[dt.date, str]]:
    out: dict[str, dict[dt.date, str]] = {}
    selected = {m.name for m in run.selected}
    for upstream in model.upstream:
        if upstream in selected:
            out[upstream] = run.bad.get(upstream, {})
        else:
            previous = {d: f"{s} in an earlier run" for d, s in ledger.get(upstream, {}).items() if s in BAD}
            if not run.request.force:
                previous.update(missing.get(upstream, {}))
            out[upstream] = previous
    return out


def not_ready_dates(run: RunState, model: DateModel, calendar: Calendar, days: Iterable[dt.date],
               planned: Iterable[dt.date] = ()) -> dict[dt.date, str]:
    """Phase 4 and feature dates whose own window is not ready (domain.md §6.4, judged per
    date): Phase 3 holds rows on fewer than phase3_ready_pct % of the non-bootstrap game dates
    in the date's window. A Phase 3 date that failed or was blocked counts as accounted for (the
    dates reading it are built and flagged, see _incomplete); `planned` are Phase 3 dates
    the run will build (the dry run)."""
    if model.phase == "phase3" or run.request.force or not days:
        return {}
    days = sorted(days)
    # production's expected dates: the schedule's game dates minus the season bootstrap days
    games = {d for d in calendar.game_dates - calendar.bootstrap_dates if d <= days[-1]}
    present = phase3_dates(run, days[0] - dt.timedelta(days=model.window_days), days[-1])
    ready = set.intersection(*present.values()) if present else set()
    for m in run.project.in_phase("phase3"):
        ready |= set(run.bad.get(m.name, {}))
    ready |= set(planned)
    pct = run.project.threshold("phase3_ready_pct")
    out = {}
    for day, short in planner.window_readiness(model, games, ready, days, pct).items():
        lacking = [name for name, dates in present.items() if short.missing[0] not in dates]
        out[day] = f"Phase 3 {short.describe()} (no rows there in {', '.join(lacking)})"
    return out


def phase3_dates(run: RunState, first: dt.date, last: dt.date) -> dict[str, set[dt.date]]:
    """The dates each Phase 3 table holds rows on (cached until Phase 3 is rewritten)."""
    key = (first, last, tuple(len(run.rerun.get(m.name, ())) for m in run.project.in_phase("phase3")))
    if run.ready_cache.get("key") != key:
        run.ready_cache = {"key": key, "dates": {
            m.name: queries.dates_with_rows(run, m.relation_name, m.date_column, [first, last])
            for m in run.project.in_phase("phase3")}}
    return run.ready_cache["dates"]


def incomplete(run: RunState, model: DateModel, bad_upstream, runnable: Sequence[dt.date]) -> dict[dt.date, str]:
    """The ledger note of each date to build whose window reads a failed or blocked upstream
    date: which date, and whether the window read its last published rows or went without."""
    hits = planner.incomplete_windows(model, bad_upstream, runnable)
    published: dict[str, set[dt.date]] = {}
    notes: dict[dt.date, str] = {}
    for day, misses in hits.items():
        parts = []
        for upstream, bad_day in misses[:3]:
            if upstream not in published:
                up = run.project.models[upstream]
                bad_days = sorted(bad_upstream[upstream])
                published[upstream] = queries.dates_with_rows(run, up.relation_name, up.date_column,
                                                             [bad_days[0], bad_days[-1]])
            kept = ("its last published rows read" if bad_day in published[upstream]
                    else "no published rows, read without them")
            parts.append(f"{upstream} {bad_day} {status_of(run, upstream, bad_day)} ({kept})")
        notes[day] = f"{planner.INCOMPLETE_WINDOW}: " + "; ".join(parts) + (" …" if len(misses) > 3 else "")
    return notes


def status_of(run: RunState, model: str, day: dt.date) -> str:
    """How an upstream date went bad: failed or blocked in this run, else the pre-flight's or the
    ledger's words ("failed in an earlier run", "no … rows on this date")."""
    if day in run.outcome.failed.get(model, {}):
        return FAILED
    if day in run.outcome.blocked.get(model, {}):
        return BLOCKED
    return run.bad.get(model, {}).get(day) or FAILED
