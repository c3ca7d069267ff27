{#-
    Every raw ESPN roster row, cleaned and classified. ESPN team codes (NY, GS,
    NO, SA, UTAH, ...) become NBA tricodes. Kept row per (roster_date,
    team_abbr, player_lookup): latest processed_at (then latest scrape_hour).
    A snapshot dated after today or outside its season is quarantined
    (macros/staging/raw_row_rules.sql).
-#}
{{ config(**staging_incremental_config('roster_date')) }}
{%- set types = raw_column_types() -%}

with

source as (

    select * from {{ source('nba_raw', 'espn_team_rosters') }}
    where {{ in_staging_window('roster_date') }}

),

renamed as (

    select
        -- ids
        {{ to_tricode('team_abbr') }} as team_abbr,
        {{ raw_player_lookup('player_full_name') }} as player_lookup,
        cast(espn_player_id as {{ types.int64 }}) as espn_player_id,

        -- player
        {{ clean_text('player_full_name') }} as player_name,
        {{ clean_text('position') }} as position,
        cast(age as {{ types.int64 }}) as age,
        {{ clean_text('jersey_number') }} as jersey_number,
        lower({{ clean_text('status') }}) as status,
        lower({{ clean_text('roster_status') }}) as roster_status,

        -- dates
        {{ raw_season_and_date_columns('roster_date') }},
        cast(scrape_hour as {{ types.int64 }}) as scrape_hour,

        -- lineage and checks
        {{ raw_lineage_and_check_columns(['team_abbr']) }}

    from source

),

{{ classify_base_rows(
    natural_key=['roster_date', 'team_abbr', 'player_lookup'],
    date_column='roster_date',
    player_columns=['player_lookup'],
    order_by=['processed_at desc', 'scrape_hour desc'],
) }}

select * from final
