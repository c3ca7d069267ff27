"""validate's report logic without dbt: rows -> checks, severity order, exit codes, readiness."""
from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from runner.cli import app
from runner.dbt import INLINE_ANCHOR, split_compiled
from runner.services import validate as svc
from runner.validate.plan import Plan, TableSpec, group_queries, plan_queries, run_queries
from runner.validate.readiness import readiness
from runner.validate.report import SECTIONS, Check, Report, Section
from runner.validate.sections import build_report, gate_pct

D = dt.date(2024, 11, 5)
PGS = TableSpec("player_game_summary", "phase3", "nba_analytics", "player_game_summary",
                "ref('player_game_summary')", "game_date", "none", "coverage_comparison(...)",
                ({"name": "pgs_gate", "call": "coverage_comparison(...)", "severity": "error", "min_pct": None,
                  "is_gate": True, "query": 0},),
                ("game_date", "player_lookup"),
                ({"column": "minutes_played", "where": "is_active", "max_null_pct": 10.0, "severity": "error"},))
THRESHOLDS = {"coverage_gate_pct": 90, "phase3_coverage_pct": 90, "phase3_coverage_min_pct": 85,
              "phase3_null_pct": 10, "phase3_null_max_pct": 50, "phase4_coverage_pct": 80,
              "training_ready_pct": 70, "data_gap_pct": 5, "feature_null_pct": 50}


def _cov(day: dt.date, found: int, expected: int = 100) -> dict:
    return {"table_name": "player_game_summary", "test_date": day, "season_year": 2024,
            "month": day.strftime("%Y-%m"), "rows_found": found, "rows_expected": expected,
            "coverage_pct": 100.0 * found / expected}


def _fs(day: dt.date, total: int = 100, ready: int = 90, gaps: int = 0) -> dict:
    return {"game_date": day, "month": day.strftime("%Y-%m"), "total_rows": total, "placeholder_rows": 0,
            "complete_rows": total - gaps, "bootstrap_rows": 0, "data_gap_rows": gaps, "gold_rows": ready,
            "silver_rows": 0, "bronze_rows": 0, "poor_rows": total - ready, "critical_rows": 0,
            "required_default_rows": 0, "fallback_rows": 0, "training_ready_rows": ready}


def _results(cov_days: list[tuple[dt.date, int]], null_rows: int = 0) -> dict:
    return {
        "thresholds": [THRESHOLDS],
        "coverage:player_game_summary:0": [_cov(d, f) for d, f in cov_days],
        "null_rates:player_game_summary:0": [
            {"test_date": d, "month": d.strftime("%Y-%m"), "rows_checked": 100, "null_rows": null_rows}
            for d, _ in cov_days],
        "layer_coverage": [{"season_year": 2024, "month": "2024-11", "raw_games": 10,
                            "raw_games_after_bootstrap": 10, "phase3_games": 10, "phase4_games": 10,
                            "feature_games": 10}],
        "feature_store": [_fs(d) for d, _ in cov_days],
    }


def _plan(sections=("coverage", "null_rates", "readiness")) -> Plan:
    return Plan(tuple(sections), [PGS])


def test_split_compiled_puts_the_ephemeral_ctes_back_in_front_of_every_query():
    compiled = (f"with __dbt__cte__cal as (select 1 as s), {INLINE_ANCHOR}\n"
                "-- @@q:a@@\nselect * from __dbt__cte__cal\n"
                "-- @@q:b@@\n    with x as (select 2 as y) select * from x\n")
    out = split_compiled(compiled)
    assert out["a"] == "with __dbt__cte__cal as (select 1 as s)\nselect * from __dbt__cte__cal"
    assert out["b"].startswith("with __dbt__cte__cal as (select 1 as s),\nx as (select 2 as y)")


def test_split_compiled_without_ephemerals_keeps_each_query_as_is():
    compiled = f"with {INLINE_ANCHOR}\n-- @@q:a@@\nselect 1\n-- @@q:b@@\nselect 2"
    assert split_compiled(compiled) == {"a": "select 1", "b": "select 2"}


