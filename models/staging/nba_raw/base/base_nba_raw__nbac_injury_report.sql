{#-
    Every raw NBA.com injury-report row (several reports a day), cleaned and
    classified. Kept row per (report_date, report_hour, game_id,
    player_lookup): latest processed_at. injury_status is lower-cased. The
    report prints names as "Last, First": the name fallback of player_lookup
    turns them around first.
    Rows about preseason and All-Star games are excluded; a report dated
    after today, or about a game not on the schedule, is quarantined
    (macros/staging/raw_row_rules.sql).
-#}
{{ config(**staging_incremental_config('report_date')) }}
{%- set types = raw_column_types() -%}

with

source as (

    select * from {{ source('nba_raw', 'nbac_injury_report') }}
    where {{ in_staging_window('report_date') }}

),

renamed as (

    select
        -- ids
        cast(report_hour as {{ types.int64 }}) as report_hour,
        {{ clean_text('game_id') }} as game_id,
        {{ row_game_key('game_date', 'game_id') }} as game_key,
        {{ raw_player_lookup(first_last_name('player_name')) }} as player_lookup,

        -- player and team
        {{ clean_text('player_name') }} as player_name,
        {{ to_tricode('team') }} as team_abbr,

        -- status
        lower({{ clean_text('injury_status') }}) as injury_status,
        {{ clean_text('reason') }} as reason,
        lower({{ clean_text('reason_category') }}) as reason_category,

        -- dates
        cast(report_date as date) as report_date,
        cast(game_date as date) as game_date,

        -- lineage and checks
        {{ raw_lineage_and_check_columns(['team']) }}

    from source

),

{{ classify_base_rows(
    natural_key=['report_date', 'report_hour', 'game_id', 'player_lookup'],
    date_column='report_date',
    player_columns=['player_lookup'],
    date_rules=['future_date'],
    schedule={},
) }}

select * from final
