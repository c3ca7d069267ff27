"""The 11 ``nba_raw`` tables: columns, DuckDB types and natural keys.

This module is the contract between the raw-data simulator (which writes these
tables) and the dbt staging layer (which reads them). Column names and type
families follow ``docs/domain.md`` §1; only the columns that our
models read are kept, plus ``processed_at`` (and ``source_file_path`` /
``data_hash`` where production has them) for dedup and lineage.

Type mapping to BigQuery: VARCHAR=STRING, BIGINT=INT64, DOUBLE=FLOAT64,
BOOLEAN=BOOL, DATE=DATE, TIMESTAMP=TIMESTAMP.
"""
from __future__ import annotations

from dataclasses import dataclass

RAW_SCHEMA = "nba_raw"
BIGQUERY_TYPES = {"VARCHAR": "STRING", "BIGINT": "INT64", "DOUBLE": "FLOAT64", "BOOLEAN": "BOOL",
                  "DATE": "DATE", "TIMESTAMP": "TIMESTAMP"}


@dataclass(frozen=True)
class RawTable:
    name: str
    columns: tuple[tuple[str, str], ...]
    natural_key: tuple[str, ...]
    date_column: str
    description: str

    @property
    def column_names(self) -> list[str]:
        return [c for c, _ in self.columns]

    def bigquery_schema(self) -> list[tuple[str, str]]:
        """(column, BigQuery type) pairs: the same contract in BigQuery's type names."""
        return [(c, BIGQUERY_TYPES[t]) for c, t in self.columns]

    def ddl(self, schema: str = RAW_SCHEMA) -> str:
        cols = ",\n    ".join(f"{c} {t}" for c, t in self.columns)
        return f"create or replace table {schema}.{self.name} (\n    {cols}\n)"


_LINEAGE = (("source_file_path", "VARCHAR"), ("data_hash", "VARCHAR"), ("processed_at", "TIMESTAMP"))

_BOX_STATS = (
    ("points", "BIGINT"),
    ("field_goals_made", "BIGINT"),
    ("field_goals_attempted", "BIGINT"),
    ("three_pointers_made", "BIGINT"),
    ("three_pointers_attempted", "BIGINT"),
    ("free_throws_made", "BIGINT"),
    ("free_throws_attempted", "BIGINT"),
    ("offensive_rebounds", "BIGINT"),
    ("defensive_rebounds", "BIGINT"),
    ("assists", "BIGINT"),
    ("steals", "BIGINT"),
    ("blocks", "BIGINT"),
    ("turnovers", "BIGINT"),
    ("personal_fouls", "BIGINT"),
)

TABLES: dict[str, RawTable] = {}


def _table(name, columns, natural_key, date_column, description):
    TABLES[name] = RawTable(name, tuple(columns), tuple(natural_key), date_column, description)


_table(
    "nbac_schedule",
    [
        ("game_id", "VARCHAR"),  # NBA 10-digit id, e.g. 0022400561
        ("game_code", "VARCHAR"),  # 20241022/NYKBOS
        ("season", "VARCHAR"),  # "2024"
        ("season_nba_format", "VARCHAR"),  # "2024-25"
        ("season_year", "BIGINT"),
        ("game_date", "DATE"),
        ("game_date_est", "TIMESTAMP"),  # tip-off, US/Eastern wall clock
        ("game_status", "BIGINT"),  # 1 scheduled, 2 in progress, 3 final
        ("game_status_text", "VARCHAR"),
        ("home_team_id", "BIGINT"),
        ("home_team_tricode", "VARCHAR"),
        ("home_team_name", "VARCHAR"),
        ("away_team_id", "BIGINT"),
        ("away_team_tricode", "VARCHAR"),
        ("away_team_name", "VARCHAR"),
        ("arena_name", "VARCHAR"),
        ("arena_timezone", "VARCHAR"),
        ("is_primetime", "BOOLEAN"),
        ("has_national_tv", "BOOLEAN"),
        ("is_regular_season", "BOOLEAN"),
        ("is_playoffs", "BOOLEAN"),
        ("is_all_star", "BOOLEAN"),
        ("is_emirates_cup", "BOOLEAN"),
        ("playoff_round", "VARCHAR"),  # NULL, 'play_in', 'first_round', 'conf_semis', 'conf_finals', 'finals'
        ("home_team_score", "BIGINT"),
        ("away_team_score", "BIGINT"),
        ("winning_team_tricode", "VARCHAR"),
        ("data_source", "VARCHAR"),
        *_LINEAGE,
    ],
    # several snapshots per game: staging keeps the highest game_status, then latest processed_at
    ["game_id"],
    "game_date",
    "NBA.com schedule, one row per game per snapshot (a scheduled snapshot and a final one).",
)

