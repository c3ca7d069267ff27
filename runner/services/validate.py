"""`nba-pipeline validate`: the seeds' hand-run validation queries as one command.

Every number is computed in the warehouse: the check SQL lives in dbt macros
(macros/validation/, macros/gates/coverage_comparison.sql), this service lists
the checks the project declares (date models, their coverage gate, primary key
and null-rate tests, read from the manifest), compiles them in ONE inline dbt
compile scoped to the range (vars start_date / end_date), runs each compiled
select through ``runner.warehouse`` (small aggregated rows only), and turns the
rows into a ``runner.validate.report.Report``. Building the report from rows
(``build_report``) is pure Python, so its logic is unit-tested without dbt.
Source freshness is one of those queries (``validation_source_freshness``).

What dbt answers (the checks from the manifest, the compiled SQL) is kept in
``runner.validate.cache`` under a fingerprint of everything it depends on, so a
repeated validate imports and parses no dbt; the warehouse is read every time.
"""
from __future__ import annotations

import datetime as dt
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from runner.backfill.gates import as_date
from runner.backfill.planner import INCOMPLETE_WINDOW
from runner.config import Settings
from runner.console import Console
from runner.errors import PipelineError, UsageError
from runner.inputs import check_names
from runner.services.freshness import freshness_section
from runner.validate import date_coverage, feature_health
from runner.validate.report import (
    SECTIONS,
    SEVERITY_RANK,
    Check,
    CoverageCell,
    Readiness,
    Report,
    Section,
    ThresholdResult,
)

FORMATS = ("table", "json", "markdown", "html")
FAIL_ON = ("warn", "error")
LEDGER_RELATION = "nba_orchestration.backfill_ledger"
EXAMPLES = 5


class ChecksFailed(PipelineError):
    """validate ran and checks at or above --fail-on failed (exit 1)."""


@dataclass(frozen=True)
class ValidateRequest:
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    select: tuple[str, ...] = ()
    fmt: str = "table"
    output: Path | None = None
    fail_on: str = "error"
    notify_url: str | None = field(default=None, repr=False)  # a secret: shown as its host only
    notify_on: str = "failure"
    command_line: str = "nba-pipeline validate"  # URLs redacted (notify.redact_argv)


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


# -- entry point ----------------------------------------------------------------
def validate(settings: Settings, console: Console, request: ValidateRequest, dbt: Any = None) -> Report:
    """Run every selected check over the range, render the report, return it.

    Raises UsageError for bad input; the caller maps ``report.exit_code``.
    ``dbt`` (a runner.dbt.Dbt) lets a caller that already parsed the project reuse it.
    """
    from runner.validate.cache import Cache
    from runner.validate.render import render_report
    from runner.warehouse import open_warehouse

    _check_request(request)
    started = time.monotonic()
    cache = Cache(settings)
    parsed: list[Any] = [dbt] if dbt is not None else []

    def get_dbt() -> Any:  # parsed only when a cache entry is missing
        if not parsed:
            from runner.dbt import Dbt

            parsed.append(Dbt(settings))
        return parsed[0]

    sections, tables = checks_of_project(request.select, cache, get_dbt)
    with open_warehouse(settings) as wh:
        built = [t for t in tables if wh.relation_exists(t.schema, t.identifier)]
        start, end = _range(wh, built, request.start_date, request.end_date)
        plan = plan_queries(sections, built, has_ledger=wh.relation_exists(*LEDGER_RELATION.split(".")),
                            has_training_set=wh.relation_exists("nba_predictions", "ml_training_set"))
    queries, members = group_queries(plan.queries)
    key = [queries, start.isoformat(), end.isoformat()]
    compiled = cache.get("compiled", key)
    if compiled is None:
        compiled = compile_queries(get_dbt(), queries, start, end)
        cache.put("compiled", key, compiled)
    with open_warehouse(settings) as wh:
        results = run_queries(wh, compiled, members)
    report = build_report(
        results, plan, start, end, target=settings.target, select=list(request.select),
        missing=[t.name for t in tables if t not in built], embedded=settings.is_embedded,
    )
    report.seconds = round(time.monotonic() - started, 2)
    render_report(report, request.fmt, console, request.output)
    return report


def checks_of_project(select: Sequence[str], cache: Any, get_dbt: Any) -> tuple[tuple[str, ...], list[TableSpec]]:
    """The sections and date-model checks --select asks for, from the manifest (or the cache)."""
    key = list(select)
    hit = cache.get("checks", key)
    if hit is not None:
        return tuple(hit["sections"]), [_spec_from_json(t) for t in hit["tables"]]
    from runner.backfill.project import load_project

    dbt = get_dbt()
    project = load_project(dbt.manifest)
    sections, models = resolve_select(project, select)
    tables = table_specs(dbt.manifest, project, models)
    cache.put("checks", key, {"sections": list(sections), "tables": [asdict(t) for t in tables]})
    return sections, tables


