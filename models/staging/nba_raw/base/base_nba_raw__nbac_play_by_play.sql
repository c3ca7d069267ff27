{#-
    Every raw NBA.com play-by-play field-goal / free-throw event (the backup
    for games BigDataBall lacks), cleaned and classified. Kept row per
    (game_id, event_id): latest processed_at. The shooter must resolve.
    Rows of preseason and All-Star games are excluded; a row of a game not
    on the schedule, a future date or a date outside its season is
    quarantined (macros/staging/raw_row_rules.sql).
-#}
{%- set string = dbt.type_string() -%}
{%- set int64 = dbt.type_bigint() -%}
{%- set float64 = type_float64() -%}
{%- set bool = dbt.type_boolean() -%}
{%- set ts = dbt.type_timestamp() -%}
{%- set event_type = "lower(" ~ clean_text('event_type') ~ ")" -%}

with

source as (

    select * from {{ source('nba_raw', 'nbac_play_by_play') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('game_id') }} as game_id,
        {{ row_game_key('game_date', 'game_id') }} as game_key,
        {{ clean_text('nba_game_id') }} as nba_game_id,
        cast(event_id as {{ int64 }}) as event_id,
        cast(period as {{ int64 }}) as period,
        {{ clean_text('game_clock') }} as game_clock,

        -- event
        {{ event_type }} as event_type,
        lower({{ clean_text('event_action_type') }}) as event_action_type,
        cast(shot_made as {{ bool }}) as shot_made,
        upper({{ clean_text('shot_type') }}) as shot_type,
        cast(shot_distance as {{ float64 }}) as shot_distance,
        cast(shot_x as {{ float64 }}) as shot_x,
        cast(shot_y as {{ float64 }}) as shot_y,
        {{ shot_zone(
            event_type ~ " = 'fieldgoal'",
            'cast(shot_distance as ' ~ float64 ~ ')',
            'shot_type',
        ) }} as shot_zone,
        coalesce({{ event_type }} = 'fieldgoal', false) as is_field_goal_attempt,

        -- player and score
        {{ normalize_player_lookup('player_1_lookup') }} as player_1_lookup,
        {{ to_tricode('player_1_team_abbr') }} as player_1_team_abbr,
        cast(score_home as {{ int64 }}) as score_home,
        cast(score_away as {{ int64 }}) as score_away,

        -- dates
        cast(coalesce(season_year, {{ season_year_from_date('game_date') }}) as {{ int64 }})
            as season_year,
        cast(game_date as date) as game_date,

        -- lineage
        source_file_path,
        data_hash,
        cast(processed_at as {{ ts }}) as processed_at,

        -- checks
        {{ has_unknown_team(['player_1_team_abbr']) }} as has_unknown_team,
        source as raw_record

    from source

),

matched as (

    {{ schedule_match('renamed') }}

),

final as (

    {{ classify_raw_rows(
        relation='matched',
        natural_key=['game_id', 'event_id'],
        date_column='game_date',
        player_columns=['player_1_lookup'],
        excluded=excluded_season_type('scheduled_season_type'),
        checks={
            'unknown_team': 'has_unknown_team',
            'future_date': rule_future_date('game_date'),
            'date_outside_season': rule_date_outside_season('game_date', 'season_year'),
            'game_not_on_schedule': 'not is_on_schedule',
        },
    ) }}

)

select * from final
