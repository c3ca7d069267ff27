{#-
    Cross-layer consistency: for every team_offense_game_summary row sourced
    from the team box score, points_scored equals the staged
    nbac_team_boxscore points of that team-game (and the row exists there).
    Honours the run window (vars start_date / end_date). Returns the
    mismatching team-games with both values.
-#}
{{ consistency_team_points_vs_boxscore() }}
