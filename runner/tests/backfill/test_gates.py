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
    assert verdict.failed[DATES[0]] == "test unique_key failed (4 failing rows: 1 without a date)"


def test_warnings_do_not_fail_dates():
    stored = {"w": [{"test_date": DATES[2], "rows_found": 93, "rows_expected": 100, "coverage_pct": 93.0, "min_pct": 95}]}
    verdict = judge([MODEL, _test("pgs_warn", "warn", "w")], stored, exit_code=0)
    assert verdict.failed == {}
    assert verdict.warnings == {DATES[2]: ["pgs_warn: 93 rows of 100 expected (93.0 % < 95 %)"]}


def test_a_sql_error_or_a_dbt_exception_fails_every_date():
    broken = NodeResult("model.p.pgs", "pgs", "model", "error", "Binder Error: column x", 1.0)
    assert set(judge([broken], {}).failed.values()) == {"SQL error: Binder Error: column x"}
    assert "dbt could not run" in judge([], {}, exit_code=2, error="CompilationError: boom").failed[DATES[0]]


def test_a_failing_test_whose_rows_all_lie_outside_the_chunk_fails_the_whole_chunk():
    # e.g. a primary-key test that scans the whole table finds a duplicate on an earlier date:
    # the gate failed, so something must fail with it (it used to pass the chunk silently)
    stored = {"uk": [{"game_date": dt.date(2024, 10, 30), "player_lookup": "a"},
                     {"game_date": dt.date(2024, 10, 31), "player_lookup": "b"}]}
    verdict = judge([MODEL, _test("pgs_unique_key", "fail", "uk", failures=2)], stored)
    assert set(verdict.failed) == set(DATES)
    assert verdict.failed[DATES[1]] == "test pgs_unique_key failed (2 failing rows: 2 dated outside the chunk)"


def test_undated_failing_rows_beside_dated_ones_fail_the_whole_chunk():
    stored = {"t": [{"game_date": DATES[0], "x": 1}, {"game_date": None, "x": 2}]}
    verdict = judge([MODEL, _test("pgs_identity", "fail", "t", failures=2)], stored)
    assert set(verdict.failed) == set(DATES)
    assert verdict.failed[DATES[0]].startswith("pgs_identity: x=1")
    assert "1 without a date" in verdict.failed[DATES[0]]
    assert verdict.failed[DATES[2]] == "test pgs_identity failed (2 failing rows: 1 without a date)"


def test_a_failing_test_that_stored_no_rows_fails_the_whole_chunk():
    verdict = judge([MODEL, _test("pgs_cov", "fail", "missing_table", failures=3)], {})
    assert verdict.failed == dict.fromkeys(DATES, "test pgs_cov failed (3 failing rows)")


def test_a_warning_whose_rows_lie_outside_the_chunk_warns_every_date():
    stored = {"w": [{"test_date": dt.date(2024, 10, 1), "rows_found": 1, "rows_expected": 2}]}
    verdict = judge([MODEL, _test("pgs_warn", "warn", "w")], stored, exit_code=0)
    assert verdict.failed == {}
    assert verdict.warnings == {d: ["test pgs_warn warned (1 failing rows: 1 dated outside the chunk)"] for d in DATES}


def test_a_null_rate_failure_gives_its_numbers_and_an_empty_date_is_named():
    stored = {"nr": [{"test_date": DATES[0], "column_checked": "minutes_played", "rows_checked": 240,
                      "null_rows": 12, "null_pct": 5.0, "max_null_pct": 1},
                     {"test_date": DATES[2], "column_checked": "minutes_played", "rows_checked": 0,
                      "null_rows": 0, "null_pct": None, "max_null_pct": 1}]}
    verdict = judge([MODEL, _test("pgs_minutes_null_rate", "fail", "nr", failures=2)], stored)
    assert verdict.failed == {
        DATES[0]: "pgs_minutes_null_rate: minutes_played NULL on 12 of 240 rows (5.0 % > 1 %)",
        DATES[2]: "pgs_minutes_null_rate: no row to judge minutes_played on (0 rows match the test's filter)",
    }
