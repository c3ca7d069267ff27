{{ config(materialized='ephemeral') }}

{#-
    The dates D that the four Phase 4 tables compute (domain.md §3): the
    schedule's game dates with at least one final regular-season or playoff
    game inside the run window, with their season (the schedule's
    season_year), opening night and bootstrap flag from int_season_calendar.
    Bootstrap days (season_start_date <= D < first_post_bootstrap_date) are
    dropped unless var include_bootstrap is true; dates before opening night
    do not exist in the schedule and are dropped as well.
-#}

with

stg_nba_raw__nbac_schedule as (

    select
        game_date,
        season_year
    from {{ ref('stg_nba_raw__nbac_schedule') }}
    where {{ in_run_window('game_date') }}
        and is_final
        and (is_regular_season or is_playoffs)

),

int_season_calendar as (

    select
        season_year,
        season_start_date,
        first_post_bootstrap_date
    from {{ ref('int_season_calendar') }}

),

game_dates as (

    select distinct
        game_date as analysis_date,
        season_year
    from stg_nba_raw__nbac_schedule

),

final as (

    select
        game_dates.analysis_date,
        game_dates.season_year,
        int_season_calendar.season_start_date,
        int_season_calendar.first_post_bootstrap_date,
        cast({{ dbt.datediff('int_season_calendar.season_start_date', 'game_dates.analysis_date', 'day') }}
            as {{ dbt.type_int() }}) as days_into_season,
        game_dates.analysis_date < int_season_calendar.first_post_bootstrap_date
            as is_bootstrap_date
    from game_dates
    inner join int_season_calendar
        on int_season_calendar.season_year = game_dates.season_year
    where game_dates.analysis_date >= int_season_calendar.season_start_date
        {%- if not var('include_bootstrap', false) %}
        and game_dates.analysis_date >= int_season_calendar.first_post_bootstrap_date
        {%- endif %}

)

select * from final
