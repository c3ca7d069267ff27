"""A realistic validation report built in Python (no dbt): two seasons, ten tables, failing checks."""
from __future__ import annotations

import datetime as dt

from runner.validate.report import (
    Check,
    CoverageCell,
    Readiness,
    Report,
    Section,
    ThresholdResult,
)

TABLES = (
    "team_offense_game_summary",
    "team_defense_game_summary",
    "player_game_summary",
    "upcoming_player_game_context",
    "upcoming_team_game_context",
    "team_defense_zone_analysis",
    "player_shot_zone_analysis",
    "player_composite_factors",
    "player_daily_cache",
    "ml_feature_store_v2",
)
MONTHS = (
    ("2023-10", 2023), ("2023-11", 2023), ("2023-12", 2023), ("2024-01", 2023), ("2024-02", 2023),
    ("2024-03", 2023), ("2024-04", 2023), ("2024-10", 2024), ("2024-11", 2024), ("2024-12", 2024),
)
# (table, month) -> game dates missing; the rest of the grid is complete.
HOLES = {
    ("player_game_summary", "2024-11"): 4,            # missing_dates
    ("player_composite_factors", "2023-10"): 6,       # bootstrap-heavy month
    ("ml_feature_store_v2", "2024-11"): 12,
    ("player_daily_cache", "2024-02"): 1,
}
PARTIAL_ROWS = {("ml_feature_store_v2", "2024-12"): 0.93}  # partial_dates: rows short, dates all there


def coverage_cells() -> list[CoverageCell]:
    cells = []
    for table in TABLES:
        for month, season in MONTHS:
            expected = 10 if month.endswith("-10") else 28
            found = expected - HOLES.get((table, month), 0)
            players = 330 if "player" in table or "feature" in table else 28
            expected_rows = expected * players
            rows = round(found * players * PARTIAL_ROWS.get((table, month), 1.0))
            cells.append(CoverageCell(table, month, season, found, expected, rows, expected_rows))
    return cells


def sample_report() -> Report:
    coverage = Section(
        "coverage", "Coverage per table and month",
        checks=[
            Check("coverage", "coverage.player_game_summary.dates", "player_game_summary: game dates with rows",
                  "error", False, 85.7, ">= 90 %",
                  "player_game_summary: 24/28 game dates in 2024-11; missing 2024-11-04, 2024-11-05, 2024-11-12, 2024-11-13",
                  [{"game_date": dt.date(2024, 11, 4), "rows": 0}, {"game_date": dt.date(2024, 11, 5), "rows": 0}]),
            Check("coverage", "coverage.ml_feature_store_v2.rows", "ml_feature_store_v2: rows vs expected",
                  "warn", False, 93.0, ">= 95 %", "ml_feature_store_v2: 93.0 % of expected rows in 2024-12"),
            Check("coverage", "coverage.team_offense_game_summary.dates",
                  "team_offense_game_summary: game dates with rows", "error", True, 100.0, ">= 90 %"),
        ],
        columns=["table", "month", "dates", "expected dates", "rows", "expected rows"],
        rows=[[c.table, c.month, c.dates_with_rows, c.expected_dates, c.rows, c.expected_rows] for c in coverage_cells()],
    )
    duplicates = Section(
        "duplicates", "Duplicates per primary key",
        checks=[
            Check("duplicates", "duplicates.player_game_summary", "player_game_summary: one row per (game_date, player_lookup)",
                  "error", False, 3, "= 0", "player_game_summary: 3 duplicated keys on 2024-11-20",
                  [{"game_date": dt.date(2024, 11, 20), "player_lookup": "lebronjames", "copies": 2}]),
            Check("duplicates", "duplicates.team_offense_game_summary",
                  "team_offense_game_summary: one row per (game_date, team_abbr)", "error", True, 0, "= 0"),
        ],
    )
    null_rates = Section(
        "null_rates", "NULL rates of critical columns",
        checks=[
            Check("null_rates", "null_rates.player_game_summary.usage_rate", "player_game_summary.usage_rate NULL rate",
                  "warn", False, 0.0712, "<= 5 %", "player_game_summary.usage_rate: 7.1 % NULL among active players"),
            Check("null_rates", "null_rates.player_game_summary.minutes_played",
                  "player_game_summary.minutes_played NULL rate", "error", True, 0.0, "<= 1 %"),
        ],
        columns=["table", "column", "null rate", "threshold"],
        rows=[["player_game_summary", "usage_rate", 0.0712, 0.05], ["player_game_summary", "minutes_played", 0.0, 0.01]],
    )
    consistency = Section(
        "consistency", "Cross-layer consistency",
        checks=[Check("consistency", "consistency.player_points", "player points = gamebook points", "error", True, 0, "= 0")],
    )
    quarantine = Section(
        "quarantine", "Quarantined raw rows",
        checks=[Check("quarantine", "quarantine.rows", "raw rows quarantined", "info", False, 14, "= 0",
                      "14 raw rows quarantined: malformed_minutes 9, unknown_team 5")],
        columns=["table", "reason", "rows"],
        rows=[["nbac_gamebook_player_stats", "malformed_minutes", 9], ["nbac_team_boxscore", "unknown_team", 5]],
    )
    ledger = Section("ledger", "Backfill ledger", checks=[
        Check("ledger", "ledger.failed", "no failed or blocked dates", "error", True, 0, "= 0")])
    readiness = Readiness("NOT READY", [
        ThresholdResult("phase3_coverage", 88.4, ">= 90 %", ">= 85 %", False, ["2024-11"]),
        ThresholdResult("feature_quality", 91.2, ">= 70 %", None, True),
    ])
    return Report(
        target="duckdb", start_date=dt.date(2023, 10, 24), end_date=dt.date(2024, 12, 31), select=[],
        generated_at="2026-11-22T03:00:00+00:00",
        sections=[coverage, null_rates, duplicates, consistency, quarantine, ledger],
        coverage=coverage_cells(), readiness=readiness, seconds=2.4,
    )
