"""What `nba-pipeline validate` checks, and the queries that check it.

The checks are the project's own declarations, read from the manifest: the date models
(``runner.project``) with their coverage, primary-key (``unique_combination_of_columns``)
and null-rate (``null_rate_below``) tests, as ``TableSpec``s; ``checks_of_project`` keeps them in
``runner.dbt_cache`` so a repeated validate parses no dbt. ``plan_queries`` turns the selected
sections and the built tables into the Jinja SQL of every check (the macros of macros/validation/),
keyed by a stable id; ``group_queries`` merges the per-table ones of a kind into one ``union all``,
``compile_queries`` compiles them all in one inline dbt compile over the range and ``run_queries``
runs them, splitting merged results back per check. ``query_range`` fills a range's missing ends
with what the built tables hold.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from runner.backfill.planner import INCOMPLETE_WINDOW
from runner.errors import UsageError
from runner.project import LEDGER_RELATION, load_project
from runner.validate import date_coverage, feature_health
from runner.validate.report import SECTIONS
from runner.warehouse import as_date

EXAMPLES = 5  # example rows a check shows (and the consistency queries fetch)


@dataclass(frozen=True)
class TableSpec:
    """One date model as validate sees it (from the manifest)."""

    name: str
    phase: str
    schema: str
    identifier: str
    relation: str
    date_column: str
    bootstrap: str
    coverage_call: str | None      # the backfill gate's coverage_comparison(...) expression
    coverage_tests: tuple[dict[str, Any], ...] = ()  # name, call, severity, min_pct, is_gate
    key_columns: tuple[str, ...] = ()
    null_tests: tuple[dict[str, Any], ...] = ()  # column, where, max_null_pct, severity


@dataclass
class Plan:
    sections: tuple[str, ...]
    tables: list[TableSpec]
    queries: dict[str, str] = field(default_factory=dict)  # id -> Jinja SQL


def checks_of_project(select: Sequence[str], cache: Any, get_dbt: Any) -> tuple[tuple[str, ...], list[TableSpec]]:
    """The sections and date-model checks --select asks for, from the manifest (or the cache)."""
    key = list(select)
    hit = cache.get("checks", key)
    if hit is not None:
        return tuple(hit["sections"]), [_spec_from_json(t) for t in hit["tables"]]
    project = load_project(get_dbt().manifest)
    sections, models = resolve_select(project, select)
    tables = table_specs(models)
    cache.put("checks", key, {"sections": list(sections), "tables": [asdict(t) for t in tables]})
    return sections, tables


def _spec_from_json(d: dict[str, Any]) -> TableSpec:
    return TableSpec(**{**d, "coverage_tests": tuple(d["coverage_tests"]), "key_columns": tuple(d["key_columns"]),
                        "null_tests": tuple(d["null_tests"])})


# -- what to check ----------------------------------------------------------------
def resolve_select(project: Any, select: Sequence[str]) -> tuple[tuple[str, ...], list[Any]]:
    """--select values: section ids restrict the sections, phases / model names the tables."""
    section_ids = [s for s in select if s in SECTIONS]
    others = [s for s in select if s not in SECTIONS]
    try:
        models = project.select(others or None)
    except UsageError as exc:
        raise UsageError(f"{exc}; sections: {', '.join(SECTIONS)}") from None
    sections = tuple(s for s in SECTIONS if not section_ids or s in section_ids)
    return sections, models


def table_specs(models: Iterable[Any]) -> list[TableSpec]:
    """Each date model with its coverage, primary-key and null-rate tests (``runner.project``)."""
    out = []
    for m in models:
        expr = _expression(m.coverage_call) if m.coverage_call else None
        calls = list(dict.fromkeys(t.call for t in m.coverage_tests))  # tests sharing a comparison share a query
        tests = tuple(
            {"name": t.name, "call": _expression(t.call), "severity": t.severity,
             "min_pct": t.min_pct, "is_gate": t.call == m.coverage_call, "query": calls.index(t.call)}
            for t in m.coverage_tests)
        out.append(TableSpec(
            name=m.name, phase=m.phase, schema=m.schema, identifier=m.identifier,
            relation=f"ref('{m.name}')", date_column=m.date_column, bootstrap=m.bootstrap,
            coverage_call=expr, coverage_tests=tests, key_columns=m.key_columns,
            null_tests=tuple(asdict(t) for t in m.null_tests),
        ))
    return out


def _expression(call: str) -> str:
    """The Jinja expression inside ``{{ ... }}``."""
    return call.strip()[2:-2].strip()


def plan_queries(sections: Sequence[str], tables: Sequence[TableSpec], has_ledger: bool = True,
                 has_training_set: bool = True) -> Plan:
    """The Jinja SQL of every check, keyed by a stable id (``<section>:<table>[:<n>]``)."""
    q: dict[str, str] = {"thresholds": "{{ validation_thresholds() }}"}
    names = {t.name for t in tables}
    for t in tables:
        wants_coverage = "coverage" in sections or ("readiness" in sections and t.phase == "phase3")
        for test in t.coverage_tests if wants_coverage else ():
            q.setdefault(f"coverage:{t.name}:{test['query']}",
                         f"{{{{ validation_coverage('{t.name}', {test['call']}) }}}}")
        if "duplicates" in sections and t.key_columns:
            q[f"duplicates:{t.name}"] = (
                f"{{{{ validation_duplicates('{t.name}', {t.relation}, {list(t.key_columns)!r}, "
                f"'{t.date_column}') }}}}")
        if ("null_rates" in sections or "readiness" in sections):
            for i, test in enumerate(t.null_tests):
                where = f", where={test['where']!r}" if test["where"] else ""
                q[f"null_rates:{t.name}:{i}"] = (
                    f"{{{{ validation_null_counts('{t.name}', {t.relation}, '{test['column']}', "
                    f"'{t.date_column}'{where}) }}}}")
    if "coverage" in sections and date_coverage.tables_without_gate(tables):
        q[date_coverage.QUERY_ID] = date_coverage.query(date_coverage.tables_without_gate(tables))
    if "gaps" in sections and tables:
        entries = ", ".join(
            f"{{'name': '{t.name}', 'relation': {t.relation}, 'date_column': '{t.date_column}', "
            f"'skip_bootstrap': {t.bootstrap == 'skip'}}}" for t in tables)
        q["gaps"] = f"{{{{ validation_gaps([{entries}]) }}}}"
    layer_models = {"player_game_summary", "player_composite_factors", "ml_feature_store_v2"}
    if ("layer_coverage" in sections or "readiness" in sections) and layer_models <= names:
        q["layer_coverage"] = "{{ validation_layer_games() }}"
    if "ml_feature_store_v2" in names:
        if "feature_store" in sections or "readiness" in sections:
            q["feature_store"] = "{{ validation_feature_store_health() }}"
        if feature_health.SECTION_ID in sections or "readiness" in sections:
            q[feature_health.SECTION_ID] = feature_health.QUERY
        if "null_rates" in sections and has_training_set:
            q["null_rates:features"] = "{{ validation_feature_null_counts() }}"
    if "consistency" in sections and {"player_game_summary", "team_offense_game_summary"} <= names:
        for macro in CONSISTENCY:
            q[f"consistency:{macro}"] = f"{{{{ validation_first_rows({macro}(), {EXAMPLES}) }}}}"
    if "quarantine" in sections:
        q["quarantine"] = "{{ validation_quarantine() }}"
        q["quarantine:accounting"] = "{{ validation_row_accounting() }}"
        q["quarantine:freshness"] = "{{ validation_accounting_freshness() }}"
    if "ledger" in sections and has_ledger:
        q["ledger"] = f"{{{{ validation_ledger('{LEDGER_RELATION}', '{INCOMPLETE_WINDOW}') }}}}"
    if "freshness" in sections:
        q["freshness"] = "{{ validation_source_freshness() }}"
    return Plan(tuple(sections), list(tables), q)


CONSISTENCY = {
    "consistency_pgs_points_vs_gamebook": "player_game_summary points = gamebook points",
    "consistency_team_points_vs_player_points": "team points = sum of its players' points",
    "consistency_team_points_vs_boxscore": "team points = raw team box score points",
}


# Per-table checks of one kind run as ONE query (union all, tagged with check_key).
GROUPED_KINDS = ("coverage", "duplicates", "null_rates")


def group_queries(queries: dict[str, str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Per-table queries of a kind merged into one ``union all`` (fewer round trips).

    Returns the queries to compile and, per merged query, the check ids it holds.
    """
    out: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    for qid, sql in queries.items():
        kind = qid.split(":")[0]
        if kind in GROUPED_KINDS and qid.count(":") >= 1 and qid != "null_rates:features":
            members.setdefault(f"group:{kind}", []).append(qid)
        else:
            out[qid] = sql
    for gid, ids in members.items():
        out[gid] = "\nunion all\n".join(
            f"select '{qid}' as check_key, checked.* from (\n{queries[qid]}\n) as checked" for qid in ids)
    return out, members


