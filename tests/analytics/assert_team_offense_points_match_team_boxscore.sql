{#- Cross-layer consistency; the rule and its doc: macro consistency_team_points_vs_boxscore (macros/validation/consistency.sql), shared with `nba-pipeline validate`. -#}
{{ consistency_team_points_vs_boxscore() }}
