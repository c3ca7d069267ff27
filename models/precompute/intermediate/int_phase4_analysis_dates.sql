{{ config(materialized='ephemeral') }}

{#-
    The dates D that the four Phase 4 tables compute (domain.md §3): the
    schedule's game dates with at least one final regular-season or playoff
    game inside the run window, with their season (the schedule's
    season_year), opening night and bootstrap flag from int_season_calendar,
    and the schedule break before D: the consecutive days without a final
    regular-season or playoff game immediately before D (0 on a normal game
    day; the All-Star break gives 6), looking 30 days back as production does
    (domain.md §3.3: PDC extends its day windows by it).
    Bootstrap days (season_start_date <= D < first_post_bootstrap_date) are
    dropped unless var include_bootstrap is true; dates before opening night
    do not exist in the schedule and are dropped as well.
-#}

{%- set schedule_break_lookback_days = 30 -%}

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

int_phase4_team_schedule_games as (

    select distinct game_date
    from {{ ref('int_phase4_team_schedule_games') }}

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

-- the latest league game date of the 30 days before D (the break detection
-- of production: no game in those 30 days counts as no break)
previous_game_dates as (

    select
        game_dates.analysis_date,
        max(schedule_dates.game_date) as previous_game_date
    from game_dates
    inner join int_phase4_team_schedule_games as schedule_dates
        on schedule_dates.game_date < game_dates.analysis_date
        and schedule_dates.game_date
        >= cast({{ dbt.dateadd('day', -schedule_break_lookback_days, 'game_dates.analysis_date') }} as date)
    group by 1

),

final as (

    select
        game_dates.analysis_date,
        game_dates.season_year,
        int_season_calendar.season_start_date,
        int_season_calendar.first_post_bootstrap_date,
        cast(                                    {{ dbt.datediff('int_season_calendar.season_start_date', 'game_dates.analysis_date', 'day') }}  -- noqa: LT02,LT05
            as {{ dbt.type_int() }}
        ) as days_into_season,
        game_dates.analysis_date < int_season_calendar.first_post_bootstrap_date
            as is_bootstrap_date,
        cast(
            coalesce({{ dbt.datediff('previous_game_dates.previous_game_date',
                                      'game_dates.analysis_date', 'day') }} - 1, 0)
            as {{ dbt.type_int() }}
        ) as schedule_break_days
    from game_dates
    inner join int_season_calendar
        on int_season_calendar.season_year = game_dates.season_year
    left join previous_game_dates
        on previous_game_dates.analysis_date = game_dates.analysis_date
    where game_dates.analysis_date >= int_season_calendar.season_start_date
        {%- if not var('include_bootstrap', false) %}
            and game_dates.analysis_date >= int_season_calendar.first_post_bootstrap_date
        {%- endif %}

)

select * from final
