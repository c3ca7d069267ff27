{#-
    Cross-layer consistency: for every team_offense_game_summary row sourced
    from the team box score, points_scored equals the staged
    nbac_team_boxscore points of that team-game (and the row exists there).
    Honours the run window (vars start_date / end_date). Returns the
    mismatching team-games with both values.
-#}

with

team_offense_game_summary as (

    select * from {{ ref('team_offense_game_summary') }}
    where {{ in_run_window('game_date') }}
        and primary_source_used = 'nbac_team_boxscore'

),

stg_nba_raw__nbac_team_boxscore as (

    select * from {{ ref('stg_nba_raw__nbac_team_boxscore') }}
    where {{ in_run_window('game_date') }}

),

validation_errors as (

    select
        team_offense_game_summary.game_date,
        team_offense_game_summary.game_id,
        team_offense_game_summary.team_abbr,
        team_offense_game_summary.points_scored,
        stg_nba_raw__nbac_team_boxscore.points as boxscore_points
    from team_offense_game_summary
    left join stg_nba_raw__nbac_team_boxscore
        on team_offense_game_summary.game_date = stg_nba_raw__nbac_team_boxscore.game_date
        and team_offense_game_summary.team_abbr = stg_nba_raw__nbac_team_boxscore.team_abbr
    where
        stg_nba_raw__nbac_team_boxscore.points is null
        or team_offense_game_summary.points_scored <> stg_nba_raw__nbac_team_boxscore.points

)

select * from validation_errors
