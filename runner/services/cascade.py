"""`nba-pipeline cascade`: after Phase 3 dates X were corrected and re-backfilled, recompute exactly
the later Phase 3 window, Phase 4 and feature-store dates whose rows read X.

Which rows read X (decisions.md "Cascade", domain.md §4.1), per date model downstream of Phase 3:

- provenance, where the row carries it: feature-store rows whose
  ``historical_completeness.contributing_game_dates`` holds X (yml ``meta.cascade.provenance``);
- season: every model's windows are bounded by the row's season (decisions.md fix 6) and several
  reach the whole season to date (season averages, team records), so a row dated after X in X's
  season reads X when its player played on X, or its team or opponent did;
- opponent history (``meta.cascade.opponent_history_days``): the player's games against the same
  opponent over 365 days, also in the next season;
- league windows (``meta.cascade.league_days``): league averages over every team's games, so
  every row dated X+1 .. X+N;
- own date (``meta.cascade.reads_own_date``): the row of X itself reads X's upcoming context;
- same-date reads: a date recomputed upstream (e.g. team_defense_zone_analysis of D) is
  recomputed in the models that read it on D.

The rows are found by one SQL query compiled by dbt (refs and the dispatched ``array_contains``),
so it runs on DuckDB and BigQuery alike. The dates then go through the backfill runner, one run
per group of consecutive models with the same dates, resume off: ledger, gates and all.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from runner.config import Settings
from runner.console import Console
from runner.dbt import DbtRunner
from runner.errors import EXIT_FAILED, EXIT_OK, UsageError
from runner.project import DateModel, Project, load_project
from runner.services.backfill import BackfillRequest, backfill, make_dbt

PLAYERS_MODEL = "player_game_summary"  # who played on X (and against whom)
TEAMS_MODEL = "team_offense_game_summary"  # which teams played on X
ENTITY_COLUMNS = ("player_lookup", "team_abbr", "opponent_team_abbr")

RULE_TEXT = {
    "provenance": "cites X in {path}",
    "season": "player, team or opponent played on X, same season (season-to-date windows)",
    "opponent_history": "player faced the same opponent on X, within {days} days (opponent history)",
    "league": "league averages over the {days} days after X",
    "own_date": "the row of X reads X's upcoming context",
    "same_date": "reads {upstream} of its own date, recomputed",
}
RULE_ORDER = tuple(RULE_TEXT)


@dataclass(frozen=True)
class CascadeRequest:
    dates: tuple[dt.date, ...]
    dry_run: bool = False
    command_line: str = ""


@dataclass(frozen=True)
class ModelSpec:
    """A date model the cascade looks at, with the rules its rows follow."""

    model: DateModel
    key_column: str  # the row's entity in its key: player_lookup, else team_abbr
    entity_columns: tuple[str, ...]
    has_season: bool
    provenance: str | None = None
    opponent_history_days: int | None = None
    league_days: int | None = None
    reads_own_date: bool = False


@dataclass(frozen=True)
class Hit:
    """Rows of a model dated `date` that read corrected date X by `rule` (one query result row)."""

    model: str
    rule: str
    corrected: dt.date | None
    date: dt.date
    rows: int
    example: str | None = None


@dataclass
class Reason:
    rule: str
    text: str
    corrected: dt.date | None
    dates: list[dt.date] = field(default_factory=list)
    rows: int = 0
    examples: list[str] = field(default_factory=list)


@dataclass
class ModelCascade:
    model: DateModel
    dates: list[dt.date]
    reasons: list[Reason]


@dataclass
class CascadeOutcome:
    corrected: list[dt.date]
    plan: list[ModelCascade]
    exit_code: int = EXIT_OK
    runs: list[Any] = field(default_factory=list)  # BackfillOutcome per run

    @property
    def failure(self) -> str | None:
        if self.exit_code == EXIT_OK:
            return None
        return "cascade: a backfill run failed; `nba-pipeline status` lists the dates"

    def dates(self) -> dict[str, list[dt.date]]:
        return {m.model.name: m.dates for m in self.plan}


# -- which models, which rules (runner.project) ---------------------------------------------------
def model_specs(project: Project) -> list[ModelSpec]:
    """The date models downstream of Phase 3 that read other dates, in dependency order.

    Phase 3 models with same-date reads only (window_days 0) are left out: the corrected dates
    are theirs, re-backfilled before the cascade, and no other date of theirs reads X.
    """
    phase3 = {m.name for m in project.in_phase("phase3")}
    downstream = {d.name for p in phase3 for d in project.dependants(p)}
    specs = []
    for m in project.models.values():
        if m.name not in downstream or (m.phase == "phase3" and m.window_days == 0):
            continue
        columns = set(m.columns)
        meta = m.cascade
        entity = tuple(c for c in ENTITY_COLUMNS if c in columns)
        key = "player_lookup" if "player_lookup" in columns else "team_abbr"
        if key not in columns:
            raise UsageError(f"model {m.name}: the cascade needs a player_lookup or team_abbr column")
        specs.append(ModelSpec(
            model=m,
            key_column=key,
            entity_columns=entity,
            has_season="season_year" in columns,
            provenance=meta.get("provenance"),
            opponent_history_days=_int_or_none(meta.get("opponent_history_days")),
            league_days=_int_or_none(meta.get("league_days")),
            reads_own_date=bool(meta.get("reads_own_date", False)),
        ))
    return specs


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


# -- the query ---------------------------------------------------------------------------------------
def hits_sql(specs: Sequence[ModelSpec], corrected: Sequence[dt.date]) -> str:
    """Jinja SQL (compile it with dbt): one row per (model, rule, X, date) with the rows that read X,
    plus (model, 'rows', NULL, date) for every date of the model after the first X."""
    corrected_rows = "\n    union all\n    ".join(
        f"select {{{{ date_literal('{d.isoformat()}') }}}} as corrected_date" for d in sorted(set(corrected)))
    parts = []
    for s in specs:
        parts.extend(_rule_selects(s))
        dc = s.model.date_column
        parts.append(
            f"select '{s.model.name}' as model_name, 'rows' as rule, cast(null as date) as corrected_date,\n"
            f"        r.{dc} as cascade_date, count(*) as row_count, cast(null as {{{{ dbt.type_string() }}}}) as example\n"
            f"    from {{{{ ref('{s.model.name}') }}}} as r\n"
            f"    where r.{dc} > (select min(corrected_date) from corrected)\n"
            f"    group by r.{dc}"
        )
    return f"""