def test_coverage_gate_fails_naming_the_dates_below_it():
    days = [(D, 100), (D + dt.timedelta(days=1), 20), (D + dt.timedelta(days=2), 0)]
    report = build_report(_results(days), _plan(("coverage",)), D, D + dt.timedelta(days=2))
    check = next(c for c in report.checks() if c.name == "coverage.player_game_summary.pgs_gate")
    assert not check.passed and check.severity == "error"
    assert "2024-11-06 (20/100 rows)" in check.message and "pgs_gate" in check.message
    assert "2024-11-06 (20/100 rows)" in check.message and "2024-11-07 (0/100 rows)" in check.message
    assert [e["date"] for e in check.examples] == ["2024-11-06", "2024-11-07"]
    cell = report.coverage[0]
    assert (cell.month, cell.dates_with_rows, cell.expected_dates, cell.rows, cell.expected_rows) == (
        "2024-11", 2, 3, 120, 300)


def test_failing_lists_the_most_severe_first_and_exit_code_follows_fail_on():
    report = Report("duckdb", D, D, [], "now", sections=[Section("gaps", "g", checks=[
        Check("gaps", "a", "a", "info", False), Check("gaps", "b", "b", "warn", False),
        Check("gaps", "c", "c", "error", True)])])
    assert [c.name for c in report.failing()] == ["b", "a"]
    assert report.exit_code("error") == 0 and report.exit_code("warn") == 1
    report.sections[0].checks.append(Check("gaps", "d", "d", "error", False))
    assert report.failing()[0].name == "d" and report.exit_code("error") == 1


def test_readiness_is_ready_when_every_target_holds():
    days = [(D + dt.timedelta(days=i), 100) for i in range(5)]
    r = readiness(_results(days), _plan(), THRESHOLDS)
    assert r.verdict == "READY" and r.line == "READY"
    assert {t.name for t in r.thresholds} == {
        "phase3_coverage", "phase3_null_rate", "phase4_coverage", "training_ready", "data_gap_rows"}


def test_readiness_names_the_failing_threshold_and_the_month_responsible():
    days = [(dt.date(2024, 11, 28), 100), (dt.date(2024, 11, 29), 100),
            (dt.date(2024, 12, 1), 0), (dt.date(2024, 12, 2), 60)]
    report = build_report(_results(days), _plan(), days[0][0], days[-1][0])
    r = report.readiness
    assert r.verdict == "NOT READY" and r.line == "NOT READY: phase3_coverage"
    cov = next(t for t in r.thresholds if t.name == "phase3_coverage")
    assert cov.observed == 65.0 and cov.months == ["2024-12"]
    check = next(c for c in report.checks() if c.name == "readiness.phase3_coverage")
    assert check.severity == "error" and "2024-12" in check.message  # 65 % is below the 85 % minimum


def test_readiness_between_minimum_and_target_is_a_warning():
    days = [(D + dt.timedelta(days=i), 88) for i in range(3)]
    report = build_report(_results(days), _plan(), D, D + dt.timedelta(days=2))
    check = next(c for c in report.checks() if c.name == "readiness.phase3_coverage")
    assert not check.passed and check.severity == "warn"
    assert report.readiness.verdict == "NOT READY"


def test_readiness_null_rate_uses_the_phase3_error_tests():
    days = [(D + dt.timedelta(days=i), 100) for i in range(3)]
    r = readiness(_results(days, null_rows=12), _plan(), THRESHOLDS)
    null = next(t for t in r.thresholds if t.name == "phase3_null_rate")
    assert not null.passed and null.observed == 12.0 and null.months == ["2024-11"]


def test_readiness_without_rows_is_not_ready():
    r = readiness({"thresholds": [THRESHOLDS]}, _plan(), THRESHOLDS)
    assert r.verdict == "NOT READY"
    assert all(t.observed is None for t in r.thresholds if t.name != "phase3_null_rate")


def test_plan_has_one_query_per_check_and_select_restricts_sections():
    plan = plan_queries(("gaps",), [PGS], has_ledger=False)
    assert set(plan.queries) == {"thresholds", "gaps"}
    assert "'name': 'player_game_summary', 'relation': ref('player_game_summary')" in plan.queries["gaps"]
    full = plan_queries(SECTIONS, [PGS])
    assert {"coverage:player_game_summary:0", "duplicates:player_game_summary", "gaps", "null_rates:player_game_summary:0",
            "quarantine", "quarantine:accounting", "ledger", "freshness"} <= set(full.queries)


cli = CliRunner()


