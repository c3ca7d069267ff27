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

    {{ phase4_rows_per_date() }}

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
