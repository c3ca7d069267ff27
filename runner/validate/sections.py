"""The sections of the validation report, built from the rows of validate's queries.

One builder per section (``coverage``, ``layer_coverage``, ``null_rates``, ``duplicates``,
``gaps``, ``consistency``, ``feature_store``, ``quarantine``, ``ledger``; ``feature_health``,
``freshness`` and ``readiness`` live in their own modules); each turns the rows of its checks
(keyed by the ids of ``runner.validate.plan.plan_queries``) into a ``Section`` with its detail
table and its checks. ``build_report`` assembles the report from all of them. Pure Python over
rows: unit-tested without dbt or a warehouse.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from runner.backfill.planner import INCOMPLETE_WINDOW
from runner.validate import date_coverage, feature_health
from runner.validate.figures import dates_text, fmt_pct, fs_totals, pct, runs, threshold
from runner.validate.freshness import freshness_section
from runner.validate.plan import CONSISTENCY, EXAMPLES, Plan, TableSpec
from runner.validate.readiness import readiness, readiness_section
from runner.validate.report import Check, CoverageCell, Report, Section
from runner.warehouse import as_date


def build_report(results: dict[str, list[dict[str, Any]]], plan: Plan, start: dt.date, end: dt.date,
                 target: str = "duckdb", select: list[str] | None = None, missing: Sequence[str] = (),
                 embedded: bool = True) -> Report:
    thresholds = (results.get("thresholds") or [{}])[0]
    report = Report(target=target, start_date=start, end_date=end, select=list(select or []),
                    generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
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
        report.sections.append(readiness_section(report.readiness))
    return report


def _coverage(results, plan, thresholds, report) -> Section:
    gate_default = threshold(thresholds, "coverage_gate_pct")
    section = Section("coverage", "Coverage per table, season and month (each table's backfill gate)",
                      columns=["table", "season", "month", "dates with rows", "expected dates",
                               "rows", "expected rows", "row coverage %", "dates below gate"])
    for t in plan.tables:
        date_coverage.add_cells(results.get(date_coverage.QUERY_ID), section, report, t.name)
        for test in t.coverage_tests:
            rows = results.get(f"coverage:{t.name}:{test['query']}")
            if rows is None:
                continue
            gate = gate_pct(test, thresholds, gate_default)
            if test["is_gate"]:
                _coverage_rows(t.name, rows, gate, section, report)
            failing = sorted((r for r in rows if _below(r, gate)), key=lambda r: r["test_date"])
            found = sum(int(r["rows_found"]) for r in rows)
            expected = sum(int(r["rows_expected"]) for r in rows)
            message = ""
            if failing:
                label = f" ({test['name']})" if len(test["name"]) <= 48 else ""
                message = (f"{t.name}: {len(failing)} date(s) below {gate:g} %{label}: " + dates_text(
                    [f"{r['test_date']} ({r['rows_found']}/{r['rows_expected']} rows)" for r in failing]))
            section.checks.append(Check(
                "coverage", f"coverage.{t.name}.{test['name']}",
                f"{t.name}: every date at least {gate:g} % of its expected rows ({test['name']})",
                test["severity"], not failing, observed=pct(found, expected), threshold=f">= {gate:g} % per date",
                message=message,
                examples=[{"date": str(r["test_date"]), "rows": r["rows_found"], "expected": r["rows_expected"],
                           "coverage_pct": r["coverage_pct"]} for r in failing[:EXAMPLES]],
            ))
    return section


def gate_pct(test: dict[str, Any], thresholds: dict[str, Any], default: float) -> float:
    """The test's min_pct: a number, or var('<name>') read from the thresholds row."""
    raw = test.get("min_pct")
    if raw is None:
        return default
    match = re.match(r"""var\(['"](\w+)['"]\)""", raw.strip())
    if match:
        return threshold(thresholds, match.group(1))
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
                             pct(found, expected), below])


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
                             s["phase4_games"], s["feature_games"], pct(s["phase3_games"], s["raw_games"]),
                             pct(s["phase4_games"], s["raw_games_after_bootstrap"])])
    gate = threshold(thresholds, "coverage_gate_pct")
    p4 = threshold(thresholds, "phase4_coverage_pct")
    for layer, num, den, need in (("phase3", "phase3_games", "raw_games", gate),
                                  ("phase4", "phase4_games", "raw_games_after_bootstrap", p4)):
        low = [f"{season} ({fmt_pct(pct(s[num], s[den]))})" for season, s in sorted(seasons.items())
               if s[den] and pct(s[num], s[den]) < need]
        total = pct(sum(s[num] for s in seasons.values()), sum(s[den] for s in seasons.values()))
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
            section.rows.append([t.name, test["column"], checked, nulls, pct(nulls, checked), limit, len(above)])
            where = f" where {test['where']}" if test["where"] else ""
            section.checks.append(Check(
                "null_rates", f"null_rates.{t.name}.{test['column']}" + (f".{i}" if _dup_column(t, test) else ""),
                f"{t.name}.{test['column']}: NULL rate{where} at most {limit:g} % per date",
                test["severity"], not above, observed=pct(nulls, checked), threshold=f"<= {limit:g} % per date",
                message=(f"{t.name}.{test['column']}: NULL above {limit:g} % on {len(above)} date(s): " + dates_text(
                    [f"{r['test_date']} ({fmt_pct(pct(r['null_rows'], r['rows_checked']))})" for r in above]))
                if above else "",
                examples=[{"date": str(r["test_date"]), "rows": r["rows_checked"], "null_rows": r["null_rows"]}
                          for r in above[:EXAMPLES]],
            ))
    rows = results.get("null_rates:features")
    if rows is not None:
        limit = threshold(thresholds, "feature_null_pct")
        per_feature: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in rows:
            per_feature[r["column_name"]][0] += int(r["rows_checked"])
            per_feature[r["column_name"]][1] += int(r["null_rows"] or 0)
        high = []
        for name, (checked, nulls) in per_feature.items():
            share = pct(nulls, checked)
            section.rows.append(["ml_training_set", name, checked, nulls, share, limit, None])
            if share is not None and share > limit:
                high.append(f"{name} ({fmt_pct(share)})")
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
                     + dates_text([f"{r['key_value']} ×{r['copies']}" for r in rows], 5)) if rows else "",
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
        spans = runs(days)
        if rows:
            section.rows.append([t.name, ", ".join(spans), sum(int(r["final_games"]) for r in rows)])
        skip = " (bootstrap days excluded)" if t.bootstrap == "skip" else ""
        section.checks.append(Check(
            "gaps", f"gaps.{t.name}", f"{t.name}: a row on every final game date{skip}", "error", not rows,
            observed=len(rows), threshold="= 0",
            message=f"{t.name}: no rows on {len(rows)} game date(s): " + dates_text(spans) if rows else "",
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
        s = fs_totals(rs)
        section.rows.append([month, s["total_rows"], s["placeholder_rows"], s["complete_rows"], s["bootstrap_rows"],
                             s["data_gap_rows"], s["gold_rows"], s["silver_rows"], s["bronze_rows"], s["poor_rows"],
                             s["critical_rows"], s["required_default_rows"], s["fallback_rows"],
                             pct(s["training_ready_rows"], s["real_rows"])])
    total = fs_totals(rows)
    gap_limit = threshold(thresholds, "data_gap_pct")
    gap_dates = sorted((r for r in rows if int(r["data_gap_rows"] or 0)), key=lambda r: r["game_date"])
    gap_pct = pct(total["data_gap_rows"], total["real_rows"])
    section.checks.append(Check(
        "feature_store", "feature_store.data_gaps", f"data-gap rows (not complete, not bootstrap) below {gap_limit:g} %",
        "warn", gap_pct is None or gap_pct < gap_limit, observed=gap_pct, threshold=f"< {gap_limit:g} %",
        message=(f"{total['data_gap_rows']} data-gap row(s) ({fmt_pct(gap_pct)}) on " + dates_text(
            [f"{r['game_date']} ({r['data_gap_rows']})" for r in gap_dates])) if gap_dates else "",
        examples=[{"date": str(r["game_date"]), "data_gap_rows": r["data_gap_rows"]} for r in gap_dates[:EXAMPLES]],
    ))
    fallback = [r for r in rows if int(r["fallback_rows"] or 0)]
    section.checks.append(Check(
        "feature_store", "feature_store.context_fallback", "rows built from the player_game_summary fallback universe",
        "info", not fallback, observed=total["fallback_rows"], threshold="= 0",
        message=("context fallback on " + dates_text(sorted(str(r["game_date"]) for r in fallback))) if fallback else ""))
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
            message=f"{n} {table} row(s) quarantined ({reason}) on " + (dates_text(days) or "undated rows"),
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
                f"{m} {dates_text(d, 4)}" for m, d in per_model.items())
                + (f" — first reason: {rs[0]['reason']}" if rs[0]["reason"] else "")) if rs else "",
            examples=[{"model": r["model_name"], "date": str(r["ledger_date"]), "reason": r["reason"]}
                      for r in rs[:EXAMPLES]],
        ))
    return section
