{{ config(materialized='ephemeral') }}

{#-
    Each player's injury status on a game date (domain.md §2.4): the game's
    latest injury report of game day issued before tip-off (report hour <= the
    hour of the game's start, any hour without a start time), the player's
    latest row on it, status lower-cased. One row per (game_date,
    player_lookup) on such a report.
-#}

with

stg_nba_raw__nbac_injury_report as (

    select
        report_date,
        report_hour,
        game_id,
        team_abbr,
        player_lookup,
        injury_status,
        reason,
        processed_at
    from {{ ref('stg_nba_raw__nbac_injury_report') }}
    where {{ in_run_window('report_date') }}

),

stg_nba_raw__nbac_schedule as (

    select
        standard_game_id,
        game_date,
        game_date_est
    from {{ ref('stg_nba_raw__nbac_schedule') }}
    where {{ in_run_window('game_date') }}

),

injury_reports_before_tipoff as (

    select stg_nba_raw__nbac_injury_report.*
    from stg_nba_raw__nbac_injury_report
    inner join stg_nba_raw__nbac_schedule as games
        on games.standard_game_id = stg_nba_raw__nbac_injury_report.game_id
        and games.game_date = stg_nba_raw__nbac_injury_report.report_date
    where games.game_date_est is null
        or stg_nba_raw__nbac_injury_report.report_hour
        <= {{ hour_of_timestamp("games.game_date_est") }}

),

latest_injury_report as (

    select *
    from injury_reports_before_tipoff
    qualify rank() over (
            partition by game_id order by report_hour desc
        ) = 1

),

final as (

    select
        report_date as game_date,
        player_lookup,
        team_abbr,
        lower(injury_status) as injury_status,
        reason
    from latest_injury_report
    qualify row_number() over (
            partition by report_date, player_lookup
            order by processed_at desc
        ) = 1

)

select * from final
