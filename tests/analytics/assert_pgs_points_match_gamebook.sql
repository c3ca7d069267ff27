{#-
    Cross-layer consistency: for every player_game_summary row whose primary
    source is the gamebook, points equal the staged gamebook points of the same
    (game_date, player_lookup) (NULL = NULL counts as equal). Honours the run
    window (vars start_date / end_date). Returns the mismatched rows.
-#}
{{ consistency_pgs_points_vs_gamebook() }}