_table(
    "nbac_gamebook_player_stats",
    [
        ("game_id", "VARCHAR"),  # YYYYMMDD_AWAY_HOME
        ("game_code", "VARCHAR"),
        ("game_date", "DATE"),
        ("season_year", "BIGINT"),
        ("home_team_abbr", "VARCHAR"),
        ("away_team_abbr", "VARCHAR"),
        ("player_name", "VARCHAR"),
        ("player_name_original", "VARCHAR"),
        ("player_lookup", "VARCHAR"),
        ("team_abbr", "VARCHAR"),  # sometimes NULL on DNP/inactive rows
        ("player_status", "VARCHAR"),  # active | dnp | inactive
        ("dnp_reason", "VARCHAR"),
        ("name_resolution_status", "VARCHAR"),  # resolved | not_found | multiple_matches | original
        ("minutes", "VARCHAR"),  # "MM:SS"
        ("minutes_decimal", "DOUBLE"),
        *_BOX_STATS,
        ("total_rebounds", "BIGINT"),
        ("field_goal_percentage", "DOUBLE"),
        ("three_point_percentage", "DOUBLE"),
        ("free_throw_percentage", "DOUBLE"),
        ("plus_minus", "BIGINT"),
        *_LINEAGE,
    ],
    ["game_id", "player_lookup"],
    "game_date",
    "NBA.com gamebook: one row per player per game, active, DNP and inactive.",
)

_table(
    "bdl_player_boxscores",
    [
        ("game_id", "VARCHAR"),
        ("game_date", "DATE"),
        ("season_year", "BIGINT"),
        ("game_status", "VARCHAR"),  # 'Final'
        ("period", "BIGINT"),
        ("is_postseason", "BOOLEAN"),
        ("home_team_abbr", "VARCHAR"),
        ("away_team_abbr", "VARCHAR"),
        ("home_team_score", "BIGINT"),
        ("away_team_score", "BIGINT"),
        ("team_abbr", "VARCHAR"),
        ("player_full_name", "VARCHAR"),
        ("player_lookup", "VARCHAR"),
        ("bdl_player_id", "BIGINT"),
        ("jersey_number", "VARCHAR"),
        ("position", "VARCHAR"),
        ("minutes", "VARCHAR"),
        *_BOX_STATS,
        ("rebounds", "BIGINT"),
        ("field_goal_pct", "DOUBLE"),
        ("three_point_pct", "DOUBLE"),
        ("free_throw_pct", "DOUBLE"),
        *_LINEAGE,
    ],
    ["game_id", "player_lookup"],
    "game_date",
    "Ball Don't Lie box scores: played players only, no plus_minus, small disagreements with the gamebook.",
)

_table(
    "nbac_team_boxscore",
    [
        ("game_id", "VARCHAR"),  # YYYYMMDD_AWAY_HOME
        ("nba_game_id", "VARCHAR"),  # 10-digit
        ("game_date", "DATE"),
        ("season_year", "BIGINT"),
        ("team_id", "BIGINT"),
        ("team_abbr", "VARCHAR"),
        ("team_name", "VARCHAR"),
        ("team_city", "VARCHAR"),
        ("is_home", "BOOLEAN"),
        ("minutes", "VARCHAR"),  # total player-minutes "240:00", "265:00" with one OT
        ("fg_made", "BIGINT"),
        ("fg_attempted", "BIGINT"),
        ("fg_percentage", "DOUBLE"),
        ("three_pt_made", "BIGINT"),
        ("three_pt_attempted", "BIGINT"),
        ("three_pt_percentage", "DOUBLE"),
        ("ft_made", "BIGINT"),
        ("ft_attempted", "BIGINT"),
        ("ft_percentage", "DOUBLE"),
        ("offensive_rebounds", "BIGINT"),
        ("defensive_rebounds", "BIGINT"),
        ("total_rebounds", "BIGINT"),
        ("assists", "BIGINT"),
        ("steals", "BIGINT"),
        ("blocks", "BIGINT"),
        ("turnovers", "BIGINT"),
        ("personal_fouls", "BIGINT"),
        ("points", "BIGINT"),
        ("plus_minus", "BIGINT"),
        *_LINEAGE,
    ],
    ["game_id", "team_abbr"],
    "game_date",
    "NBA.com team box score: two rows per game, equal to the sum of the team's player rows.",
)

