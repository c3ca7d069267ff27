{#-
    Every raw schedule snapshot, cleaned and classified. The kept row of a game
    is its highest game_status, then its latest processed_at (domain.md §1.5),
    over the whole history (no 365-day window). Preseason and All-Star games
    are excluded (valid, not processed); a final game dated after today, or a
    date outside the season the row names, is quarantined.
-#}
{{ config(**staging_incremental_config('game_date')) }}
{%- set types = raw_column_types() -%}

with

source as (

    select * from {{ source('nba_raw', 'nbac_schedule') }}
    where {{ in_staging_window('game_date') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('game_id') }} as game_id,
        replace(cast(cast(game_date as date) as {{ types.string }}), '-', '')
        || '_' || {{ to_tricode('away_team_tricode') }}
        || '_' || {{ to_tricode('home_team_tricode') }}
            as standard_game_id,
        {{ game_key('game_date', 'away_team_tricode', 'home_team_tricode') }} as game_key,
        {{ team_code_key('home_team_tricode') }} as home_team_code,
        {{ team_code_key('away_team_tricode') }} as away_team_code,
        {{ clean_text('game_code') }} as game_code,
        {{ clean_text('season') }} as season,
        {{ clean_text('season_nba_format') }} as season_nba_format,
        cast(coalesce(season_year, {{ season_year_from_date('game_date') }}) as {{ types.int64 }})
            as season_year,
        case substr({{ clean_text('game_id') }}, 3, 1)
            when '1' then 'pre_season'
            when '2' then 'regular_season'
            when '3' then 'all_star'
            when '4' then 'playoffs'
            when '5' then 'play_in'
            else case
                    when lower(playoff_round) = 'play_in' then 'play_in'
                    when is_playoffs then 'playoffs'
                    when is_all_star then 'all_star'
                    when is_regular_season then 'regular_season'
                end
        end as season_type,

        -- status
        cast(game_status as {{ types.int64 }}) as game_status,
        {{ clean_text('game_status_text') }} as game_status_text,
        coalesce(cast(game_status as {{ types.int64 }}) = 3, false) as is_final,

        -- teams
        cast(home_team_id as {{ types.int64 }}) as home_team_id,
        {{ to_tricode('home_team_tricode') }} as home_team_abbr,
        {{ clean_text('home_team_name') }} as home_team_name,
        cast(away_team_id as {{ types.int64 }}) as away_team_id,
        {{ to_tricode('away_team_tricode') }} as away_team_abbr,
        {{ clean_text('away_team_name') }} as away_team_name,

        -- venue
        {{ clean_text('arena_name') }} as arena_name,
        {{ clean_text('arena_timezone') }} as arena_timezone,

        -- flags
        cast(is_primetime as {{ types.bool }}) as is_primetime,
        cast(has_national_tv as {{ types.bool }}) as has_national_tv,
        cast(is_regular_season as {{ types.bool }}) as is_regular_season,
        cast(is_playoffs as {{ types.bool }}) as is_playoffs,
        cast(is_all_star as {{ types.bool }}) as is_all_star,
        cast(is_emirates_cup as {{ types.bool }}) as is_emirates_cup,
        lower({{ clean_text('playoff_round') }}) as playoff_round,

        -- result
        cast(home_team_score as {{ types.int64 }}) as home_team_score,
        cast(away_team_score as {{ types.int64 }}) as away_team_score,
        {{ to_tricode('winning_team_tricode') }} as winning_team_abbr,

        -- dates
        cast(game_date as date) as game_date,
        cast(game_date_est as {{ types.ts }}) as game_date_est,

        -- lineage and checks
        {{ clean_text('data_source') }} as data_source,
        {{ raw_lineage_and_check_columns([
            'home_team_tricode', 'away_team_tricode', 'winning_team_tricode',
        ]) }}

    from source

),

{{ classify_base_rows(
    natural_key=['game_id'],
    excluded=excluded_season_type('season_type'),
    checks={'future_date': 'is_final and ' ~ rule_future_date('game_date')},
    order_by=['game_status desc', 'processed_at desc'],
) }}

select * from final
