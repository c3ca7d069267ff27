{#-
    Every raw Odds API game line (spreads, totals), cleaned and classified. Kept
    row per (game_id, bookmaker_key, market_key, outcome_name,
    snapshot_timestamp): latest processed_at.
    Rows of preseason and All-Star games are excluded; a line of a game not
    on the schedule is quarantined (macros/staging/raw_row_rules.sql).
-#}
{{ config(**staging_incremental_config('game_date')) }}
{%- set types = raw_column_types() -%}

with

source as (

    select * from {{ source('nba_raw', 'odds_api_game_lines') }}
    where {{ in_staging_window('game_date') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('game_id') }} as game_id,
        {{ row_game_key('game_date', 'game_id', 'away_team_abbr', 'home_team_abbr') }} as game_key,
        lower({{ clean_text('bookmaker_key') }}) as bookmaker_key,
        lower({{ clean_text('market_key') }}) as market_key,
        {{ clean_text('outcome_name') }} as outcome_name,

        -- teams
        {{ clean_text('home_team') }} as home_team_name,
        {{ clean_text('away_team') }} as away_team_name,
        {{ to_tricode('home_team_abbr') }} as home_team_abbr,
        {{ to_tricode('away_team_abbr') }} as away_team_abbr,

        -- line
        cast(outcome_price as {{ types.float64 }}) as outcome_price,
        cast(outcome_point as {{ types.float64 }}) as outcome_point,

        -- dates and times
        cast(game_date as date) as game_date,
        cast(commence_time as {{ types.ts }}) as commence_time,
        cast(snapshot_timestamp as {{ types.ts }}) as snapshot_timestamp,

        -- lineage and checks
        {{ raw_lineage_and_check_columns(['home_team_abbr', 'away_team_abbr']) }}

    from source

),

{{ classify_base_rows(
    natural_key=['game_id', 'bookmaker_key', 'market_key', 'outcome_name', 'snapshot_timestamp'],
    date_rules=[],
    schedule={},
) }}

select * from final
