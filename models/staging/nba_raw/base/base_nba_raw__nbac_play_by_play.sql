{#-
    Every raw NBA.com play-by-play field-goal / free-throw event (the backup
    for games BigDataBall lacks), cleaned and classified. Kept row per
    (game_id, event_id): latest processed_at. The shooter must resolve.
    The row rules are BigDataBall's (classify_base_rows with the schedule,
    macros/staging/base_model_steps.sql): preseason and All-Star rows are
    excluded, a game off the schedule or a future or out-of-season date is
    quarantined.
-#}
{{ config(**staging_incremental_config('game_date')) }}
{%- set types = raw_column_types() -%}
{%- set event_type = "lower(" ~ clean_text('event_type') ~ ")" -%}

with

source as (

    select * from {{ source('nba_raw', 'nbac_play_by_play') }}
    where {{ in_staging_window('game_date') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('game_id') }} as game_id,
        {{ row_game_key('game_date', 'game_id') }} as game_key,
        {{ clean_text('nba_game_id') }} as nba_game_id,
        cast(event_id as {{ types.int64 }}) as event_id,
        cast(period as {{ types.int64 }}) as period,
        {{ clean_text('game_clock') }} as game_clock,

        -- event
        {{ event_type }} as event_type,
        lower({{ clean_text('event_action_type') }}) as event_action_type,
        cast(shot_made as {{ types.bool }}) as shot_made,
        upper({{ clean_text('shot_type') }}) as shot_type,
        cast(shot_distance as {{ types.float64 }}) as shot_distance,
        cast(shot_x as {{ types.float64 }}) as shot_x,
        cast(shot_y as {{ types.float64 }}) as shot_y,
        {{ shot_zone(
            event_type ~ " = 'fieldgoal'",
            'cast(shot_distance as ' ~ types.float64 ~ ')',
            'shot_type',
        ) }} as shot_zone,
        coalesce({{ event_type }} = 'fieldgoal', false) as is_field_goal_attempt,

        -- player and score
        {{ normalize_player_lookup('player_1_lookup') }} as player_1_lookup,
        {{ to_tricode('player_1_team_abbr') }} as player_1_team_abbr,
        cast(score_home as {{ types.int64 }}) as score_home,
        cast(score_away as {{ types.int64 }}) as score_away,

        -- dates
        {{ raw_season_and_date_columns('game_date') }},

        -- lineage and checks
        {{ raw_lineage_and_check_columns(['player_1_team_abbr']) }}

    from source

),

{{ classify_base_rows(
    natural_key=['game_id', 'event_id'],
    player_columns=['player_1_lookup'],
    schedule={},
) }}

select * from final