_table(
    "bigdataball_play_by_play",
    [
        ("game_id", "VARCHAR"),  # YYYYMMDD_AWAY_HOME
        ("game_date", "DATE"),
        ("season_year", "BIGINT"),
        ("event_id", "BIGINT"),  # sequence within the game
        ("period", "BIGINT"),
        ("event_type", "VARCHAR"),  # 'shot' | 'free throw'
        ("event_subtype", "VARCHAR"),  # e.g. 'jump shot', '3pt jump shot', 'free throw 1 of 1'
        ("shot_made", "BOOLEAN"),
        ("shot_type", "VARCHAR"),  # '2PT' | '3PT' | NULL for free throws
        ("shot_distance", "DOUBLE"),  # feet
        ("player_1_lookup", "VARCHAR"),  # shooter; since 2024-10 may carry a numeric NBA-id prefix
        ("player_1_team_abbr", "VARCHAR"),
        ("player_2_role", "VARCHAR"),  # 'assist' | 'block' | NULL
        ("player_2_lookup", "VARCHAR"),
        ("player_2_team_abbr", "VARCHAR"),
        ("home_team_abbr", "VARCHAR"),
        ("away_team_abbr", "VARCHAR"),
        ("data_source", "VARCHAR"),  # 'bigdataball'
        *_LINEAGE,
    ],
    ["game_id", "event_id"],
    "game_date",
    "BigDataBall play-by-play shot and free-throw events, about 94 % of games.",
)

_table(
    "nbac_play_by_play",
    [
        ("game_id", "VARCHAR"),  # YYYYMMDD_AWAY_HOME
        ("nba_game_id", "VARCHAR"),
        ("game_date", "DATE"),
        ("season_year", "BIGINT"),
        ("event_id", "BIGINT"),
        ("period", "BIGINT"),
        ("game_clock", "VARCHAR"),  # "PT07M21.00S"
        ("event_type", "VARCHAR"),  # 'fieldgoal' | 'freethrow'
        ("event_action_type", "VARCHAR"),
        ("shot_made", "BOOLEAN"),
        ("shot_type", "VARCHAR"),  # '2PT' | '3PT'
        ("shot_distance", "DOUBLE"),
        ("shot_x", "DOUBLE"),
        ("shot_y", "DOUBLE"),
        ("player_1_lookup", "VARCHAR"),
        ("player_1_team_abbr", "VARCHAR"),
        ("score_home", "BIGINT"),
        ("score_away", "BIGINT"),
        *_LINEAGE,
    ],
    ["game_id", "event_id"],
    "game_date",
    "NBA.com play-by-play: field-goal and free-throw events for the games BigDataBall lacks.",
)

_table(
    "odds_api_player_points_props",
    [
        ("game_id", "VARCHAR"),
        ("odds_api_event_id", "VARCHAR"),
        ("game_date", "DATE"),
        ("game_start_time", "TIMESTAMP"),
        ("home_team_abbr", "VARCHAR"),
        ("away_team_abbr", "VARCHAR"),
        ("snapshot_timestamp", "TIMESTAMP"),
        ("snapshot_tag", "VARCHAR"),
        ("capture_timestamp", "TIMESTAMP"),
        ("minutes_before_tipoff", "BIGINT"),  # < 0 = in-game snapshot
        ("bookmaker", "VARCHAR"),  # lowercase: draftkings, fanduel, betmgm, caesars
        ("player_name", "VARCHAR"),
        ("player_lookup", "VARCHAR"),
        ("points_line", "DOUBLE"),
        ("over_price", "DOUBLE"),
        ("over_price_american", "BIGINT"),
        ("under_price", "DOUBLE"),
        ("under_price_american", "BIGINT"),
        ("bookmaker_last_update", "TIMESTAMP"),
        *_LINEAGE,
    ],
    ["game_id", "player_lookup", "bookmaker", "snapshot_timestamp"],
    "game_date",
    "The Odds API player points lines: about 40 % of players, several bookmakers and snapshots.",
)

