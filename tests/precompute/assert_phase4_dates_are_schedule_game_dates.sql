{#-
    Every date of the four Phase 4 tables is a game date of the schedule
    (a final regular-season or playoff game). Returns the offending
    (table, date, rows).
-#}

with

schedule_dates as (

    select distinct game_date
    from {{ ref('stg_nba_raw__nbac_schedule') }}
    where {{ in_run_window('game_date') }}
        and is_final
        and (is_regular_season or is_playoffs)

),

phase4_dates as (

    {{ phase4_rows_per_date() }}

),

validation_errors as (

    select phase4_dates.*
    from phase4_dates
    left join schedule_dates
        on schedule_dates.game_date = phase4_dates.phase4_date
    where schedule_dates.game_date is null

)

select * from validation_errors
