{{ config(materialized='ephemeral') }}

{#-
    The distinct player_game_summary players of each Phase 4 date
    (int_phase4_analysis_dates, so bootstrap days are excluded unless var
    include_bootstrap is true): the input of the UPCG -> PGS fallback decision
    and the expected side of the Phase 4 player coverage tests.
-#}

with

player_game_summary as (

    select
        game_date,
        player_lookup
    from {{ ref('player_game_summary') }}
    where {{ in_run_window('game_date') }}

),

int_phase4_analysis_dates as (

    select analysis_date
    from {{ ref('int_phase4_analysis_dates') }}

),

final as (

    select distinct
        player_game_summary.game_date,
        player_game_summary.player_lookup
    from player_game_summary
    inner join int_phase4_analysis_dates
        on int_phase4_analysis_dates.analysis_date = player_game_summary.game_date

)

select * from final