def _spec_from_json(d: dict[str, Any]) -> TableSpec:
    return TableSpec(**{**d, "coverage_tests": tuple(d["coverage_tests"]), "key_columns": tuple(d["key_columns"]),
                        "null_tests": tuple(d["null_tests"])})


def run(settings: Settings, console: Console, request: ValidateRequest) -> Report:
    """The CLI's entry: validate, then fail (exit 1) when checks at or above --fail-on failed."""
    from runner.services import notify

    notify.check_url(request.notify_url)
    notify.check_on(request.notify_on)
    report = validate(settings, console, request)
    notify.notify_validation(report, request.notify_url, console, request.notify_on,
                             fail_on=request.fail_on,  # type: ignore[arg-type]
                             command=request.command_line,
                             report_path=str(request.output) if request.output else None)
    failing = report.failing(request.fail_on)  # type: ignore[arg-type]
    if failing:
        raise ChecksFailed(f"{len(failing)} check(s) at or above '{request.fail_on}' failed "
                           f"(first: {failing[0].name})")
    return report


def _check_request(request: ValidateRequest) -> None:
    check_names("--select", request.select)
    if request.fmt not in FORMATS:
        raise UsageError(f"--format {request.fmt!r}: choose one of {', '.join(FORMATS)}")
    if request.fail_on not in FAIL_ON:
        raise UsageError(f"--fail-on {request.fail_on!r}: choose one of {', '.join(FAIL_ON)}")
    if request.start_date and request.end_date and request.end_date < request.start_date:
        raise UsageError(f"--end-date {request.end_date} is before --start-date {request.start_date}")
    if request.output is not None and request.output.is_dir():
        raise UsageError(f"--output {request.output} is a directory; give a file path")


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


def table_specs(manifest: Any, project: Any, models: Iterable[Any]) -> list[TableSpec]:
    """Each date model with its coverage, primary-key and null-rate tests (the yml's own declarations)."""
    from runner.backfill.project import coverage_tests

    keys: dict[str, tuple[str, ...]] = {}
    nulls: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node in manifest.nodes.values():
        meta = getattr(node, "test_metadata", None)
        if node.resource_type != "test" or meta is None:
            continue
        attached = getattr(node, "attached_node", None)
        if meta.name == "unique_combination_of_columns":
            keys[attached] = tuple(meta.kwargs.get("combination_of_columns") or ())
        elif meta.name == "null_rate_below":
            column = meta.kwargs.get("column_name") or getattr(node, "column_name", None)
            nulls[attached].append({
                "column": column,
                # dbt moves a test's `where` into its config
                "where": meta.kwargs.get("where") or getattr(node.config, "where", None),
                "max_null_pct": float(meta.kwargs.get("max_null_pct")),
                "severity": "warn" if str(node.config.severity).lower() == "warn" else "error",
            })
    out = []
    for m in models:
        node = manifest.nodes[m.unique_id]
        call = m.coverage_call
        expr = call.strip()[2:-2].strip() if call else None
        found = coverage_tests(manifest, m.unique_id, m.name)
        calls = list(dict.fromkeys(t.call for t in found))  # tests sharing a comparison share a query
        tests = tuple(
            {"name": t.name, "call": t.call.strip()[2:-2].strip(), "severity": t.severity,
             "min_pct": t.min_pct, "is_gate": t.call == call, "query": calls.index(t.call)}
            for t in found)
        out.append(TableSpec(
            name=m.name, phase=m.phase, schema=node.schema, identifier=node.alias or node.name,
            relation=f"ref('{m.name}')", date_column=m.date_column, bootstrap=m.bootstrap,
            coverage_call=expr, coverage_tests=tests, key_columns=keys.get(m.unique_id, ()),
            null_tests=tuple(sorted(nulls.get(m.unique_id, []), key=lambda t: (t["column"], t["where"] or ""))),
        ))
    return out


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