_table(
    "bettingpros_player_points_props",
    [
        ("game_date", "DATE"),
        ("market_type", "VARCHAR"),  # 'points' (and a few other markets to filter out)
        ("bp_event_id", "BIGINT"),
        ("offer_id", "VARCHAR"),
        ("bet_side", "VARCHAR"),  # over | under
        ("player_name", "VARCHAR"),
        ("player_lookup", "VARCHAR"),
        ("player_team", "VARCHAR"),  # team code, sometimes a Basketball-Reference variant
        ("bookmaker", "VARCHAR"),  # mixed case: DraftKings, FanDuel, BetMGM, BettingPros Consensus
        ("points_line", "DOUBLE"),
        ("odds_american", "BIGINT"),
        ("is_active", "BOOLEAN"),
        ("is_best_line", "BOOLEAN"),
        ("opening_line", "DOUBLE"),
        ("opening_odds", "BIGINT"),
        ("opening_timestamp", "TIMESTAMP"),
        ("bookmaker_last_update", "TIMESTAMP"),
        *_LINEAGE,
    ],
    ["game_date", "player_lookup", "bookmaker", "bet_side", "market_type"],
    "game_date",
    "BettingPros player props (no game_id): about 99 % of active players.",
)

_table(
    "odds_api_game_lines",
    [
        ("game_id", "VARCHAR"),
        ("game_date", "DATE"),
        ("snapshot_timestamp", "TIMESTAMP"),
        ("commence_time", "TIMESTAMP"),
        ("home_team", "VARCHAR"),  # full names
        ("away_team", "VARCHAR"),
        ("home_team_abbr", "VARCHAR"),
        ("away_team_abbr", "VARCHAR"),
        ("bookmaker_key", "VARCHAR"),
        ("market_key", "VARCHAR"),  # spreads | totals
        ("outcome_name", "VARCHAR"),  # team full name or Over/Under
        ("outcome_price", "DOUBLE"),
        ("outcome_point", "DOUBLE"),
        *_LINEAGE,
    ],
    ["game_id", "bookmaker_key", "market_key", "outcome_name", "snapshot_timestamp"],
    "game_date",
    "The Odds API game lines (spreads, totals) per bookmaker and snapshot.",
)

_table(
    "espn_team_rosters",
    [
        ("roster_date", "DATE"),
        ("scrape_hour", "BIGINT"),
        ("season_year", "BIGINT"),
        ("team_abbr", "VARCHAR"),  # ESPN codes: NY, GS, NO, SA, UTAH, ...
        ("espn_player_id", "BIGINT"),
        ("player_full_name", "VARCHAR"),
        ("player_lookup", "VARCHAR"),
        ("position", "VARCHAR"),
        ("age", "BIGINT"),
        ("jersey_number", "VARCHAR"),
        ("status", "VARCHAR"),
        ("roster_status", "VARCHAR"),
        *_LINEAGE,
    ],
    ["roster_date", "team_abbr", "player_lookup"],
    "roster_date",
    "ESPN roster snapshots per team per player, on each date the team plays.",
)

_table(
    "nbac_injury_report",
    [
        ("report_date", "DATE"),
        ("report_hour", "BIGINT"),
        ("game_date", "DATE"),
        ("game_id", "VARCHAR"),  # YYYYMMDD_AWAY_HOME
        ("team", "VARCHAR"),
        ("player_name", "VARCHAR"),
        ("player_lookup", "VARCHAR"),
        ("injury_status", "VARCHAR"),  # Out, Questionable, Doubtful, Probable, Available (case varies)
        ("reason", "VARCHAR"),
        ("reason_category", "VARCHAR"),
        *_LINEAGE,
    ],
    ["report_date", "report_hour", "game_id", "player_lookup"],
    "report_date",
    "NBA.com injury report: several reports per day, statuses matching who sat out.",
)

assert len(TABLES) == 11, sorted(TABLES)
