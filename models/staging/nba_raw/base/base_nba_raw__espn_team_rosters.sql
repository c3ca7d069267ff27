{#-
    Every raw ESPN roster row, cleaned and classified. ESPN team codes (NY, GS,
    NO, SA, UTAH, ...) become NBA tricodes. Kept row per (roster_date,
    team_abbr, player_lookup): latest processed_at (then latest scrape_hour).
    A snapshot dated after today or outside its season is quarantined
    (macros/staging/raw_row_rules.sql).
-#}
{%- set string = dbt.type_string() -%}
{%- set int64 = dbt.type_bigint() -%}
{%- set ts = dbt.type_timestamp() -%}

with

source as (

    select * from {{ source('nba_raw', 'espn_team_rosters') }}

),

renamed as (

    select
        -- ids
        {{ to_tricode('team_abbr') }} as team_abbr,
        coalesce(
            {{ normalize_player_lookup('player_lookup') }},
            {{ normalize_player_lookup('player_full_name') }}
        ) as player_lookup,
        cast(espn_player_id as {{ int64 }}) as espn_player_id,

        -- player
        {{ clean_text('player_full_name') }} as player_name,
        {{ clean_text('position') }} as position,
        cast(age as {{ int64 }}) as age,
        {{ clean_text('jersey_number') }} as jersey_number,
        lower({{ clean_text('status') }}) as status,
        lower({{ clean_text('roster_status') }}) as roster_status,

        -- dates
        cast(coalesce(season_year, {{ season_year_from_date('roster_date') }}) as {{ int64 }})
            as season_year,
        cast(roster_date as date) as roster_date,
        cast(scrape_hour as {{ int64 }}) as scrape_hour,

        -- lineage
        source_file_path,
        data_hash,
        cast(processed_at as {{ ts }}) as processed_at,

        -- checks
        {{ has_unknown_team(['team_abbr']) }} as has_unknown_team,
        source as raw_record

    from source

),

final as (

    {{ classify_raw_rows(
        relation='renamed',
        natural_key=['roster_date', 'team_abbr', 'player_lookup'],
        date_column='roster_date',
        player_columns=['player_lookup'],
        checks={
            'unknown_team': 'has_unknown_team',
            'future_date': rule_future_date('roster_date'),
            'date_outside_season': rule_date_outside_season('roster_date', 'season_year'),
        },
        order_by=['processed_at desc', 'scrape_hour desc'],
    ) }}

)

select * from final
