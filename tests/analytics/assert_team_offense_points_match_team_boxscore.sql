{#- Cross-layer consistency; the rule and its doc: macro consistency_team_points_vs_boxscore (macros/validation/consistency.sql), shared with `nba-pipeline validate`. -#}  -- noqa: LT05
{{ consistency_team_points_vs_boxscore() }}