@pytest.mark.parametrize("args, named", [
    (["validate", "--fail-on", "fatal"], "fatal"),
    (["validate", "--format", "pdf"], "pdf"),
    (["validate", "--start-date", "2024-12-01", "--end-date", "2024-11-01"], "2024-11-01"),
    (["validate", "--start-date", "2024-13-01"], "2024-13-01"),
])
def test_bad_input_exits_2_naming_the_value_before_any_database_is_opened(tmp_path, args, named):
    db = tmp_path / "never.duckdb"
    result = cli.invoke(app, ["--duckdb-path", str(db), *args])
    assert result.exit_code == 2, result.output
    assert named in " ".join(result.output.split()), result.output  # refused for its value, not for a database
    assert not db.exists()


@pytest.mark.parametrize("fail_on,severity,code", [
    ("error", "error", 1), ("error", "warn", 0), ("warn", "warn", 1), ("warn", "info", 0)])
def test_exit_code_follows_fail_on(monkeypatch, fail_on, severity, code):
    report = Report("duckdb", D, D, [], "now", sections=[Section("gaps", "g", checks=[
        Check("gaps", "gaps.x", "x", severity, False, message="x: no rows on 2024-11-05")])])
    monkeypatch.setattr(svc, "validate", lambda settings, console, request: svc.ValidateOutcome(report, request.fail_on))
    result = cli.invoke(app, ["validate", "--fail-on", fail_on])
    assert result.exit_code == code, result.output


@pytest.mark.parametrize("severities", [(), ("info",), ("warn",), ("error",), ("info", "warn"), ("warn", "error", "info")])
@pytest.mark.parametrize("fail_on", ["warn", "error"])
def test_the_outcome_fails_exactly_when_a_check_at_or_above_fail_on_failed(severities, fail_on):
    checks = [Check("gaps", f"gaps.t{i}", "t", sev, False) for i, sev in enumerate(severities)]
    checks.append(Check("gaps", "gaps.ok", "ok", "error", True))
    outcome = svc.ValidateOutcome(Report("duckdb", D, D, [], "now", sections=[Section("gaps", "g", checks=checks)]),
                                  fail_on)
    floor = {"warn": 1, "error": 2}[fail_on]
    failing = [c.name for c in checks if not c.passed and {"info": 0, "warn": 1, "error": 2}[c.severity] >= floor]
    assert outcome.exit_code == (1 if failing else 0) == outcome.report.exit_code(fail_on)
    if not failing:
        assert outcome.raise_for_failing() is outcome
        return
    with pytest.raises(svc.ChecksFailed) as raised:
        outcome.raise_for_failing()
    assert raised.value.exit_code == 1
    assert f"{len(failing)} check(s) at or above '{fail_on}' failed" in str(raised.value)
    assert outcome.failing[0].name in str(raised.value)


def test_group_queries_merges_per_table_checks_and_run_queries_splits_them_back():
    queries = {"thresholds": "select 1", "duplicates:a": "select 'a' as t", "duplicates:b": "select 'b' as t",
               "null_rates:features": "select 2"}
    merged, members = group_queries(queries)
    assert set(merged) == {"thresholds", "null_rates:features", "group:duplicates"}
    assert members == {"group:duplicates": ["duplicates:a", "duplicates:b"]}
    assert "union all" in merged["group:duplicates"] and "'duplicates:b' as check_key" in merged["group:duplicates"]

    class FakeWarehouse:
        def dicts(self, sql):
            return [{"check_key": "duplicates:b", "t": "b"}] if "union all" in sql else [{"x": 1}]

    results = run_queries(FakeWarehouse(), merged, members)
    assert results["duplicates:a"] == [] and results["duplicates:b"] == [{"t": "b"}]
    assert results["thresholds"] == [{"x": 1}]


def test_gate_pct_reads_a_var_min_pct_from_the_thresholds_row():
    assert gate_pct({"min_pct": "var('coverage_warn_pct')"}, {"coverage_warn_pct": 95}, 90) == 95
    assert gate_pct({"min_pct": "80"}, {}, 90) == 80
    assert gate_pct({"min_pct": None}, {}, 90) == 90


def test_readiness_coverage_caps_each_date_at_its_expected_rows():
    # 130 % on three dates must not hide a date without rows
    days = [(D + dt.timedelta(days=i), 130) for i in range(3)] + [(D + dt.timedelta(days=3), 0)]
    r = readiness(_results(days), _plan(), THRESHOLDS)
    cov = next(t for t in r.thresholds if t.name == "phase3_coverage")
    assert cov.observed == 75.0 and not cov.passed
