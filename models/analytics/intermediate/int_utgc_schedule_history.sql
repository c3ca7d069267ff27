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

-- the team's scheduled games of the season strictly before the date, with
-- the 7- and 14-day flags (> D − N)
prior_games as (

    select
        target_games.game_date,
        target_games.team_abbr,
        earlier.game_date as prior_game_date,
        earlier.is_final
        and earlier.points_for is not null
        and earlier.points_against is not null as is_completed,
        earlier.is_final and earlier.points_for is not null as is_scored,
        {{ recent_day_windows('earlier.game_date', 'target_games.game_date') }}
    from target_games
    left join int_utgc_team_games as earlier
        on earlier.team_abbr = target_games.team_abbr
        and earlier.season_year = target_games.season_year
        and earlier.game_date < target_games.game_date

),

-- history: completed games; completeness: scheduled vs scored games
history_aggregated as (

    select
        game_date,
        team_abbr,
        count(case when is_completed then prior_game_date end) as prior_games_count,
        max(case when is_completed then prior_game_date end) as last_game_date,
        sum(case when is_completed and is_last_7_days then 1 else 0 end)
            as games_in_last_7_days,
        sum(case when is_completed and is_last_14_days then 1 else 0 end)
            as games_in_last_14_days,
        sum(case when is_last_7_days then 1 else 0 end) as l7d_expected_games,
        sum(case when is_last_7_days and is_scored then 1 else 0 end)
            as l7d_actual_games,
        count(case when is_last_14_days then prior_game_date end)
            as l14d_expected_games,
        sum(case when is_last_14_days and is_scored then 1 else 0 end)
            as l14d_actual_games
    from prior_games
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
        history_aggregated.l7d_expected_games,
        history_aggregated.l7d_actual_games,
        history_aggregated.l14d_expected_games,
        history_aggregated.l14d_actual_games
    from history_aggregated
    left join completed_games_with_streaks as last_game
        on last_game.team_abbr = history_aggregated.team_abbr
        and last_game.game_date = history_aggregated.last_game_date

)

select * from final
