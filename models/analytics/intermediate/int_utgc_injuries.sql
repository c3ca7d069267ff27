{{ config(materialized='ephemeral') }}

{#-
    Injury counts of each team game of the run window (domain.md §2.5): the
    game's latest injury report of game day issued before tip-off (report hour
    <= the hour of the game's start, any hour without a start time), the team's
    rows on it: status 'out', and 'questionable' or 'doubtful'; the rows found
    and their latest processed_at (the game's report's when the team has no
    row). One row per (game_date, team_abbr) whose game has such a report.
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
        processed_at
    from {{ ref('stg_nba_raw__nbac_injury_report') }}
    where {{ in_run_window('report_date') }}

),

int_utgc_team_games as (

    select
        game_id,
        game_date,
        game_date_est,
        team_abbr
    from {{ ref('int_utgc_team_games') }}

),

{{ injury_report_before_tipoff(
    'stg_nba_raw__nbac_injury_report', 'int_utgc_team_games', 'game_id', match_team=true
) }},

injury_counts as (

    select
        game_id,
        team_abbr,
        sum(case when lower(injury_status) = 'out' then 1 else 0 end)
            as starters_out_count,
        sum(case
            when lower(injury_status) in ('questionable', 'doubtful')
                then 1
            else 0
        end) as questionable_players_count,
        count(*) as rows_found,
        max(processed_at) as last_updated
    from latest_injury_report
    group by 1, 2

),

injury_reports_per_game as (

    select
        game_id,
        max(processed_at) as last_updated
    from latest_injury_report
    group by 1

),

target_games as (

    select *
    from int_utgc_team_games
    where {{ in_run_window('game_date') }}

),

final as (

    select
        target_games.game_date,
        target_games.team_abbr,
        coalesce(injury_counts.starters_out_count, 0) as starters_out_count,
        coalesce(injury_counts.questionable_players_count, 0)
            as questionable_players_count,
        coalesce(injury_counts.rows_found, 0) as rows_found,
        coalesce(
            injury_counts.last_updated,
            injury_reports_per_game.last_updated
        ) as last_updated
    from target_games
    inner join injury_reports_per_game
        on injury_reports_per_game.game_id = target_games.game_id
    left join injury_counts
        on injury_counts.game_id = target_games.game_id
        and injury_counts.team_abbr = target_games.team_abbr

)

select * from final
