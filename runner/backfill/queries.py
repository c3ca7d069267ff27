"""The backfill's reads before and around its chunks: the raw rows changed since they were counted, the
accounting gate, the schedule, the ledger, the pre-flight of upstream rows, the upcoming context's
players, and the quarantined rows of failed dates."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from runner.backfill import gate_sql
from runner.backfill.planner import Calendar, ModelPlan
from runner.backfill.run import (
    ACCOUNTING_MODEL,
    CALENDAR_SQL,
    CONTEXT_MODEL,
    CONTEXT_REFERENCE,
    FRESHNESS_MODEL,
    QUARANTINE_MODEL,
    RunState,
    first_of,
    short_relation,
)
from runner.errors import PipelineError, UsageError
from runner.project import DateModel
from runner.warehouse import as_date


def raw_changed_dates(run: RunState) -> set[dt.date]:
    """Dates of the run whose raw rows changed after an earlier run counted them (added,
    edited or deleted rows: raw_accounting_freshness). The models that read raw rows redo
    them, succeeded or not, and the cascade carries the change downstream: a repaired feed
    is never left half-applied by a resume."""
    relation = run.project.relations.get(FRESHNESS_MODEL)
    if relation is None or not run.store.relation_exists(relation):
        return set()
    rows = run.store.query(
        f"select distinct accounting_date from {relation} where accounting_date between ? and ? "
        "and accounting_state in ('raw_rows_changed', 'raw_rows_gone')", [run.days[0], run.days[-1]])
    changed = {as_date(r[0]) for r in rows}
    if changed:
        days = sorted(changed)
        run.progress.message("info", f"raw rows changed after they were counted on {len(days)} date(s) "
                                      f"({first_of(days, 5)}): the models reading raw rows redo them")
    return changed


def check_accounting(run: RunState) -> None:
    """Every raw row counted once: a table and date whose accounting does not balance fails the run."""
    relation = run.project.relations.get(ACCOUNTING_MODEL)
    if relation is None or not run.store.relation_exists(relation):
        raise PipelineError(f"{ACCOUNTING_MODEL} was not built: the raw rows of the range are not counted")
    rows = run.store.query(
        f"select source_table, accounting_date, raw_rows, unaccounted_rows from {relation} "
        "where not is_balanced order by 1, 2")
    if rows:
        listed = "; ".join(f"{t} {d}: {u} of {n} raw rows unaccounted" for t, d, n, u in rows[:5])
        raise PipelineError(f"the raw-row accounting does not balance ({len(rows)} table-dates): {listed}"
                            f"{' …' if len(rows) > 5 else ''}")


def adapter_type(run: RunState) -> str | None:
    return run.project.adapter_type


def read_calendar(run: RunState) -> Calendar:
    """The game dates of the run's days, and of the windows before them (per-date readiness)."""
    sql = gate_sql.compile_once(run, {"calendar": CALENDAR_SQL})["calendar"]
    reach = max((m.window_days for m in run.selected), default=0)
    try:
        rows = run.store.query(
            f"select game_date, is_bootstrap from ({sql}) as schedule where game_date between ? and ?",
            [run.days[0] - dt.timedelta(days=reach), run.days[-1]],
        )
    except Exception as exc:  # staging is missing (a dry run builds nothing)
        raise UsageError(
            f"cannot read the schedule ({type(exc).__name__}); build staging first: "
            "`nba-pipeline build --select staging`"
        ) from exc
    # every game date of the span, also those --dates leaves out: a chunk must not span them
    return Calendar(frozenset(d for d, _ in rows), frozenset(d for d, b in rows if b))


def read_ledger(run: RunState) -> dict[str, dict[dt.date, str]]:
    names = {m.name for m in run.selected} | {u for m in run.selected for u in m.upstream}
    out: dict[str, dict[dt.date, str]] = defaultdict(dict)
    for row in run.store.read_ledger(sorted(names), run.days[0], run.days[-1]):
        out[row.model][row.date] = row.status
    return out


def preflight(run: RunState, plans: list[ModelPlan], calendar: Calendar) -> dict[str, dict[dt.date, str]]:
    """Per phase, the upstream rows present or missing on the game dates to do.

    Upstream = the raw sources the phase reads (dates with no rows are
    reported; the gates decide) and the date models it reads that this run
    does not build (their missing dates block the dependants' dates,
    unless --force). Returns those missing dates per upstream model.
    """
    selected = {m.name for m in run.selected}
    report: list[tuple] = []
    missing: dict[str, dict[dt.date, str]] = defaultdict(dict)
    for phase in run.project.phases:
        phase_plans = [p for p in plans if p.model.phase == phase and p.todo]
        if not phase_plans:
            continue
        todo = sorted({d for p in phase_plans for d in p.todo})
        upstream_models = sorted({u for p in phase_plans for u in p.model.upstream if u not in selected})
        sources = sorted({src for p in phase_plans for src in p.model.sources})
        for name in upstream_models:
            up = run.project.models[name]
            present = dates_with_rows(run, up.relation_name, up.date_column, todo)
            # a model that writes nothing on bootstrap days is not missing there
            rightly_empty = (calendar.bootstrap_dates
                             if up.bootstrap == "skip" and not run.request.include_bootstrap else frozenset())
            gone = [d for d in todo if d not in present and d not in rightly_empty]
            for d in gone:
                missing[name][d] = f"no {name} rows on this date (not built by this run)"
            report.append((phase, name, len(todo), len(todo) - len(gone), len(gone), first_of(gone)))
        for source in sources:
            present = source_dates(run, source, todo)
            if present is None:
                continue
            gone = [d for d in todo if d not in present]
            report.append((phase, short_relation(source), len(todo), len(todo) - len(gone), len(gone),
                           first_of(gone)))
    if report:
        run.console.table(
            "Pre-flight: upstream rows on the game dates to do",
            ["phase", "upstream", "dates", "present", "missing", "first missing"],
            report,
        )
    check_context_rows(run, calendar)
    return missing


