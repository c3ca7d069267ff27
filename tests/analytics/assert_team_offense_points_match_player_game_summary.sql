{#-
    Cross-layer consistency: per team-game, team_offense_game_summary
    points_scored equals the sum of player_game_summary points of that team
    on that date (DNP / inactive rows carry NULL points and add nothing).
    A team-game present on one side only is also a failure (except TOGS
    placeholder rows, primary_source_used 'none', which have no points).
    Honours the run window (vars start_date / end_date). Returns the
    mismatching team-games with both totals.
-#}

with

team_offense_game_summary as (

    select * from {{ ref('team_offense_game_summary') }}
    where {{ in_run_window('game_date') }}
        and primary_source_used <> 'none'

),

player_game_summary as (

    select * from {{ ref('player_game_summary') }}
    where {{ in_run_window('game_date') }}

),

player_points_by_team as (

    select
        game_date,
        team_abbr,
        sum(points) as player_points
    from player_game_summary
    group by game_date, team_abbr

),

validation_errors as (

    select
        coalesce(team_offense_game_summary.game_date, player_points_by_team.game_date) as game_date,
        coalesce(team_offense_game_summary.team_abbr, player_points_by_team.team_abbr) as team_abbr,
        team_offense_game_summary.primary_source_used,
        team_offense_game_summary.points_scored,
        player_points_by_team.player_points
    from team_offense_game_summary
    full outer join player_points_by_team
        on team_offense_game_summary.game_date = player_points_by_team.game_date
        and team_offense_game_summary.team_abbr = player_points_by_team.team_abbr
    where
        team_offense_game_summary.points_scored is null
        or player_points_by_team.player_points is null
        or team_offense_game_summary.points_scored <> player_points_by_team.player_points

)

select * from validation_errors
