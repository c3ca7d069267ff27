{#-
    Every raw BigDataBall shot / free-throw event, cleaned and classified. Kept
    row per (game_id, event_id): latest processed_at. player_*_lookup lose the
    numeric NBA-id prefix some carry since 2024-10; the shooter must resolve.
    Row-level shot facts (zone, assisted, and-one) are derived here once.
    Rows of preseason and All-Star games are excluded; a row of a game not
    on the schedule, a future date or a date outside its season is
    quarantined (macros/staging/raw_row_rules.sql).
-#}
{{ config(**staging_incremental_config('game_date')) }}
{%- set types = raw_column_types() -%}
{%- set event_type = "lower(" ~ clean_text('event_type') ~ ")" -%}
{%- set player_2_role = "lower(" ~ clean_text('player_2_role') ~ ")" -%}

with

source as (

    select * from {{ source('nba_raw', 'bigdataball_play_by_play') }}
    where {{ in_staging_window('game_date') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('game_id') }} as game_id,
        {{ row_game_key('game_date', 'game_id', 'away_team_abbr', 'home_team_abbr') }} as game_key,
        cast(event_id as {{ types.int64 }}) as event_id,
        cast(period as {{ types.int64 }}) as period,

        -- event
        {{ event_type }} as event_type,
        lower({{ clean_text('event_subtype') }}) as event_subtype,
        cast(shot_made as {{ types.bool }}) as shot_made,
        upper({{ clean_text('shot_type') }}) as shot_type,
        cast(shot_distance as {{ types.float64 }}) as shot_distance,
        {{ shot_zone(
            event_type ~ " = 'shot'",
            'cast(shot_distance as ' ~ types.float64 ~ ')',
            'shot_type',
            'event_subtype',
        ) }} as shot_zone,
        coalesce({{ event_type }} = 'shot', false) as is_field_goal_attempt,
        coalesce(
            {{ event_type }} = 'shot' and shot_made and {{ player_2_role }} = 'assist',
            false
        ) as is_assisted_make,
        coalesce(
            {{ event_type }} = 'shot' and shot_made
            and coalesce({{ player_2_role }}, '') not in ('assist', 'block'),
            false
        ) as is_unassisted_make,
        coalesce(
            {{ event_type }} = 'free throw' and lower(event_subtype) like '%1 of 1%',
            false
        ) as is_and_one_free_throw,

        -- players
        {{ strip_lookup_id_prefix('player_1_lookup') }} as player_1_lookup,
        {{ to_tricode('player_1_team_abbr') }} as player_1_team_abbr,
        {{ player_2_role }} as player_2_role,
        {{ strip_lookup_id_prefix('player_2_lookup') }} as player_2_lookup,
        {{ to_tricode('player_2_team_abbr') }} as player_2_team_abbr,

        -- teams
        {{ to_tricode('home_team_abbr') }} as home_team_abbr,
        {{ to_tricode('away_team_abbr') }} as away_team_abbr,

        -- dates
        {{ raw_season_and_date_columns('game_date') }},

        -- lineage and checks
        {{ clean_text('data_source') }} as data_source,
        {{ raw_lineage_and_check_columns([
            'player_1_team_abbr', 'player_2_team_abbr', 'home_team_abbr', 'away_team_abbr',
        ]) }}

    from source

),

{{ classify_base_rows(
    natural_key=['game_id', 'event_id'],
    player_columns=['player_1_lookup'],
    schedule={},
) }}

select * from final