with corrected as (
    {corrected_rows}
),
cascade_players as (
    select distinct corrected.corrected_date, pgs.season_year, pgs.player_lookup, pgs.opponent_team_abbr
    from {{{{ ref('{PLAYERS_MODEL}') }}}} as pgs
    inner join corrected on pgs.game_date = corrected.corrected_date
),
cascade_teams as (
    select distinct corrected.corrected_date, togs.season_year, togs.team_abbr
    from {{{{ ref('{TEAMS_MODEL}') }}}} as togs
    inner join corrected on togs.game_date = corrected.corrected_date
)
{" union all ".join(f"({p})" for p in parts)}
"""


def _rule_selects(s: ModelSpec) -> list[str]:
    name, dc, key = s.model.name, s.model.date_column, s.key_column
    ref = f"{{{{ ref('{name}') }}}}"
    out = []

    def grouped(rule: str, body: str) -> str:
        return (f"select '{name}' as model_name, '{rule}' as rule, hits.corrected_date,\n"
                f"        hits.cascade_date, count(distinct hits.row_key) as row_count, min(hits.row_key) as example\n"
                f"    from ({body}) as hits\n"
                f"    group by hits.corrected_date, hits.cascade_date")

    def row(extra: str = "") -> str:
        return f"select e.corrected_date, r.{dc} as cascade_date, r.{key} as row_key{extra}"

    if s.has_season:
        joins = []
        if "player_lookup" in s.entity_columns:
            joins.append(f"{row()} from {ref} as r inner join cascade_players as e "
                         f"on r.season_year = e.season_year and r.player_lookup = e.player_lookup "
                         f"where r.{dc} > e.corrected_date")
        for col in ("team_abbr", "opponent_team_abbr"):
            if col in s.entity_columns:
                joins.append(f"{row()} from {ref} as r inner join cascade_teams as e "
                             f"on r.season_year = e.season_year and r.{col} = e.team_abbr "
                             f"where r.{dc} > e.corrected_date")
        if joins:
            out.append(grouped("season", " union all ".join(joins)))
    if s.provenance:
        out.append(grouped("provenance", (
            f"{row()} from {ref} as r inner join corrected as e on r.{dc} > e.corrected_date "
            f"where {{{{ array_contains('r.{s.provenance}', 'e.corrected_date') }}}}")))
    if s.opponent_history_days and {"player_lookup", "opponent_team_abbr"} <= set(s.entity_columns):
        out.append(grouped("opponent_history", (
            f"{row()} from {ref} as r inner join cascade_players as e "
            f"on r.player_lookup = e.player_lookup and r.opponent_team_abbr = e.opponent_team_abbr "
            f"where r.{dc} > e.corrected_date and r.{dc} <= cast("
            f"{{{{ dbt.dateadd('day', {s.opponent_history_days}, 'e.corrected_date') }}}} as date)")))
    if s.league_days:
        out.append(grouped("league", (
            f"{row()} from {ref} as r inner join corrected as e on r.{dc} > e.corrected_date "
            f"and r.{dc} <= cast({{{{ dbt.dateadd('day', {s.league_days}, 'e.corrected_date') }}}} as date)")))
    if s.reads_own_date:
        out.append(grouped("own_date", (
            f"{row()} from {ref} as r inner join corrected as e on r.{dc} = e.corrected_date")))
    return out


# -- from hits to the plan (pure) ------------------------------------------------------------------
def assemble(specs: Sequence[ModelSpec], hits: Iterable[Hit], examples: int = 3) -> list[ModelCascade]:
    """Per model (dependency order): the dates to recompute and why.

    A date recomputed in an upstream date model is recomputed in a model that reads it on the same
    date, where that model has rows on it (Phase 4 and the feature store read Phase 4 exact-date).
    """
    by_model: dict[str, list[Hit]] = defaultdict(list)
    row_dates: dict[str, set[dt.date]] = defaultdict(set)
    for h in hits:
        if h.rule == "rows":
            row_dates[h.model].add(h.date)
        else:
            by_model[h.model].append(h)
    plan: list[ModelCascade] = []
    chosen: dict[str, set[dt.date]] = {}
    for s in specs:
        name = s.model.name
        reasons: dict[tuple[str, dt.date | None, str], Reason] = {}
        for h in sorted(by_model.get(name, []), key=lambda h: (RULE_ORDER.index(h.rule), h.corrected, h.date)):
            text = RULE_TEXT[h.rule].format(path=s.provenance, days=s.opponent_history_days
                                            if h.rule == "opponent_history" else s.league_days)
            r = reasons.setdefault((h.rule, h.corrected, ""), Reason(h.rule, text, h.corrected))
            r.dates.append(h.date)
            r.rows += h.rows
            if h.example and len(r.examples) < examples:
                r.examples.append(f"{h.date} {h.example}")
        readers = [u for u in s.model.upstream if (chosen.get(u) or set()) & row_dates.get(name, set())]
        if readers:
            same = sorted(set().union(*(chosen[u] for u in readers)) & row_dates.get(name, set()))
            reasons[("same_date", None, "")] = Reason(
                "same_date", RULE_TEXT["same_date"].format(upstream=", ".join(readers)), None, same, 0, [])
        dates = sorted({d for r in reasons.values() for d in r.dates})
        chosen[name] = set(dates)
        if dates:
            plan.append(ModelCascade(s.model, dates, list(reasons.values())))
    return plan


def run_groups(plan: Sequence[ModelCascade]) -> list[tuple[list[str], list[dt.date]]]:
    """Consecutive models (dependency order) with the same dates share one backfill run."""
    groups: list[tuple[list[str], list[dt.date]]] = []
    for m in plan:
        if groups and groups[-1][1] == m.dates:
            groups[-1][0].append(m.model.name)
        else:
            groups.append(([m.model.name], list(m.dates)))
    return groups


def compact_dates(dates: Sequence[dt.date], limit: int = 6) -> str:
    """`2024-11-23..2024-11-26, 2024-11-28 (+3 more)`: runs of consecutive days joined."""
    runs: list[list[dt.date]] = []
    for d in sorted(set(dates)):
        if runs and (d - runs[-1][-1]).days == 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    text = [f"{r[0]}..{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    more = len(text) - limit
    return ", ".join(text[:limit]) + (f" (+{more} more)" if more > 0 else "")


# -- the service -------------------------------------------------------------------------------------
def find(settings: Settings, dbt: DbtRunner, corrected: Sequence[dt.date]) -> tuple[list[ModelSpec], list[Hit]]:
    """The models the cascade looks at and the rows that read the corrected dates (one query)."""
    from runner.warehouse import open_warehouse

    specs = model_specs(load_project(dbt.manifest, settings.project_dir))
    if not specs:
        return specs, []
    sql = dbt.compile_inline(hits_sql(specs, corrected))
    with open_warehouse(settings) as wh:
        rows = wh.rows(sql)
    return specs, [Hit(m, rule, as_date(x), as_date(d), int(n), e) for m, rule, x, d, n, e in rows]


def as_date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def cascade(
    settings: Settings,
    console: Console,
    request: CascadeRequest,
    dbt_factory: Callable[[Settings], DbtRunner] | None = None,
    backfill_fn: Callable[..., Any] | None = None,
) -> CascadeOutcome:
    corrected = sorted(set(request.dates))
    if not corrected:
        raise UsageError("give the corrected dates: --dates YYYY-MM-DD[,YYYY-MM-DD...]")
    dbt = (dbt_factory or make_dbt)(settings)
    specs, hits = find(settings, dbt, corrected)
    plan = assemble(specs, hits)
    outcome = CascadeOutcome(corrected, plan)
    show_plan(console, corrected, plan, request.dry_run)
    if request.dry_run or not plan:
        return outcome
    run = backfill_fn or backfill
    for models, dates in run_groups(plan):
        console.info(f"cascade: {', '.join(models)} on {len(dates)} date(s): {compact_dates(dates)}")
        result = run(settings, console, BackfillRequest(
            dates=tuple(dates), select=tuple(models), resume=False,
            command_line=request.command_line or f"nba-pipeline cascade --dates {','.join(map(str, corrected))}",
        ), dbt_factory=lambda _settings: dbt)
        outcome.runs.append(result)
        if getattr(result, "exit_code", EXIT_OK) != EXIT_OK:
            outcome.exit_code = EXIT_FAILED
            break
    if outcome.exit_code == EXIT_OK:
        total = sum(len(m.dates) for m in plan)
        console.success(f"cascade of {', '.join(map(str, corrected))}: {total} (model, date) recomputed "
                        f"in {len(outcome.runs)} backfill run(s)")
    return outcome


def show_plan(console: Console, corrected: Sequence[dt.date], plan: Sequence[ModelCascade], dry_run: bool) -> None:
    shown = ", ".join(map(str, corrected))
    if not plan:
        console.success(f"no later row reads {shown}: nothing to recompute")
        return
    console.table(
        f"Cascade of {shown}{' (dry run)' if dry_run else ''}: dates to recompute per model",
        ["model", "dates", "first", "last", "which dates"],
        [(m.model.name, len(m.dates), m.dates[0], m.dates[-1], compact_dates(m.dates)) for m in plan],
    )
    rows = []
    for m in plan:
        for r in m.reasons:
            rows.append((m.model.name, r.corrected or "", r.text, r.rows or "", len(r.dates),
                         "; ".join(r.examples)))
    console.table("Why: the rows that read the corrected dates X",
                  ["model", "X", "rule", "rows", "dates", "first examples (date, row)"], rows)
    if dry_run:
        console.success("dry run: nothing was recomputed")
