"""Which dates of a chunk fail, and the reasons, from a dbt outcome and the stored failures."""
from __future__ import annotations

import datetime as dt

from runner.backfill.gates import judge_chunk
from runner.dbt import DbtOutcome, NodeResult

DATES = [dt.date(2024, 11, d) for d in (1, 2, 3)]
MODEL = NodeResult("model.p.pgs", "pgs", "model", "success", None, 1.0)


def _test(name, status, relation=None, failures=1):
    return NodeResult(f"test.p.{name}", name, "test", status, "Got rows", 0.1, failures, relation)


def judge(nodes, stored, exit_code=1, error=None):
    return judge_chunk(DbtOutcome(["build"], exit_code, nodes, error), "pgs", DATES, lambda rel: stored.get(rel, []))


def test_coverage_failures_fail_exactly_their_dates_with_the_numbers():
    stored = {"cov": [{"test_date": DATES[1], "rows_found": 3, "rows_expected": 25, "coverage_pct": 12.0,
                       "min_pct": 90}]}
    verdict = judge([MODEL, _test("pgs_cov", "fail", "cov")], stored)
    assert verdict.failed == {DATES[1]: "pgs_cov: 3 rows of 25 expected (12.0 % < 90 %)"}


def test_singular_tests_fail_the_dates_of_their_rows_and_coverage_reasons_come_first():
    stored = {"cov": [{"test_date": DATES[0], "rows_found": 1, "rows_expected": 9, "coverage_pct": 11.1, "min_pct": 90}],
              "pts": [{"game_date": DATES[0], "team_abbr": "DET", "points": 1}, {"game_date": DATES[0], "team_abbr": "X"}]}
    verdict = judge([MODEL, _test("pts_match", "fail", "pts"), _test("pgs_cov", "fail", "cov")], stored)
    assert list(verdict.failed) == [DATES[0]]
    assert verdict.failed[DATES[0]].startswith("pgs_cov: 1 rows of 9 expected")
    assert "pts_match: team_abbr=DET, points=1 (+1 more failing rows)" in verdict.failed[DATES[0]]


def test_a_failing_test_without_dates_fails_the_whole_chunk_naming_the_test():
    verdict = judge([MODEL, _test("unique_key", "fail", "uk", failures=4)], {"uk": [{"k": 1}]})
    assert set(verdict.failed) == set(DATES)
    assert verdict.failed[DATES[0]] == "test unique_key failed (4 failing rows)"


def test_warnings_do_not_fail_dates():
    stored = {"w": [{"test_date": DATES[2], "rows_found": 93, "rows_expected": 100, "coverage_pct": 93.0, "min_pct": 95}]}
    verdict = judge([MODEL, _test("pgs_warn", "warn", "w")], stored, exit_code=0)
    assert verdict.failed == {}
    assert verdict.warnings == {DATES[2]: ["pgs_warn: 93 rows of 100 expected (93.0 % < 95 %)"]}


def test_a_sql_error_or_a_dbt_exception_fails_every_date():
    broken = NodeResult("model.p.pgs", "pgs", "model", "error", "Binder Error: column x", 1.0)
    assert set(judge([broken], {}).failed.values()) == {"SQL error: Binder Error: column x"}
    assert "dbt could not run" in judge([], {}, exit_code=2, error="CompilationError: boom").failed[DATES[0]]
