{#- Cross-layer consistency; the rule and its doc: macro consistency_pgs_points_vs_gamebook (macros/validation/consistency.sql), shared with `nba-pipeline validate`. -#}  -- noqa: LT05
{{ consistency_pgs_points_vs_gamebook() }}