def check_context_rows(run: RunState, calendar: Calendar) -> None:
    """Warn, do not abort, when the upcoming context is short of player_game_summary's players on a
    date (decisions.md fix 17): the models fall back on exactly those dates, and each date's own gates
    decide."""
    models = run.project.models
    if CONTEXT_MODEL not in models or CONTEXT_REFERENCE not in models:
        return
    ctx, ref = models[CONTEXT_MODEL], models[CONTEXT_REFERENCE]
    for m in (ctx, ref):
        if not run.store.relation_exists(m.relation_name) or "player_lookup" not in run.store.columns(m.relation_name):
            return
    pct = run.project.threshold("upcg_fallback_pct")
    rows = run.store.query(
        f"""
        with ctx as (select {ctx.date_column} as d, count(distinct player_lookup) as n from {ctx.relation_name}
                     where {ctx.date_column} between ? and ? group by 1),
             ref as (select {ref.date_column} as d, count(distinct player_lookup) as n from {ref.relation_name}
                     where {ref.date_column} between ? and ? group by 1)
        select ref.d, ctx.n, ref.n from ref join ctx on ctx.d = ref.d
        where ctx.n > 0 and 100.0 * ctx.n < {pct} * ref.n
        order by 1
        """,
        [run.days[0], run.days[-1]] * 2,
    )
    if rows:
        listed = ", ".join(f"{d} ({c}/{r})" for d, c, r in rows[:5])
        run.progress.message(
            "warn",
            f"{CONTEXT_MODEL} holds fewer than {pct:g} % of {CONTEXT_REFERENCE}'s players on {len(rows)} "
            f"date(s): {listed}{' …' if len(rows) > 5 else ''}. Stale or partial rows: re-run "
            f"`nba-pipeline backfill --select {CONTEXT_MODEL} --no-resume --dates ...` for them; Phase 4 "
            "otherwise falls back to a context built from player_game_summary.",
        )


def dates_with_rows(run: RunState, relation: str, column: str, days: Sequence[dt.date]) -> set[dt.date]:
    if not days or not run.store.relation_exists(relation):
        return set()
    rows = run.store.query(
        f"select distinct {column} from {relation} where {column} between ? and ?", [days[0], days[-1]]
    )
    return {r[0] for r in rows}


def source_dates(run: RunState, relation: str, days: Sequence[dt.date]) -> set[dt.date] | None:
    if not run.store.relation_exists(relation) or "game_date" not in run.store.columns(relation):
        return None
    return dates_with_rows(run, relation, "game_date", days)


def quarantined_on(run: RunState, model: DateModel, days: Sequence[dt.date]) -> dict[dt.date, str]:
    """For failed dates: the raw rows of the model's sources quarantined on each, by table and
    reason, so that a date below its coverage gate says which rows staging kept out."""
    relation = run.project.relations.get(QUARANTINE_MODEL)
    tables = sorted({short_relation(s).split(".")[-1] for s in model.sources})
    if not days or not tables or relation is None or not run.store.relation_exists(relation):
        return {}
    marks = ", ".join("?" for _ in days)
    names = ", ".join("?" for _ in tables)
    rows = run.store.query(
        f"select game_date, source_table, reason, count(*) from {relation} "
        f"where game_date in ({marks}) and source_table in ({names}) group by 1, 2, 3 order by 1, 2, 3",
        [*days, *tables])
    per_day: dict[dt.date, dict[str, list[tuple[str, int]]]] = defaultdict(lambda: defaultdict(list))
    for day, table, reason, n in rows:
        per_day[as_date(day)][table].append((reason, int(n)))
    return {
        day: "quarantined raw rows on this date: " + "; ".join(
            f"{table} {sum(n for _, n in reasons)} ({', '.join(f'{r} {n}' for r, n in reasons)})"
            for table, reasons in sorted(tables_.items()))
        for day, tables_ in per_day.items()
    }


def read_failures(run: RunState, relation: str) -> list[dict[str, Any]]:
    if not run.store.relation_exists(relation):
        return []
    cols = run.store.columns(relation)
    return [dict(zip(cols, r)) for r in run.store.query(f"select * from {relation}")]
