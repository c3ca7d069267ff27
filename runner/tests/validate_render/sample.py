"""A realistic validation report built in Python (no dbt): two seasons, ten tables, failing checks,
and feature health for four features (one warn drift, one info)."""
from __future__ import annotations

import datetime as dt

from runner.validate import feature_health
from runner.validate.report import Check, CoverageCell, FeatureHealth, Readiness, Report, Section, ThresholdResult

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


FEATURES = ((5, "fatigue_score", "percent", 90.0, 7.0), (18, "pct_paint", "fraction", 0.38, 0.22),
            (24, "team_win_pct", "fraction", 0.5, 0.14), (31, "minutes_avg_last_10", None, 16.4, 11.0))
# (month, phase) of the feature store: the bootstrap Octobers hold placeholders only
FEATURE_BUCKETS = tuple((m, "regular_season") for m, _ in MONTHS if not m.endswith("-10")) + (("2024-04", "playoffs"),)
THRESHOLDS = {"feature_health_baseline_months": 3, "feature_health_min_baseline_months": 1,
              "feature_health_min_rows": 500, "feature_health_zscore_info": 1.0, "feature_health_zscore_warn": 2.0,
              "feature_health_psi_info": 1.0, "feature_health_psi_warn": 3.0,
              "feature_health_share_jump_info_pct": 10, "feature_health_share_jump_warn_pct": 50}
WARN_CELL = (31, "2024-12", "regular_season")  # the minutes_avg_last_10 incident: 96 % defaulted
INFO_CELL = (18, "2024-11", "regular_season")  # season start: shot zones NaN for a quarter of the players


def feature_rows() -> list[dict]:
    """Rows shaped like validation_feature_health's, judged by the real feature_health module."""
    rows = []
    for index, name, unit, mean, sd in FEATURES:
        for i, (month, phase) in enumerate(FEATURE_BUCKETS):
            same = [b for b in FEATURE_BUCKETS[:i] if b[1] == phase][-3:]
            n = 1500 if phase == "playoffs" else 6000
            nan = 1500 if (index, month, phase) == INFO_CELL else 0
            default = 5760 if (index, month, phase) == WARN_CELL else 30
            shift = 0.02 * (i % 3)
            rows.append({
                "level": "month", "feature_index": index, "feature_name": name, "feature_unit": unit,
                "is_drift_checked": True, "season_year": int(month[:4]) - (0 if int(month[5:]) >= 8 else 1),
                "month": month, "season_phase": phase, "value_rows": n, "nan_rows": nan, "default_rows": default,
                "valid_rows": n - nan, "value_mean": mean + shift * sd, "value_stddev": sd,
                "value_p5": mean - 1.6 * sd, "value_p50": mean, "value_p95": mean + 1.6 * sd,
                "baseline_months": len(same), "baseline_month_list": ", ".join(m for m, _ in same),
                "baseline_rows": 6000 * len(same) or None, "baseline_nan_rows": 0 if same else None,
                "baseline_default_rows": 30 * len(same) if same else None,
                "baseline_valid_rows": 6000 * len(same) or None, "baseline_mean": mean if same else None,
                "baseline_stddev": sd if same else None, "mean_zscore": shift if same else None,
                "psi": 0.02 + 0.1 * (i % 4) if same else None,
            })
        for season in (2023, 2024):
            rows.append({"level": "season", "feature_index": index, "feature_name": name, "feature_unit": unit,
                         "is_drift_checked": True, "season_year": season, "month": None, "season_phase": None,
                         "value_rows": 30000, "nan_rows": 0, "default_rows": 150, "valid_rows": 30000,
                         "value_mean": mean, "value_stddev": sd, "value_p5": mean - 1.6 * sd, "value_p50": mean,
                         "value_p95": mean + 1.6 * sd})
    return rows


def sample_feature_health() -> FeatureHealth:
    return feature_health.feature_health(feature_rows(), THRESHOLDS)


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
    health = sample_feature_health()
    readiness = Readiness("NOT READY", [
        ThresholdResult("phase3_coverage", 88.4, ">= 90 %", ">= 85 %", False, ["2024-11"]),
        ThresholdResult("feature_quality", 91.2, ">= 70 %", None, True),
        *feature_health.readiness_thresholds(feature_rows(), THRESHOLDS),
    ])
    return Report(
        target="duckdb", start_date=dt.date(2023, 10, 24), end_date=dt.date(2024, 12, 31), select=[],
        generated_at="2026-11-22T03:00:00+00:00",
        sections=[coverage, null_rates, duplicates, consistency, feature_health.section(health), quarantine, ledger],
        coverage=coverage_cells(), readiness=readiness, feature_health=health, seconds=2.4,
    )
