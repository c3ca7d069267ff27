"""The coverage heatmap's cells of the date models without a coverage_vs_expected test (the Phase 4
tables dated by analysis_date or cache_date), without dbt."""
from __future__ import annotations

import datetime as dt

from runner.validate import date_coverage
from runner.validate.plan import Plan, TableSpec, plan_queries
from runner.validate.sections import build_report

GATE = {"name": "pgs_gate", "call": "coverage_comparison(...)", "severity": "error", "min_pct": None,
        "is_gate": True, "query": 0}
PGS = TableSpec("player_game_summary", "phase3", "nba_analytics", "player_game_summary", "ref('player_game_summary')",
                "game_date", "none", "coverage_comparison(...)", (GATE,), ("game_date", "player_lookup"))
PDC = TableSpec("player_daily_cache", "phase4", "nba_precompute", "player_daily_cache", "ref('player_daily_cache')",
                "cache_date", "skip", None, (), ("cache_date", "player_lookup"))


def test_only_the_tables_without_a_gate_test_get_the_date_coverage_query():
    assert date_coverage.tables_without_gate([PGS, PDC]) == [PDC]
    queries = plan_queries(("coverage",), [PGS, PDC]).queries
    assert queries[date_coverage.QUERY_ID] == (
        "{{ validation_date_coverage([{'name': 'player_daily_cache', 'relation': ref('player_daily_cache'), "
        "'date_column': 'cache_date', 'skip_bootstrap': True}]) }}")
    assert date_coverage.QUERY_ID not in plan_queries(("coverage",), [PGS]).queries
    assert date_coverage.QUERY_ID not in plan_queries(("gaps",), [PGS, PDC]).queries


def test_their_months_become_heatmap_cells_in_the_plan_order_without_expected_rows():
    rows = [{"table_name": "player_daily_cache", "season_year": 2024, "month": m, "expected_dates": 20,
             "dates_with_rows": d, "rows_found": 180 * d} for m, d in (("2024-12", 19), ("2024-11", 20))]
    results = {"thresholds": [{"coverage_gate_pct": 90}], date_coverage.QUERY_ID: rows,
               "coverage:player_game_summary:0": [
                   {"table_name": "player_game_summary", "test_date": dt.date(2024, 11, 5), "season_year": 2024,
                    "month": "2024-11", "rows_found": 100, "rows_expected": 100, "coverage_pct": 100.0}]}
    report = build_report(results, Plan(("coverage",), [PDC, PGS]), dt.date(2024, 11, 1), dt.date(2024, 12, 31))
    assert [(c.table, c.month) for c in report.coverage] == [
        ("player_daily_cache", "2024-11"), ("player_daily_cache", "2024-12"), ("player_game_summary", "2024-11")]
    cell = report.coverage[1]
    assert (cell.dates_with_rows, cell.expected_dates, cell.rows, cell.expected_rows) == (19, 20, 3420, None)
    assert cell.date_pct == 95.0 and cell.row_pct is None
    section = report.sections[0]
    assert ["player_daily_cache", "2024", "2024-12", 19, 20, 3420, None, None, None] in section.rows
    assert [c.name for c in section.checks] == ["coverage.player_game_summary.pgs_gate"]  # no new check
