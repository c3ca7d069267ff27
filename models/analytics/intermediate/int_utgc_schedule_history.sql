{{ config(materialized='ephemeral') }}

{#-
    Schedule history of each team game of the run window (domain.md §2.5): the
    team's completed (final, scored) games of the same season strictly before
    the date (decisions.md fix 6: season-bounded): how many, the last one (its
    date, margin, result and the win or loss streak it ends), the games of the
    7 and 14 days before (> D − N); and the schedule completeness of the L7d /
    L14d windows: scheduled games vs final games with a score.
    One row per (game_date, team_abbr) of the run window.
-#}

with

int_utgc_team_games as (

    select
        game_date,
        season_year,
        team_abbr,
        is_final,
        points_for,
        points_against
    from {{ ref('int_utgc_team_games') }}

),

-- completed games with their result and the streak they end
completed_games as (

    select
        team_abbr,
        season_year,
        game_date,
        points_for,
        points_against,
        points_for - points_against as margin,
        case when points_for > points_against then 'W' else 'L' end as result
    from int_utgc_team_games
    where is_final
        and points_for is not null
        and points_against is not null

),

completed_games_grouped as (

    select
        *,
        row_number() over (
            partition by team_abbr, season_year order by game_date
        ) - row_number() over (
            partition by team_abbr, season_year, result order by game_date
        ) as streak_group
    from completed_games

),

completed_games_with_streaks as (

    select
        *,
        row_number() over (
            partition by team_abbr, season_year, result, streak_group
            order by game_date
        ) as streak_after_game
    from completed_games_grouped

),

target_games as (

    select *
    from int_utgc_team_games
    where {{ in_run_window('game_date') }}

),

-- season-bounded history strictly before the game date
history_aggregated as (

    select
        target_games.game_date,
        target_games.team_abbr,
        count(completed_games.game_date) as prior_games_count,
        max(completed_games.game_date) as last_game_date,
        sum(case
            when completed_games.game_date
                > cast({{ dbt.dateadd('day', -7, 'target_games.game_date') }} as date)
            then 1 else 0 end) as games_in_last_7_days,
        sum(case
            when completed_games.game_date
                > cast({{ dbt.dateadd('day', -14, 'target_games.game_date') }} as date)
            then 1 else 0 end) as games_in_last_14_days
    from target_games
    left join completed_games
        on completed_games.team_abbr = target_games.team_abbr
        and completed_games.season_year = target_games.season_year
        and completed_games.game_date < target_games.game_date
    group by 1, 2

),

-- schedule completeness: scheduled vs completed games in the L7d / L14d windows
schedule_windows as (

    select
        target_games.game_date,
        target_games.team_abbr,
        sum(case
            when scheduled.game_date
                > cast({{ dbt.dateadd('day', -7, 'target_games.game_date') }} as date)
            then 1 else 0 end) as l7d_expected_games,
        sum(case
            when scheduled.game_date
                > cast({{ dbt.dateadd('day', -7, 'target_games.game_date') }} as date)
                and scheduled.is_final and scheduled.points_for is not null
            then 1 else 0 end) as l7d_actual_games,
        count(scheduled.game_date) as l14d_expected_games,
        sum(case
            when scheduled.is_final and scheduled.points_for is not null
            then 1 else 0 end) as l14d_actual_games
    from target_games
    left join int_utgc_team_games as scheduled
        on scheduled.team_abbr = target_games.team_abbr
        and scheduled.season_year = target_games.season_year
        and scheduled.game_date < target_games.game_date
        and scheduled.game_date
            > cast({{ dbt.dateadd('day', -14, 'target_games.game_date') }} as date)
    group by 1, 2

),

final as (

    select
        history_aggregated.game_date,
        history_aggregated.team_abbr,
        history_aggregated.prior_games_count,
        history_aggregated.last_game_date,
        history_aggregated.games_in_last_7_days,
        history_aggregated.games_in_last_14_days,
        last_game.margin as last_game_margin,
        last_game.result as last_game_result,
        last_game.streak_after_game as last_streak_length,
        schedule_windows.l7d_expected_games,
        schedule_windows.l7d_actual_games,
        schedule_windows.l14d_expected_games,
        schedule_windows.l14d_actual_games
    from history_aggregated
    left join completed_games_with_streaks as last_game
        on last_game.team_abbr = history_aggregated.team_abbr
        and last_game.game_date = history_aggregated.last_game_date
    left join schedule_windows
        on schedule_windows.game_date = history_aggregated.game_date
        and schedule_windows.team_abbr = history_aggregated.team_abbr

)

select * from final
