{#-
    Cross-layer consistency: per team-game, team_offense_game_summary
    points_scored equals the sum of player_game_summary points of that team
    on that date (DNP / inactive rows carry NULL points and add nothing).
    A team-game present on one side only is also a failure (except TOGS
    placeholder rows, primary_source_used 'none', which have no points).
    Honours the run window (vars start_date / end_date). Returns the
    mismatching team-games with both totals.
-#}
{{ consistency_team_points_vs_player_points() }}
