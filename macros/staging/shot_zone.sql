{#-
    Shot zone of a field-goal attempt (domain.md §2.3, shot-zone analyser):
    distance <= 8.0 ft → 'paint'; a three (subtype contains '3pt', or
    shot_type '3PT', or distance >= 23.75 ft) → 'three'; otherwise
    'mid_range'. NULL when the event is not a field goal (is_field_goal_expr).
    BigDataBall passes its event_subtype; NBA.com play-by-play its shot_type.
-#}
{% macro shot_zone(is_field_goal_expr, distance_expr, shot_type_expr, subtype_expr=none) -%}
    case
        when not coalesce({{ is_field_goal_expr }}, false) then null
        when {{ distance_expr }} <= 8.0 then 'paint'
        when {% if subtype_expr %}lower(coalesce({{ subtype_expr }}, '')) like '%3pt%' or {% endif -%}
            upper(coalesce({{ shot_type_expr }}, '')) = '3PT'
            or {{ distance_expr }} >= 23.75 then 'three'
        when {{ distance_expr }} is not null
            or {{ shot_type_expr }} is not null then 'mid_range'
    end
{%- endmacro %}
