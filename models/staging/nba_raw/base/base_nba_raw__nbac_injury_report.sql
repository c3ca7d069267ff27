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
{%- set string = dbt.type_string() -%}
{%- set int64 = dbt.type_bigint() -%}
{%- set ts = dbt.type_timestamp() -%}

with

source as (

    select * from {{ source('nba_raw', 'nbac_injury_report') }}

),

renamed as (

    select
        -- ids
        cast(report_hour as {{ int64 }}) as report_hour,
        {{ clean_text('game_id') }} as game_id,
        {{ row_game_key('game_date', 'game_id') }} as game_key,
        coalesce(
            {{ normalize_player_lookup('player_lookup') }},
            {{ normalize_player_lookup(first_last_name('player_name')) }}
        ) as player_lookup,

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

        -- lineage
        source_file_path,
        data_hash,
        cast(processed_at as {{ ts }}) as processed_at,

        -- checks
        {{ has_unknown_team(['team']) }} as has_unknown_team,
        source as raw_record

    from source

),

matched as (

    {{ schedule_match('renamed') }}

),

final as (

    {{ classify_raw_rows(
        relation='matched',
        natural_key=['report_date', 'report_hour', 'game_id', 'player_lookup'],
        date_column='report_date',
        player_columns=['player_lookup'],
        excluded=excluded_season_type('scheduled_season_type'),
        checks={
            'unknown_team': 'has_unknown_team',
            'future_date': rule_future_date('report_date'),
            'game_not_on_schedule': 'not is_on_schedule',
        },
    ) }}

)

select * from final
