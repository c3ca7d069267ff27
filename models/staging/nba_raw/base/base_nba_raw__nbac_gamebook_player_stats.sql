{#-
    Every raw gamebook row (active, DNP and inactive players), cleaned and
    classified. Kept row per (game_id, player_lookup): latest processed_at.
    team_abbr may stay NULL on DNP / inactive rows; missing minutes are NULL
    (the null-rate gates of player_game_summary judge them), minutes that do
    not parse are quarantined. Rows of preseason and All-Star games are
    excluded; impossible rows (negative counts, made above attempted, points
    unequal to the shots, minutes above the game's length, a future date, a
    game not on the schedule, one player in two games on a day, ...) are
    quarantined (macros/staging/raw_row_rules.sql).
-#}
{{ config(**staging_incremental_config('game_date')) }}
{%- set types = raw_column_types() -%}
{%- set box_stats = [
    'points', 'field_goals_made', 'field_goals_attempted',
    'three_pointers_made', 'three_pointers_attempted',
    'free_throws_made', 'free_throws_attempted',
    'offensive_rebounds', 'defensive_rebounds', 'total_rebounds',
    'assists', 'steals', 'blocks', 'turnovers', 'personal_fouls', 'plus_minus',
] -%}

with

source as (

    select * from {{ source('nba_raw', 'nbac_gamebook_player_stats') }}
    where {{ in_staging_window('game_date') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('game_id') }} as game_id,
        {{ row_game_key('game_date', 'game_id', 'away_team_abbr', 'home_team_abbr') }} as game_key,
        {{ clean_text('game_code') }} as game_code,
        {{ raw_player_lookup('player_name') }} as player_lookup,

        -- player
        {{ clean_text('player_name') }} as player_name,
        {{ clean_text('player_name_original') }} as player_name_original,
        lower({{ clean_text('name_resolution_status') }}) as name_resolution_status,

        -- teams (home / away fall back to the tokens of the standard game id)
        {{ to_tricode('team_abbr') }} as team_abbr,
        coalesce(
            {{ to_tricode('home_team_abbr') }},
            {{ to_tricode(dbt.split_part(clean_text('game_id'), "'_'", 3)) }}
        ) as home_team_abbr,
        coalesce(
            {{ to_tricode('away_team_abbr') }},
            {{ to_tricode(dbt.split_part(clean_text('game_id'), "'_'", 2)) }}
        ) as away_team_abbr,

        -- availability
        lower({{ clean_text('player_status') }}) as player_status,
        coalesce(lower({{ clean_text('player_status') }}) = 'active', false) as is_active,
        coalesce(lower({{ clean_text('player_status') }}) <> 'active', true)
        or coalesce({{ parse_minutes('minutes') }} = 0, false) as is_dnp,
        {{ clean_text('dnp_reason') }} as dnp_reason,
        {{ dnp_reason_category(
            'dnp_reason',
            "coalesce(lower(" ~ clean_text('player_status') ~ ") = 'active', false)",
        ) }} as dnp_reason_category,

        -- box score
        {{ parse_minutes('minutes') }} as minutes_played,
        {{ cast_columns(box_stats, types.int64) }},
        {{ cast_columns(
            ['field_goal_percentage', 'three_point_percentage', 'free_throw_percentage'],
            types.float64,
        ) }},

        -- dates
        {{ raw_season_and_date_columns('game_date') }},

        -- lineage and checks
        {{ raw_lineage_and_check_columns(
            ['team_abbr', 'home_team_abbr', 'away_team_abbr'],
            checks={'has_malformed_minutes': is_malformed_minutes('minutes')},
        ) }}

    from source

),

{{ classify_player_box_score_rows(box_stats | reject('equalto', 'plus_minus') | list) }}

select * from final
