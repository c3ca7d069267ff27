"""Partition pruning proof: on BigQuery, a date-range run of an incremental model reads only the
partitions its windows need.

Every incremental model is compiled offline for the bigquery target in incremental mode (the
connection is a stub and `get_relation` answers with a table, so `is_incremental()` is true)
with a run range, and each compiled query is parsed with sqlglot's BigQuery dialect. Every read
of a date-partitioned relation must carry, as top-level conjuncts of its own WHERE or JOIN ON, a
filter on that relation's date column bounded below by (range start - the model's declared
lookback) and above by the range end: no full-table scan, no history beyond what the model says
it needs.

Which relations are partitioned, and on which column, comes from the manifest: the models'
`partition_by` configs, the raw sources (their date column, `nba_raw_tables()`), and the staging
views over one source (their dedup partitions include the date column, macros/staging/
classify_raw_rows.sql, so a date filter on the view reaches the source's partitions). The
lookback a model may read is its yml `meta.lookback_days`; the widest read must reach exactly
that far back, so the declaration stays honest.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import sqlglot
from sqlglot import exp

# Reads allowed to scan a whole relation, with the reason. Keyed by (reading model or ephemeral,
# relation name). Nothing else may scan without a date filter.
FULL_SCAN_ALLOWED = {
    ("int_season_calendar", "stg_nba_raw__nbac_schedule"): (
        "one row per season_year: its opener is the minimum over the season's games, so a date "
        "filter would move the opener of a season cut by the window; the schedule is ~1,300 games "
        "a season (well under 1 MB a season: a fixed, negligible cost per run)"
    ),
}


# Raw sources a staging view may read whole besides its own source: the schedule's games and the
# games' lengths, the lookups of the row rules game_not_on_schedule and minutes_above_game_length
# (macros/staging/schedule_match.sql). Joined on the game's date too, so an engine that carries
# the date filter across the join prunes them as well; whole, they are ~4,000 small rows a season.
STAGING_LOOKUP_SOURCES = {
    "nbac_schedule": "the schedule's games (base_nba_raw__nbac_schedule_games)",
    "nbac_team_boxscore": "the games' lengths (base_nba_raw__nbac_team_boxscore_game_lengths)",
}


@dataclass(frozen=True)
class Partitioned:
    relation: str  # schema.name
    date_column: str
    why: str


def _key(schema: str, name: str) -> str:
    return f"{schema}.{name}".lower()


def partitioned_relations(manifest: dict, source_dates: dict[str, str]) -> dict[str, Partitioned]:
    """Every relation a query may read that is partitioned by a date, directly or through a view."""
    out: dict[str, Partitioned] = {}
    source_column: dict[str, str] = {}
    for uid, src in manifest["sources"].items():
        if src["name"] in source_dates:
            column = source_dates[src["name"]]
            source_column[uid] = column
            out[_key(src["schema"], src["identifier"])] = Partitioned(
                src["name"], column, "raw source, partitioned by its date column in production")
    nodes = manifest["nodes"]

    def sources_of(uid: str, seen: set[str]) -> set[str]:
        found: set[str] = set()
        for dep in nodes[uid]["depends_on"]["nodes"]:
            if dep in source_column:
                found.add(dep)
            elif dep in nodes and dep not in seen and nodes[dep]["config"]["materialized"] in ("view", "ephemeral"):
                seen.add(dep)
                found |= sources_of(dep, seen)
        return found

    for uid, node in nodes.items():
        if node["resource_type"] != "model":
            continue
        key = _key(node["schema"], node["alias"])
        partition = node["config"].get("partition_by")
        if partition:
            out[key] = Partitioned(node["name"], partition["field"], "partition_by")
        elif node["config"]["materialized"] == "view":
            sources = sources_of(uid, set())
            own = [s for s in sources if node["name"].endswith("__" + manifest["sources"][s]["name"])]
            lookups = {s for s in sources if manifest["sources"][s]["name"] in STAGING_LOOKUP_SOURCES}
            if len(sources) == 1:
                own = list(sources)
            if len(own) == 1 and sources - set(own) <= lookups and source_column[own[0]] in node["columns"]:
                out[key] = Partitioned(node["name"], source_column[own[0]],
                                       "view over one partitioned source (and the staging lookups)")
    return out


# -- reading the compiled SQL ----------------------------------------------------------------------

def _date_value(node: exp.Expression) -> dt.date | None:
    """The date a constant date expression stands for: cast('…' as date), date '…', date('…'), '…'."""
    if isinstance(node, exp.Paren):
        return _date_value(node.this)
    if isinstance(node, (exp.Cast, exp.TryCast)) and node.to.is_type(exp.DataType.Type.DATE):
        return _date_value(node.this)
    if isinstance(node, (exp.Date, exp.TsOrDsToDate, exp.StrToDate)) and node.this is not None:
        return _date_value(node.this)
    if isinstance(node, exp.Literal) and node.is_string:
        try:
            return dt.date.fromisoformat(node.this)
        except ValueError:
            return None
    return None


def _conjuncts(condition: exp.Expression | None) -> list[exp.Expression]:
    if condition is None:
        return []
    if isinstance(condition, exp.Paren):
        return _conjuncts(condition.this)
    if isinstance(condition, exp.And):
        return _conjuncts(condition.left) + _conjuncts(condition.right)
    return [condition]


def _is_date_column(node: exp.Expression, column: str, alias: str, only_table: bool) -> bool:
    if not isinstance(node, exp.Column) or node.name.lower() != column.lower():
        return False
    return node.table.lower() == alias.lower() if node.table else only_table


def _disjuncts(condition: exp.Expression) -> list[exp.Expression]:
    if isinstance(condition, exp.Paren):
        return _disjuncts(condition.this)
    if isinstance(condition, exp.Or):
        return _disjuncts(condition.left) + _disjuncts(condition.right)
    return [condition]


def _is_sentinel_read(node: exp.Expression, column: str, alias: str, only_table: bool) -> bool:
    """`col is null` or `col > current_date()`: the raw accounting's undated and future rows
    (macros/staging/raw_accounting.sql in_accounting_window), a few rows that every run counts."""
    if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
        return _is_date_column(node.this, column, alias, only_table)
    if isinstance(node, exp.GT) and isinstance(node.right, exp.CurrentDate):
        return _is_date_column(node.left, column, alias, only_table)
    return False


def read_bounds(table: exp.Table, column: str, sentinels: bool = False) -> tuple[dt.date | None, dt.date | None]:
    """The tightest constant [lower, upper] that `table`'s own query puts on its `column`.

    With `sentinels` (a model whose meta lists always_replaced_dates), a conjunct `(range) or col
    is null or col > current_date()` bounds the read by its range."""
    select = table.find_ancestor(exp.Select)
    if select is None:
        return None, None
    conditions = _conjuncts(select.args.get("where") and select.args["where"].this)
    join = table.parent if isinstance(table.parent, exp.Join) else None
    if join is not None:
        conditions += _conjuncts(join.args.get("on"))
    only_table = not select.args.get("joins")
    alias = table.alias_or_name
    if sentinels:
        widened = []
        for cond in conditions:
            parts = _disjuncts(cond)
            if len(parts) > 1 and all(_is_sentinel_read(p, column, alias, only_table) for p in parts[1:]):
                widened += _conjuncts(parts[0])
            else:
                widened.append(cond)
        conditions = widened
    lower: dt.date | None = None
    upper: dt.date | None = None

    def tighten(low=None, high=None):
        nonlocal lower, upper
        if low is not None:
            lower = low if lower is None else max(lower, low)
        if high is not None:
            upper = high if upper is None else min(upper, high)

    for cond in conditions:
        if isinstance(cond, exp.Between) and _is_date_column(cond.this, column, alias, only_table):
            tighten(_date_value(cond.args["low"]), _date_value(cond.args["high"]))
            continue
        if not isinstance(cond, (exp.GTE, exp.GT, exp.LTE, exp.LT, exp.EQ)):
            continue
        left, right = cond.left, cond.right
        op = type(cond)
        if _is_date_column(right, column, alias, only_table):  # 'x' <= col: flip
            left, right = right, left
            op = {exp.GTE: exp.LTE, exp.GT: exp.LT, exp.LTE: exp.GTE, exp.LT: exp.GT, exp.EQ: exp.EQ}[op]
        if not _is_date_column(left, column, alias, only_table):
            continue
        value = _date_value(right)
        if value is None:
            continue
        if op in (exp.GTE, exp.GT, exp.EQ):
            tighten(low=value)
        if op in (exp.LTE, exp.LT, exp.EQ):
            tighten(high=value)
    return lower, upper


def _reader(table: exp.Table) -> str:
    """The CTE (an import CTE, or a dbt ephemeral `__dbt__cte__<name>`) holding the read."""
    node: exp.Expression | None = table
    name = ""
    while node is not None:
        if isinstance(node, exp.CTE):
            name = node.alias_or_name
            if name.startswith("__dbt__cte__"):
                return name.removeprefix("__dbt__cte__")
        node = node.parent
    return name


def partitioned_reads(sql: str, partitioned: dict[str, Partitioned]):
    tree = sqlglot.parse_one(sql, read="bigquery")
    for table in tree.find_all(exp.Table):
        key = _key(table.db, table.name)
        if key in partitioned:
            yield table, partitioned[key]


# -- the tests -------------------------------------------------------------------------------------

def _incremental(manifest: dict) -> dict[str, dict]:
    return {n["name"]: n for n in manifest["nodes"].values()
            if n["resource_type"] == "model" and n["config"]["materialized"] == "incremental"}


def test_every_incremental_model_is_compiled_and_declares_its_lookback(bigquery_project):
    manifest, compiled = bigquery_project.manifest, bigquery_project.compiled
    models = _incremental(manifest)
    assert len(models) >= 10 and set(compiled) == set(models)
    for name, node in models.items():
        lookback = node["config"]["meta"].get("lookback_days")
        assert isinstance(lookback, int) and lookback >= 0, f"{name}: meta.lookback_days missing"


def test_every_partitioned_read_is_bounded_by_the_range_and_the_models_lookback(bigquery_project):
    manifest, compiled = bigquery_project.manifest, bigquery_project.compiled
    start, end = bigquery_project.start, bigquery_project.end
    partitioned = partitioned_relations(manifest, bigquery_project.source_dates)
    # the manifest must tell us about every layer, or the test would check nothing
    assert {"player_game_summary", "stg_nba_raw__nbac_gamebook_player_stats", "nbac_schedule"} <= {
        p.relation for p in partitioned.values()}
    problems: list[str] = []
    allowed_used: set[tuple[str, str]] = set()
    for name, node in sorted(_incremental(manifest).items()):
        lookback = node["config"]["meta"]["lookback_days"]
        sentinels = bool(node["config"]["meta"].get("always_replaced_dates"))
        floor = start - dt.timedelta(days=lookback)
        widest: dt.date | None = None
        reads = 0
        for table, part in partitioned_reads(compiled[name], partitioned):
            reads += 1
            reader = _reader(table)
            lower, upper = read_bounds(table, part.date_column, sentinels)
            if (reader, part.relation) in FULL_SCAN_ALLOWED and lower is None and upper is None:
                allowed_used.add((reader, part.relation))
                continue
            where = f"{name}: {reader or '(main query)'} reads {part.relation} ({part.why})"
            if lower is None or upper is None:
                problems.append(f"{where} without a {'lower' if lower is None else 'upper'} bound on "
                                f"{part.date_column}: a full scan of its partitions")
                continue
            if lower < floor:
                problems.append(f"{where} from {lower}, beyond the declared lookback of {lookback} days ({floor})")
            if upper > end:
                problems.append(f"{where} up to {upper}, after the range end {end}")
            widest = lower if widest is None else min(widest, lower)
        if reads == 0:
            problems.append(f"{name}: no partitioned read found (the test would prove nothing)")
        elif widest is not None and widest != floor:
            problems.append(f"{name}: meta.lookback_days is {lookback} but the widest read starts at {widest} "
                            f"({(start - widest).days} days): declare what the model reads")
    problems += [f"FULL_SCAN_ALLOWED{key}: no such unfiltered read any more, remove it"
                 for key in sorted(set(FULL_SCAN_ALLOWED) - allowed_used)]
    assert not problems, "\n".join(problems)


# -- the checker itself: it must be able to fail ----------------------------------------------------

PART = {"nba_analytics.player_game_summary": Partitioned("player_game_summary", "game_date", "test")}


@pytest.mark.parametrize("where, expected", [
    ("where game_date >= cast('2024-12-01' as date) and game_date <= cast('2024-12-16' as date)",
     (dt.date(2024, 12, 1), dt.date(2024, 12, 16))),
    ("where p.game_date between date '2024-12-01' and date('2024-12-16') and p.points > 3",
     (dt.date(2024, 12, 1), dt.date(2024, 12, 16))),
    ("where cast('2024-12-16' as date) >= game_date", (None, dt.date(2024, 12, 16))),
    ("where game_date >= cast('2024-12-01' as date) or game_date <= cast('2024-12-16' as date)", (None, None)),
    ("where other.game_date >= cast('2024-12-01' as date)", (None, None)),
    ("", (None, None)),
])
def test_bounds_are_read_from_top_level_conjuncts_on_the_right_table(where, expected):
    sql = f"with x as (select * from `proj`.`nba_analytics`.`player_game_summary` as p {where}) select * from x"
    [(table, part)] = list(partitioned_reads(sql, PART))
    assert read_bounds(table, part.date_column) == expected
    assert _reader(table) == "x"


@pytest.mark.parametrize("sentinels, expected", [
    (True, (dt.date(2024, 12, 1), dt.date(2024, 12, 16))),
    (False, (None, None)),  # only the accounting models may read the undated and future rows besides
])
def test_the_accountings_undated_and_future_reads_count_as_bounded_only_for_those_models(sentinels, expected):
    where = ("where (game_date >= cast('2024-12-01' as date) and game_date <= cast('2024-12-16' as date)) "
             "or game_date is null or game_date > current_date()")
    sql = f"select * from `proj`.`nba_analytics`.`player_game_summary` {where}"
    [(table, part)] = list(partitioned_reads(sql, PART))
    assert read_bounds(table, part.date_column, sentinels) == expected
    other = sql.replace("game_date > current_date()", "game_date > cast('2024-01-01' as date)")
    [(table, part)] = list(partitioned_reads(other, PART))
    assert read_bounds(table, part.date_column, True) == (None, None)  # any other disjunct: unbounded


def test_a_join_condition_bounds_the_joined_table():
    sql = ("select * from `proj`.`nba_raw`.`other` as o join `proj`.`nba_analytics`.`player_game_summary` as p "
           "on p.game_date = o.d and p.game_date >= cast('2024-12-01' as date) "
           "where p.game_date <= cast('2024-12-16' as date)")
    [(table, part)] = list(partitioned_reads(sql, PART))
    assert read_bounds(table, part.date_column) == (dt.date(2024, 12, 1), dt.date(2024, 12, 16))