def run_queries(wh: Any, compiled: dict[str, str], members: dict[str, list[str]]) -> dict[str, list[dict[str, Any]]]:
    """Run each compiled query; merged ones are split back by check_key."""
    results: dict[str, list[dict[str, Any]]] = {}
    for qid, sql in compiled.items():
        rows = wh.dicts(sql)
        if qid not in members:
            results[qid] = rows
            continue
        for member in members[qid]:
            results[member] = []
        for row in rows:
            results[row.pop("check_key")].append(row)
    return results


def compile_queries(dbt: Any, queries: dict[str, str], start: dt.date, end: dt.date) -> dict[str, str]:
    """Every query in one inline compile over the range (runner.dbt.Dbt.compile_inline_many)."""
    return dbt.compile_inline_many(queries, vars={"start_date": start.isoformat(), "end_date": end.isoformat()})


def query_range(wh: Any, tables: Sequence[TableSpec], start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """The requested range, its missing ends filled with what the built tables hold."""
    if start and end:
        return start, end
    if not tables:
        raise UsageError("no date model is built yet: run `nba-pipeline backfill` (or give --start-date and --end-date)")
    parts = [f"select min({t.date_column}) as lo, max({t.date_column}) as hi from {t.schema}.{t.identifier}"
             for t in tables]
    lo, hi = wh.rows(f"select min(lo), max(hi) from ({' union all '.join(parts)}) as bounds")[0]
    if lo is None:
        raise UsageError("the built tables hold no rows: run `nba-pipeline backfill` first")
    start = start or as_date(lo)
    end = end or as_date(hi)
    if end < start:
        raise UsageError(f"nothing built between {start} and {end}")
    return start, end
