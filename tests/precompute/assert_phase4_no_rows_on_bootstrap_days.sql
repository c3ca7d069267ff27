{#-
    The four Phase 4 tables write no rows on a season's bootstrap days
    (season_start_date <= D < first_post_bootstrap_date, domain.md §3), unless
    var include_bootstrap is true. Returns the offending (table, date, rows).
    The var is read when the test runs, not in config(enabled=...): configs
    keep the vars of the last parse, and the runner parses DuckDB runs once.
-#}

with

int_season_calendar as (

    select
        season_start_date,
        first_post_bootstrap_date
    from {{ ref('int_season_calendar') }}

),

phase4_dates as (

    select 'team_defense_zone_analysis' as table_name, analysis_date as phase4_date, count(*) as row_count
    from {{ audited(ref('team_defense_zone_analysis')) }}
    where {{ in_run_window('analysis_date') }}
    group by 1, 2
    union all
    select 'player_shot_zone_analysis', analysis_date, count(*)
    from {{ audited(ref('player_shot_zone_analysis')) }}
    where {{ in_run_window('analysis_date') }}
    group by 1, 2
    union all
    select 'player_composite_factors', game_date, count(*)
    from {{ audited(ref('player_composite_factors')) }}
    where {{ in_run_window('game_date') }}
    group by 1, 2
    union all
    select 'player_daily_cache', cache_date, count(*)
    from {{ audited(ref('player_daily_cache')) }}
    where {{ in_run_window('cache_date') }}
    group by 1, 2

),

validation_errors as (

    select phase4_dates.*
    from phase4_dates
    inner join int_season_calendar
        on phase4_dates.phase4_date >= int_season_calendar.season_start_date
        and phase4_dates.phase4_date < int_season_calendar.first_post_bootstrap_date
    where {{ 'false' if var('include_bootstrap', false) else 'true' }}

)

select * from validation_errors