def _range(wh: Any, tables: Sequence[TableSpec], start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
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


# -- rows -> report --------------------------------------------------------------------
def build_report(results: dict[str, list[dict[str, Any]]], plan: Plan, start: dt.date, end: dt.date,
                 target: str = "duckdb", select: list[str] | None = None, missing: Sequence[str] = (),
                 embedded: bool = True) -> Report:
    thresholds = (results.get("thresholds") or [{}])[0]
    report = Report(target=target, start_date=start, end_date=end, select=list(select or []),
                    generated_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    builders = {
        "coverage": _coverage, "layer_coverage": _layer_coverage, "null_rates": _null_rates,
        "duplicates": _duplicates, "gaps": _gaps, "consistency": _consistency,
        "feature_store": _feature_store, "quarantine": _quarantine, "ledger": _ledger,
        "feature_health": lambda results, plan, thresholds, report: feature_health.build_section(
            results.get(feature_health.SECTION_ID), thresholds, report),
        "freshness": lambda results, plan, thresholds, report: freshness_section(results.get("freshness", []), embedded),
    }
    for sid in plan.sections:
        if sid == "readiness":
            continue
        section = builders[sid](results, plan, thresholds, report)
        report.sections.append(section)
    for name in missing:
        if report.sections:
            report.sections[0].checks.append(Check(
                report.sections[0].id, f"{report.sections[0].id}.{name}.built", f"{name}: table built",
                "warn", False, message=f"{name} is not built: its checks were skipped"))
    if "readiness" in plan.sections:
        report.readiness = readiness(results, plan, thresholds)
        report.sections.append(_readiness_section(report.readiness))
    return report


def _pct(part: float | int | None, whole: float | int | None) -> float | None:
    return None if not whole else round(100.0 * (part or 0) / whole, 2)


def _fmt_pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} %"


def _dates_text(days: Sequence[Any], limit: int = 8) -> str:
    shown = ", ".join(str(d) for d in days[:limit])
    return shown + (f" (+{len(days) - limit} more)" if len(days) > limit else "")


def _runs(days: Sequence[dt.date]) -> list[str]:
    """Consecutive calendar dates collapsed: 2024-11-05..2024-11-07, 2024-11-20."""
    out: list[list[dt.date]] = []
    for day in sorted(days):
        if out and (day - out[-1][-1]).days == 1:
            out[-1].append(day)
        else:
            out.append([day])
    return [str(r[0]) if len(r) == 1 else f"{r[0]}..{r[-1]}" for r in out]


def _coverage(results, plan, thresholds, report) -> Section:
    gate_default = float(thresholds.get("coverage_gate_pct", 90))
    section = Section("coverage", "Coverage per table, season and month (each table's backfill gate)",
                      columns=["table", "season", "month", "dates with rows", "expected dates",
                               "rows", "expected rows", "row coverage %", "dates below gate"])
    for t in plan.tables:
        date_coverage.add_cells(results.get(date_coverage.QUERY_ID), section, report, t.name)
        for test in t.coverage_tests:
            rows = results.get(f"coverage:{t.name}:{test['query']}")
            if rows is None:
                continue
            gate = _gate_pct(test, thresholds, gate_default)
            if test["is_gate"]:
                _coverage_rows(t.name, rows, gate, section, report)
            failing = sorted((r for r in rows if _below(r, gate)), key=lambda r: r["test_date"])
            found = sum(int(r["rows_found"]) for r in rows)
            expected = sum(int(r["rows_expected"]) for r in rows)
            message = ""
            if failing:
                label = f" ({test['name']})" if len(test["name"]) <= 48 else ""
                message = (f"{t.name}: {len(failing)} date(s) below {gate:g} %{label}: " + _dates_text(
                    [f"{r['test_date']} ({r['rows_found']}/{r['rows_expected']} rows)" for r in failing]))
            section.checks.append(Check(
                "coverage", f"coverage.{t.name}.{test['name']}",
                f"{t.name}: every date at least {gate:g} % of its expected rows ({test['name']})",
                test["severity"], not failing, observed=_pct(found, expected), threshold=f">= {gate:g} % per date",
                message=message,
                examples=[{"date": str(r["test_date"]), "rows": r["rows_found"], "expected": r["rows_expected"],
                           "coverage_pct": r["coverage_pct"]} for r in failing[:EXAMPLES]],
            ))
    return section


def _gate_pct(test: dict[str, Any], thresholds: dict[str, Any], default: float) -> float:
    """The test's min_pct: a number, or var('<name>') read from the thresholds row."""
    raw = test.get("min_pct")
    if raw is None:
        return default
    match = re.match(r"""var\(['"](\w+)['"]\)""", raw.strip())
    if match:
        return float(thresholds.get(match.group(1), default))
    try:
        return float(raw)
    except ValueError:
        return default


def _below(row: dict[str, Any], gate: float) -> bool:
    return 100.0 * int(row["rows_found"]) < gate * int(row["rows_expected"])


def _coverage_rows(table: str, rows: list[dict[str, Any]], gate: float, section: Section, report: Report) -> None:
    months: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        months[(int(r["season_year"]), r["month"])].append(r)
    for (season, month), rs in sorted(months.items(), key=lambda kv: kv[0][1]):
        found = sum(int(r["rows_found"]) for r in rs)
        expected = sum(int(r["rows_expected"]) for r in rs)
        with_rows = sum(1 for r in rs if int(r["rows_found"]) > 0)
        below = sum(1 for r in rs if _below(r, gate))
        report.coverage.append(CoverageCell(table, month, season, with_rows, len(rs), found, expected))
        section.rows.append([table, str(season), month, with_rows, len(rs), found, expected,
                             _pct(found, expected), below])


def _layer_coverage(results, plan, thresholds, report) -> Section:
    section = Section("layer_coverage", "Raw → Phase 3 → Phase 4 → features: games per season",
                      columns=["season", "raw games", "after bootstrap", "phase 3 games", "phase 4 games",
                               "feature games", "phase 3 %", "phase 4 %"])
    rows = results.get("layer_coverage")
    if rows is None:
        return section
    seasons: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        for key in ("raw_games", "raw_games_after_bootstrap", "phase3_games", "phase4_games", "feature_games"):
            seasons[int(r["season_year"])][key] += int(r[key] or 0)
    for season, s in sorted(seasons.items()):
        section.rows.append([str(season), s["raw_games"], s["raw_games_after_bootstrap"], s["phase3_games"],
                             s["phase4_games"], s["feature_games"], _pct(s["phase3_games"], s["raw_games"]),
                             _pct(s["phase4_games"], s["raw_games_after_bootstrap"])])
    gate = float(thresholds.get("coverage_gate_pct", 90))
    p4 = float(thresholds.get("phase4_coverage_pct", 80))
    for layer, num, den, need in (("phase3", "phase3_games", "raw_games", gate),
                                  ("phase4", "phase4_games", "raw_games_after_bootstrap", p4)):
        low = [f"{season} ({_fmt_pct(_pct(s[num], s[den]))})" for season, s in sorted(seasons.items())
               if s[den] and _pct(s[num], s[den]) < need]
        total = _pct(sum(s[num] for s in seasons.values()), sum(s[den] for s in seasons.values()))
        section.checks.append(Check(
            "layer_coverage", f"layer_coverage.{layer}", f"{layer} games / raw schedule games, per season",
            "warn", not low, observed=total, threshold=f">= {need:g} %",
            message=f"{layer} game coverage below {need:g} % in season(s) " + ", ".join(low) if low else ""))
    return section


def _null_rates(results, plan, thresholds, report) -> Section:
    section = Section("null_rates", "NULL rates of critical columns",
                      columns=["table", "column", "rows checked", "NULL rows", "NULL %", "max %", "dates above"])
    for t in plan.tables:
        for i, test in enumerate(t.null_tests):
            rows = results.get(f"null_rates:{t.name}:{i}")
            if rows is None:
                continue
            checked = sum(int(r["rows_checked"]) for r in rows)
            nulls = sum(int(r["null_rows"] or 0) for r in rows)
            limit = test["max_null_pct"]
            # the gate's rule (tests/generic/test_null_rate_below.sql): a date with no row to judge fails too
            above = sorted((r for r in rows if not int(r["rows_checked"])
                            or 100.0 * int(r["null_rows"] or 0) > limit * int(r["rows_checked"])),
                           key=lambda r: r["test_date"])
            section.rows.append([t.name, test["column"], checked, nulls, _pct(nulls, checked), limit, len(above)])
            where = f" where {test['where']}" if test["where"] else ""
            section.checks.append(Check(
                "null_rates", f"null_rates.{t.name}.{test['column']}" + (f".{i}" if _dup_column(t, test) else ""),
                f"{t.name}.{test['column']}: NULL rate{where} at most {limit:g} % per date",
                test["severity"], not above, observed=_pct(nulls, checked), threshold=f"<= {limit:g} % per date",
                message=(f"{t.name}.{test['column']}: NULL above {limit:g} % on {len(above)} date(s): " + _dates_text(
                    [f"{r['test_date']} ({_fmt_pct(_pct(r['null_rows'], r['rows_checked']))})" for r in above]))
                if above else "",
                examples=[{"date": str(r["test_date"]), "rows": r["rows_checked"], "null_rows": r["null_rows"]}
                          for r in above[:EXAMPLES]],
            ))
    rows = results.get("null_rates:features")
    if rows is not None:
        limit = float(thresholds.get("feature_null_pct", 50))
        per_feature: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in rows:
            per_feature[r["column_name"]][0] += int(r["rows_checked"])
            per_feature[r["column_name"]][1] += int(r["null_rows"] or 0)
        high = []
        for name, (checked, nulls) in per_feature.items():
            pct = _pct(nulls, checked)
            section.rows.append(["ml_training_set", name, checked, nulls, pct, limit, None])
            if pct is not None and pct > limit:
                high.append(f"{name} ({_fmt_pct(pct)})")
        section.checks.append(Check(
            "null_rates", "null_rates.ml_training_set.features", f"ml_training_set: each feature NULL (NaN) on at most {limit:g} % of rows",
            "warn", not high, observed=len(high), threshold=f"<= {limit:g} % per feature",
            message=f"features NULL on more than {limit:g} % of rows: " + ", ".join(high) if high else ""))
    return section


def _dup_column(t: TableSpec, test: dict[str, Any]) -> bool:
    return sum(1 for x in t.null_tests if x["column"] == test["column"]) > 1


def _duplicates(results, plan, thresholds, report) -> Section:
    section = Section("duplicates", "Duplicate primary keys", columns=["table", "key", "date", "key value", "copies"])
    for t in plan.tables:
        rows = results.get(f"duplicates:{t.name}")
        if rows is None:
            continue
        key = ", ".join(t.key_columns)
        for r in rows:
            section.rows.append([t.name, key, str(r["test_date"]), r["key_value"], r["copies"]])
        section.checks.append(Check(
            "duplicates", f"duplicates.{t.name}", f"{t.name}: one row per ({key})", "error", not rows,
            observed=len(rows), threshold="= 0",
            message=(f"{t.name}: {len(rows)}{'+' if len(rows) >= 50 else ''} duplicated key(s) ({key}): "
                     + _dates_text([f"{r['key_value']} ×{r['copies']}" for r in rows], 5)) if rows else "",
            examples=[{"date": str(r["test_date"]), "key": r["key_value"], "copies": r["copies"]} for r in rows[:EXAMPLES]],
        ))
    return section


def _gaps(results, plan, thresholds, report) -> Section:
    section = Section("gaps", "Schedule game dates without rows", columns=["table", "missing dates", "final games"])
    if "gaps" not in results:
        return section
    for t in plan.tables:
        rows = [r for r in results["gaps"] if r["table_name"] == t.name]
        days = sorted(as_date(r["missing_date"]) for r in rows)
        runs = _runs(days)
        if rows:
            section.rows.append([t.name, ", ".join(runs), sum(int(r["final_games"]) for r in rows)])
        skip = " (bootstrap days excluded)" if t.bootstrap == "skip" else ""
        section.checks.append(Check(
            "gaps", f"gaps.{t.name}", f"{t.name}: a row on every final game date{skip}", "error", not rows,
            observed=len(rows), threshold="= 0",
            message=f"{t.name}: no rows on {len(rows)} game date(s): " + _dates_text(runs) if rows else "",
            examples=[{"date": str(d)} for d in days[:EXAMPLES]],
        ))
    return section


def _consistency(results, plan, thresholds, report) -> Section:
    section = Section("consistency", "Cross-layer consistency", columns=["check", "mismatches"])
    for macro, title in CONSISTENCY.items():
        rows = results.get(f"consistency:{macro}")
        if rows is None:
            continue
        n = int(rows[0]["failing_rows"]) if rows else 0
        examples = [{k: (str(v) if isinstance(v, (dt.date, dt.datetime)) else v) for k, v in r.items()
                     if k != "failing_rows"} for r in rows]
        section.rows.append([title, n])
        section.checks.append(Check(
            "consistency", f"consistency.{macro.removeprefix('consistency_')}", title, "error", n == 0,
            observed=n, threshold="= 0",
            message=f"{title}: {n} mismatching row(s), e.g. " + "; ".join(
                ", ".join(f"{k}={v}" for k, v in e.items()) for e in examples[:2]) if n else "",
            examples=examples,
        ))
    return section


def _fs_totals(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for r in rows:
        for k, v in r.items():
            if k not in ("game_date", "month"):
                out[k] += int(v or 0)
    out["real_rows"] = out["total_rows"] - out["placeholder_rows"]
    return out


def _feature_store(results, plan, thresholds, report) -> Section:
    section = Section("feature_store", "Feature store health (ml_feature_store_v2)",
                      columns=["month", "rows", "placeholders", "complete", "bootstrap", "data gaps", "gold",
                               "silver", "bronze", "poor", "critical", "required defaults", "context fallback",
                               "training ready %"])
    rows = results.get("feature_store")
    if rows is None:
        return section
    by_month: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_month[r["month"]].append(r)
    for month, rs in sorted(by_month.items()):
        s = _fs_totals(rs)
        section.rows.append([month, s["total_rows"], s["placeholder_rows"], s["complete_rows"], s["bootstrap_rows"],
                             s["data_gap_rows"], s["gold_rows"], s["silver_rows"], s["bronze_rows"], s["poor_rows"],
                             s["critical_rows"], s["required_default_rows"], s["fallback_rows"],
                             _pct(s["training_ready_rows"], s["real_rows"])])
    total = _fs_totals(rows)
    gap_limit = float(thresholds.get("data_gap_pct", 5))
    gap_dates = sorted((r for r in rows if int(r["data_gap_rows"] or 0)), key=lambda r: r["game_date"])
    gap_pct = _pct(total["data_gap_rows"], total["real_rows"])
    section.checks.append(Check(
        "feature_store", "feature_store.data_gaps", f"data-gap rows (not complete, not bootstrap) below {gap_limit:g} %",
        "warn", gap_pct is None or gap_pct < gap_limit, observed=gap_pct, threshold=f"< {gap_limit:g} %",
        message=(f"{total['data_gap_rows']} data-gap row(s) ({_fmt_pct(gap_pct)}) on " + _dates_text(
            [f"{r['game_date']} ({r['data_gap_rows']})" for r in gap_dates])) if gap_dates else "",
        examples=[{"date": str(r["game_date"]), "data_gap_rows": r["data_gap_rows"]} for r in gap_dates[:EXAMPLES]],
    ))
    fallback = [r for r in rows if int(r["fallback_rows"] or 0)]
    section.checks.append(Check(
        "feature_store", "feature_store.context_fallback", "rows built from the player_game_summary fallback universe",
        "info", not fallback, observed=total["fallback_rows"], threshold="= 0",
        message=("context fallback on " + _dates_text(sorted(str(r["game_date"]) for r in fallback))) if fallback else ""))
    section.checks.append(Check(
        "feature_store", "feature_store.required_defaults", "rows with a required feature defaulted",
        "info", total["required_default_rows"] == 0, observed=total["required_default_rows"], threshold="= 0",
        message=f"{total['required_default_rows']} row(s) with required defaults" if total["required_default_rows"] else ""))
    return section


def _quarantine(results, plan, thresholds, report) -> Section:
    section = Section("quarantine", "Raw rows quarantined, and the raw-row accounting",
                      columns=["table", "raw rows", "staged", "excluded", "quarantined", "superseded", "unaccounted",
                               "balanced"])
    rows = results.get("quarantine")
    if rows is None:
        return section
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        grouped[(r["source_table"], r["reason"])].append(r)
    for (table, reason), rs in sorted(grouped.items()):
        n = sum(int(r["quarantined_rows"]) for r in rs)
        days = sorted(str(r["game_date"]) for r in rs if r["game_date"] is not None)
        section.checks.append(Check(
            "quarantine", f"quarantine.{table}.{reason}", f"{table}: raw rows quarantined ({reason})", "warn", False,
            observed=n, threshold="= 0",
            message=f"{n} {table} row(s) quarantined ({reason}) on " + (_dates_text(days) or "undated rows"),
            examples=[{"date": str(r["game_date"]), "rows": r["quarantined_rows"], "key": r["example_key"]}
                      for r in sorted(rs, key=lambda r: str(r["game_date"]))[:EXAMPLES]],
        ))
    accounting = results.get("quarantine:accounting") or []
    unbalanced = []
    for r in sorted(accounting, key=lambda r: r["source_table"]):
        section.rows.append([r["source_table"], r["raw_rows"], r["staged_rows"], r["excluded_rows"],
                             r["quarantined_rows"], r["superseded_rows"], r["unaccounted_rows"],
                             "yes" if r["is_balanced"] else "no"])
        if not r["is_balanced"]:
            unbalanced.append(f"{r['source_table']} ({r['unaccounted_rows']} unaccounted)")
    superseded = {r["source_table"]: int(r["superseded_rows"] or 0) for r in accounting if int(r["superseded_rows"] or 0)}
    section.checks.append(Check(
        "quarantine", "quarantine.accounting", "every raw row is staged, excluded, quarantined or superseded",
        "error", not unbalanced, observed=len(unbalanced), threshold="= 0 tables unbalanced",
        message="raw rows unaccounted for in " + ", ".join(unbalanced) if unbalanced else ""))
    freshness = results.get("quarantine:freshness") or []
    stale = [r for r in freshness if r["accounting_state"] != "not_accounted"]
    uncounted = [r for r in freshness if r["accounting_state"] == "not_accounted"]
    section.checks.append(Check(
        "quarantine", "quarantine.counted", "every raw row of the range was counted by a backfill or build",
        "warn", not uncounted, observed=sum(int(r["dates"]) for r in uncounted), threshold="= 0 dates",
        message=("raw rows never counted (backfill those dates): " + "; ".join(
            f"{r['source_table']} on {r['dates']} date(s) {r['first_date']}..{r['last_date']}"
            for r in sorted(uncounted, key=lambda r: r["source_table"]))) if uncounted else ""))
    section.checks.append(Check(
        "quarantine", "quarantine.fresh", "the accounting and the quarantine count the raw rows of now",
        "error", not stale, observed=len(stale), threshold="= 0 tables with changed raw rows",
        message=("raw rows changed after they were counted (re-run the backfill of those dates): " + "; ".join(
            f"{r['source_table']} {r['accounting_state']} on {r['dates']} date(s) {r['first_date']}..{r['last_date']}"
            f" ({r['raw_rows_now']} raw rows now, {r['accounted_raw_rows']} counted)"
            for r in sorted(stale, key=lambda r: (r["source_table"], r["accounting_state"])))) if stale else ""))
    section.checks.append(Check(
        "quarantine", "quarantine.superseded", "raw rows superseded by a later or identical row (duplicates)",
        "info", not superseded, observed=sum(superseded.values()),
        message="superseded raw rows: " + ", ".join(f"{k} {v}" for k, v in sorted(superseded.items()))
        if superseded else ""))
    return section


def _ledger(results, plan, thresholds, report) -> Section:
    section = Section("ledger", "Backfill ledger: failed, blocked and incomplete-window dates",
                      columns=["model", "date", "status", "reason"])
    rows = results.get("ledger")
    if rows is None:
        return section
    rows = sorted(rows, key=lambda r: (r["model_name"], r["ledger_date"]))
    for r in rows:
        section.rows.append([r["model_name"], str(r["ledger_date"]), r["status"], r["reason"]])
    # an incomplete window is a warning: the date passed its own gates, but its window misses an
    # upstream date that failed or was blocked (the run that passes that date rebuilds it)
    for status, severity in (("failed", "error"), ("blocked", "error"), (INCOMPLETE_WINDOW, "warn")):
        rs = [r for r in rows if r["status"] == status]
        per_model: dict[str, list[str]] = defaultdict(list)
        for r in rs:
            per_model[r["model_name"]].append(str(r["ledger_date"]))
        section.checks.append(Check(
            "ledger", f"ledger.{status.replace(' ', '_')}", f"no {status} (model, date) in the backfill ledger",
            severity, not rs,
            observed=len(rs), threshold="= 0",
            message=(f"{len(rs)} {status} (model, date): " + "; ".join(
                f"{m} {_dates_text(d, 4)}" for m, d in per_model.items())
                + (f" — first reason: {rs[0]['reason']}" if rs[0]["reason"] else "")) if rs else "",
            examples=[{"model": r["model_name"], "date": str(r["ledger_date"]), "reason": r["reason"]}
                      for r in rs[:EXAMPLES]],
        ))
    return section


# -- readiness (issue 10) ----------------------------------------------------------------
def readiness(results: dict[str, list[dict[str, Any]]], plan: Plan, thresholds: dict[str, Any]) -> Readiness:
    """READY when every threshold meets its target; failing ones name the months responsible."""
    th = {k: float(v) for k, v in thresholds.items() if v is not None}
    out: list[ThresholdResult] = []

    # Phase 3 coverage: rows / expected rows of the worst error-severity coverage test of a
    # Phase 3 table over the range (each test's own definition of expected rows)
    candidates = []
    for t in plan.tables:
        if t.phase != "phase3":
            continue
        for test in t.coverage_tests:
            key = f"coverage:{t.name}:{test['query']}"
            if test["severity"] == "error" and key in results:
                # a date counts at most its expected rows: a surplus on one date (e.g. gamebook rows
                # with DNPs against BDL players) must not hide a date without rows
                capped = [dict(r, rows_found=min(int(r["rows_found"]), int(r["rows_expected"])))
                          for r in results[key]]
                candidates.append(_month_sums(capped, "rows_found", "rows_expected"))
    target, minimum = th.get("phase3_coverage_pct", 90), th.get("phase3_coverage_min_pct", 85)
    phase3 = [_at_least("phase3_coverage", sums, target, minimum) for sums in candidates]
    if phase3:
        worst = min(phase3, key=lambda r: (r.observed is not None, r.observed or 0.0))
        worst.months = sorted({m for r in phase3 for m in r.months})
        out.append(worst)
    else:
        out.append(_at_least("phase3_coverage", {}, target, minimum))

    # Phase 3 NULL rate: the worst error-severity null-rate test of a Phase 3 table
    per_month: dict[str, float] = {}
    worst: float | None = None
    for t in plan.tables:
        if t.phase != "phase3":
            continue
        for i, test in enumerate(t.null_tests):
            if test["severity"] != "error":
                continue
            rows = results.get(f"null_rates:{t.name}:{i}") or []
            sums = _month_sums(rows, "null_rows", "rows_checked")
            pct = _pct(sum(a for a, _ in sums.values()), sum(b for _, b in sums.values()))
            if pct is not None:
                worst = pct if worst is None else max(worst, pct)
            for month, (a, b) in sums.items():
                p = _pct(a, b)
                if p is not None:
                    per_month[month] = max(per_month.get(month, 0.0), p)
    target, limit = th.get("phase3_null_pct", 10), th.get("phase3_null_max_pct", 50)
    out.append(ThresholdResult("phase3_null_rate", worst, f"< {target:g} %", f"< {limit:g} %",
                               worst is not None and worst < target,
                               sorted(m for m, p in per_month.items() if p >= target)))

    layer = results.get("layer_coverage") or []
    out.append(_at_least("phase4_coverage", _month_sums(layer, "phase4_games", "raw_games_after_bootstrap"),
                         th.get("phase4_coverage_pct", 80), None))

    fs = results.get("feature_store") or []
    real = {m: (s["training_ready_rows"], s["real_rows"]) for m, s in _fs_by_month(fs).items()}
    out.append(_at_least("training_ready", real, th.get("training_ready_pct", 70), None))
    gaps = {m: (s["data_gap_rows"], s["real_rows"]) for m, s in _fs_by_month(fs).items()}
    gap_total = _pct(sum(a for a, _ in gaps.values()), sum(b for _, b in gaps.values()))
    gap_target = th.get("data_gap_pct", 5)
    out.append(ThresholdResult("data_gap_rows", gap_total, f"< {gap_target:g} %", None,
                               gap_total is not None and gap_total < gap_target,
                               sorted(m for m, (a, b) in gaps.items() if b and _pct(a, b) >= gap_target)))
    out += feature_health.readiness_thresholds(results.get(feature_health.SECTION_ID), thresholds)
    verdict = "READY" if all(t.passed for t in out) else "NOT READY"
    return Readiness(verdict, out)  # type: ignore[arg-type]


def _month_sums(rows: Iterable[dict[str, Any]], part: str, whole: str) -> dict[str, tuple[int, int]]:
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        sums[r["month"]][0] += int(r[part] or 0)
        sums[r["month"]][1] += int(r[whole] or 0)
    return {m: (a, b) for m, (a, b) in sums.items()}


def _fs_by_month(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, int]]:
    by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by[r["month"]].append(r)
    return {m: _fs_totals(rs) for m, rs in by.items()}


def _at_least(name: str, sums: dict[str, tuple[int, int]], target: float, minimum: float | None) -> ThresholdResult:
    observed = _pct(sum(a for a, _ in sums.values()), sum(b for _, b in sums.values()))
    months = sorted(m for m, (a, b) in sums.items() if b and _pct(a, b) < target)
    return ThresholdResult(name, observed, f">= {target:g} %", None if minimum is None else f">= {minimum:g} %",
                           observed is not None and observed >= target, months)


def _below_minimum(t: ThresholdResult) -> bool:
    """A failing threshold is an error below its minimum (or without one), else a warning."""
    if t.observed is None or t.minimum is None:
        return True
    op, value = t.minimum.split()[0], float(t.minimum.split()[1])
    return t.observed < value if op == ">=" else t.observed >= value


def _fmt_threshold(t: ThresholdResult) -> str:
    return _fmt_pct(t.observed) if "%" in t.target else f"{t.observed:g}" if t.observed is not None else "n/a"


def _readiness_section(r: Readiness) -> Section:
    section = Section("readiness", f"ML-training readiness: {r.line}",
                      columns=["threshold", "observed", "target", "minimum", "passed", "months responsible",
                               "features responsible"])
    for t in r.thresholds:
        section.rows.append([t.name, t.observed, t.target, t.minimum, t.passed, ", ".join(t.months),
                             ", ".join(t.features)])
        severity = t.severity or ("error" if not t.passed and _below_minimum(t) else "warn")
        section.checks.append(Check(
            "readiness", f"readiness.{t.name}", f"{t.name} {t.target}", severity, t.passed,  # type: ignore[arg-type]
            observed=t.observed, threshold=t.target + (f" (minimum {t.minimum})" if t.minimum else ""),
            message="" if t.passed else (
                f"NOT READY: {t.name} is {_fmt_threshold(t)}, needs {t.target}"
                + (f"; features responsible: {', '.join(t.features)}" if t.features else "")
                + (f"; months responsible: {', '.join(t.months)}" if t.months else "")),
        ))
    return section

