{#-
    Every raw Ball Don't Lie box-score row (played players only), cleaned and
    classified. Kept row per (game_id, player_lookup): latest processed_at.
    Column names follow the gamebook (rebounds → total_rebounds, *_pct →
    *_percentage, player_full_name → player_name). Rows of preseason and
    All-Star games are excluded; impossible rows are quarantined with the
    gamebook's rules (macros/staging/raw_row_rules.sql).
-#}
{{ config(**staging_incremental_config('game_date')) }}
{%- set types = raw_column_types() -%}
{%- set box_stats = [
    'points', 'field_goals_made', 'field_goals_attempted',
    'three_pointers_made', 'three_pointers_attempted',
    'free_throws_made', 'free_throws_attempted',
    'offensive_rebounds', 'defensive_rebounds',
    'assists', 'steals', 'blocks', 'turnovers', 'personal_fouls',
] -%}

with

source as (

    select * from {{ source('nba_raw', 'bdl_player_boxscores') }}
    where {{ in_staging_window('game_date') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('game_id') }} as game_id,
        {{ row_game_key('game_date', 'game_id', 'away_team_abbr', 'home_team_abbr') }} as game_key,
        {{ raw_player_lookup('player_full_name') }} as player_lookup,
        cast(bdl_player_id as {{ types.int64 }}) as bdl_player_id,

        -- player
        {{ clean_text('player_full_name') }} as player_name,
        {{ clean_text('jersey_number') }} as jersey_number,
        {{ clean_text('position') }} as position,

        -- game
        {{ clean_text('game_status') }} as game_status,
        cast(period as {{ types.int64 }}) as period,
        cast(is_postseason as {{ types.bool }}) as is_postseason,
        {{ to_tricode('team_abbr') }} as team_abbr,
        {{ to_tricode('home_team_abbr') }} as home_team_abbr,
        {{ to_tricode('away_team_abbr') }} as away_team_abbr,
        cast(home_team_score as {{ types.int64 }}) as home_team_score,
        cast(away_team_score as {{ types.int64 }}) as away_team_score,

        -- box score
        {{ parse_minutes('minutes') }} as minutes_played,
        {{ cast_columns(box_stats, types.int64) }},
        cast(rebounds as {{ types.int64 }}) as total_rebounds,
        cast(field_goal_pct as {{ types.float64 }}) as field_goal_percentage,
        cast(three_point_pct as {{ types.float64 }}) as three_point_percentage,
        cast(free_throw_pct as {{ types.float64 }}) as free_throw_percentage,

        -- dates
        {{ raw_season_and_date_columns('game_date') }},

        -- lineage and checks
        {{ raw_lineage_and_check_columns(
            ['team_abbr', 'home_team_abbr', 'away_team_abbr'],
            checks={'has_malformed_minutes': is_malformed_minutes('minutes')},
        ) }}

    from source

),

{{ classify_player_box_score_rows(box_stats + ['total_rebounds']) }}

select * from final
