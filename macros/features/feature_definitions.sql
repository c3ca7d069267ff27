{#-
    The feature store's one list of features (domain.md §3.5, v2_33features),
    its source weights and its quality tiers. The model, the ml_training_set
    view and the tests all read these macros: a feature, a weight or a cut-off
    changes here and nowhere else.
-#}

{#-
    The 33 features in array order. For each: index, name, category
    (matchup / team_context / vegas / player_history / game_context),
    optional (excluded from the quality average when missing or default),
    default (the value written when every source is missing; none = NaN),
    range [low, high] of domain.md's write-time expectations (none = no
    check), range_severity (error only for fatigue_score) and
    variance_check: false for a feature constant per date by definition.
-#}
{% macro feature_store_features() -%}
    {{- return([
        {'index': 0, 'name': 'points_avg_last_5', 'category': 'player_history', 'optional': false, 'default': 10.0, 'range': [0, 70]},
        {'index': 1, 'name': 'points_avg_last_10', 'category': 'player_history', 'optional': false, 'default': 10.0, 'range': [0, 70]},
        {'index': 2, 'name': 'points_avg_season', 'category': 'player_history', 'optional': false, 'default': 10.0, 'range': [0, 70]},
        {'index': 3, 'name': 'points_std_last_10', 'category': 'player_history', 'optional': false, 'default': 5.0, 'range': [0, 30]},
        {'index': 4, 'name': 'games_in_last_7_days', 'category': 'player_history', 'optional': false, 'default': 3.0, 'range': [0, 4]},
        {'index': 5, 'name': 'fatigue_score', 'category': 'matchup', 'optional': false, 'default': 50.0, 'range': [0, 100], 'range_severity': 'error'},
        {'index': 6, 'name': 'shot_zone_mismatch_score', 'category': 'matchup', 'optional': false, 'default': 0.0, 'range': [-15, 15]},
        {'index': 7, 'name': 'pace_score', 'category': 'matchup', 'optional': false, 'default': 0.0, 'range': [-8, 8]},
        {'index': 8, 'name': 'usage_spike_score', 'category': 'matchup', 'optional': false, 'default': 0.0, 'range': [-8, 8]},
        {'index': 9, 'name': 'rest_advantage', 'category': 'game_context', 'optional': false, 'default': 0.0, 'range': [-2, 2]},
        {'index': 10, 'name': 'injury_risk', 'category': 'game_context', 'optional': false, 'default': 0.0, 'range': [0, 3]},
        {'index': 11, 'name': 'recent_trend', 'category': 'player_history', 'optional': false, 'default': 0.0, 'range': [-2, 2]},
        {'index': 12, 'name': 'minutes_change', 'category': 'player_history', 'optional': false, 'default': 0.0, 'range': [-2, 2]},
        {'index': 13, 'name': 'opponent_def_rating', 'category': 'matchup', 'optional': false, 'default': 112.0, 'range': [90, 130]},
        {'index': 14, 'name': 'opponent_pace', 'category': 'matchup', 'optional': false, 'default': 100.0, 'range': [90, 115]},
        {'index': 15, 'name': 'home_away', 'category': 'game_context', 'optional': false, 'default': 0.0, 'range': [0, 1]},
        {'index': 16, 'name': 'back_to_back', 'category': 'game_context', 'optional': false, 'default': 0.0, 'range': [0, 1]},
        {'index': 17, 'name': 'playoff_game', 'category': 'game_context', 'optional': false, 'default': 0.0, 'range': [0, 1], 'variance_check': false},
        {'index': 18, 'name': 'pct_paint', 'category': 'player_history', 'optional': false, 'default': none, 'range': [0, 1]},
        {'index': 19, 'name': 'pct_mid_range', 'category': 'player_history', 'optional': false, 'default': none, 'range': [0, 1]},
        {'index': 20, 'name': 'pct_three', 'category': 'player_history', 'optional': false, 'default': none, 'range': [0, 1]},
        {'index': 21, 'name': 'pct_free_throw', 'category': 'player_history', 'optional': false, 'default': 0.15, 'range': [0, 0.5]},
        {'index': 22, 'name': 'team_pace', 'category': 'team_context', 'optional': false, 'default': 100.0, 'range': [90, 115]},
        {'index': 23, 'name': 'team_off_rating', 'category': 'team_context', 'optional': false, 'default': 112.0, 'range': [90, 130]},
        {'index': 24, 'name': 'team_win_pct', 'category': 'team_context', 'optional': false, 'default': 0.5, 'range': [0, 1]},
        {'index': 25, 'name': 'vegas_points_line', 'category': 'vegas', 'optional': true, 'default': none, 'range': [0, 80]},
        {'index': 26, 'name': 'vegas_opening_line', 'category': 'vegas', 'optional': true, 'default': none, 'range': none},
        {'index': 27, 'name': 'vegas_line_move', 'category': 'vegas', 'optional': true, 'default': none, 'range': none},
        {'index': 28, 'name': 'has_vegas_line', 'category': 'vegas', 'optional': false, 'default': 0.0, 'range': [0, 1]},
        {'index': 29, 'name': 'avg_points_vs_opponent', 'category': 'player_history', 'optional': false, 'default': 10.0, 'range': none},
        {'index': 30, 'name': 'games_vs_opponent', 'category': 'player_history', 'optional': false, 'default': 0.0, 'range': none},
        {'index': 31, 'name': 'minutes_avg_last_10', 'category': 'player_history', 'optional': false, 'default': 28.0, 'range': [0, 48]},
        {'index': 32, 'name': 'ppm_avg_last_10', 'category': 'player_history', 'optional': false, 'default': 0.4, 'range': [0, 1.5]},
    ]) -}}
{%- endmacro %}


{#- feature_version of the rows (decisions.md fix 9: it names what the row holds). -#}
{% macro feature_store_version() -%}
    {{- return('v2_33features') -}}
{%- endmacro %}


{#-
    The quality weight of a feature source (domain.md §3.5, current scoring):
    phase4 100, phase3 87, calculated 100, vegas 100, bettingpros 100,
    opponent_history 90, minutes_ppm 95, default 40, fallback 40, missing 0.
-#}
{% macro feature_source_weights() -%}
    {{- return({
        'phase4': 100, 'phase3': 87, 'calculated': 100, 'vegas': 100,
        'bettingpros': 100, 'opponent_history': 90, 'minutes_ppm': 95,
        'default': 40, 'fallback': 40, 'missing': 0,
    }) -}}
{%- endmacro %}

{#- Sources that count as "defaulted" (default / fallback / missing). -#}
{% macro defaulted_feature_sources() -%}
    {{- return(['default', 'fallback', 'missing']) -}}
{%- endmacro %}


{#- SQL: the weight of a source column (an unknown source weighs 0). -#}
{% macro feature_source_weight(source_expr) -%}
    case {{ source_expr }}
        {%- for source, weight in feature_source_weights().items() %}
        when '{{ source }}' then {{ weight }}
        {%- endfor %}
        else 0
    end
{%- endmacro %}


{#-
    Quality tiers: the lowest score of each tier, best first (gold ≥ 95,
    silver ≥ 85, bronze ≥ 70, poor ≥ 50, otherwise critical), and the caps
    on the score when required features are defaulted (≥ 1 → 69, ≥ 5 → 49).
-#}
{% macro feature_quality_tiers() -%}
    {{- return([('gold', 95), ('silver', 85), ('bronze', 70), ('poor', 50)]) -}}
{%- endmacro %}

{% macro feature_quality_caps() -%}
    {{- return([(5, 49), (1, 69)]) -}}
{%- endmacro %}


{#- SQL: the tier of a score expression. -#}
{% macro feature_quality_tier(score_expr) -%}
    case
        {%- for tier, low in feature_quality_tiers() %}
        when {{ score_expr }} >= {{ low }} then '{{ tier }}'
        {%- endfor %}
        else 'critical'
    end
{%- endmacro %}


{#- SQL: a raw score capped by the number of required defaulted features. -#}
{% macro feature_quality_capped(score_expr, required_defaults_expr) -%}
    case
        {%- for min_defaults, cap in feature_quality_caps() %}
        when {{ required_defaults_expr }} >= {{ min_defaults }}
            and {{ score_expr }} > {{ cap }} then {{ cap }}
        {%- endfor %}
        else {{ score_expr }}
    end
{%- endmacro %}
