{#-
    Every raw Odds API player-points line, cleaned and classified. Kept row per
    (game_id, player_lookup, bookmaker, snapshot_timestamp): latest processed_at.
    bookmaker is lower-cased (it already is at the source).
    Rows of preseason and All-Star games are excluded; a line of zero or
    below, or of a game not on the schedule, is quarantined
    (macros/staging/raw_row_rules.sql).
-#}
{{ config(**staging_incremental_config('game_date')) }}
{%- set types = raw_column_types() -%}

with

source as (

    select * from {{ source('nba_raw', 'odds_api_player_points_props') }}
    where {{ in_staging_window('game_date') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('game_id') }} as game_id,
        {{ row_game_key('game_date', 'game_id', 'away_team_abbr', 'home_team_abbr') }} as game_key,
        {{ clean_text('odds_api_event_id') }} as odds_api_event_id,
        {{ raw_player_lookup('player_name') }} as player_lookup,
        lower({{ clean_text('bookmaker') }}) as bookmaker,

        -- player and teams
        {{ clean_text('player_name') }} as player_name,
        {{ to_tricode('home_team_abbr') }} as home_team_abbr,
        {{ to_tricode('away_team_abbr') }} as away_team_abbr,

        -- snapshot
        {{ clean_text('snapshot_tag') }} as snapshot_tag,
        cast(minutes_before_tipoff as {{ types.int64 }}) as minutes_before_tipoff,

        -- line
        cast(points_line as {{ types.float64 }}) as points_line,
        cast(over_price as {{ types.float64 }}) as over_price,
        cast(over_price_american as {{ types.int64 }}) as over_price_american,
        cast(under_price as {{ types.float64 }}) as under_price,
        cast(under_price_american as {{ types.int64 }}) as under_price_american,

        -- dates and times
        cast(game_date as date) as game_date,
        cast(game_start_time as {{ types.ts }}) as game_start_time,
        cast(snapshot_timestamp as {{ types.ts }}) as snapshot_timestamp,
        cast(capture_timestamp as {{ types.ts }}) as capture_timestamp,
        cast(bookmaker_last_update as {{ types.ts }}) as bookmaker_last_update,

        -- lineage and checks
        {{ raw_lineage_and_check_columns(['home_team_abbr', 'away_team_abbr']) }}

    from source

),

{{ classify_base_rows(
    natural_key=['game_id', 'player_lookup', 'bookmaker', 'snapshot_timestamp'],
    player_columns=['player_lookup'],
    date_rules=[],
    schedule={},
    checks={'nonpositive_line': rule_nonpositive_line('points_line')},
) }}

select * from final
