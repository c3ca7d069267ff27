{#-
    The 11 nba_raw source tables with their date column (runner/simulator/schema.py),
    for the models and tests that loop over all of them (quarantine, accounting).
-#}
{% macro nba_raw_tables() -%}
    {{ return([
        {'name': 'nbac_schedule', 'date_column': 'game_date'},
        {'name': 'nbac_gamebook_player_stats', 'date_column': 'game_date'},
        {'name': 'bdl_player_boxscores', 'date_column': 'game_date'},
        {'name': 'nbac_team_boxscore', 'date_column': 'game_date'},
        {'name': 'bigdataball_play_by_play', 'date_column': 'game_date'},
        {'name': 'nbac_play_by_play', 'date_column': 'game_date'},
        {'name': 'odds_api_player_points_props', 'date_column': 'game_date'},
        {'name': 'bettingpros_player_points_props', 'date_column': 'game_date'},
        {'name': 'odds_api_game_lines', 'date_column': 'game_date'},
        {'name': 'espn_team_rosters', 'date_column': 'roster_date'},
        {'name': 'nbac_injury_report', 'date_column': 'report_date'},
    ]) }}
{%- endmacro %}
