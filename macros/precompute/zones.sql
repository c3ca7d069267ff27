{#-
    TDZA strongest / weakest zone (domain.md §3.1): the zone whose
    <zone>_defense_vs_league_avg is the most negative (strongest) or the most
    positive (weakest); zone names 'paint', 'mid_range', 'perimeter'. Ties go
    to the first of paint, mid_range, perimeter; NULL when a value is NULL.
-#}
{% macro tdza_extreme_zone(paint, mid_range, three_pt, direction) -%}
    {%- set cmp = '<=' if direction == 'strongest' else '>=' -%}
    case
        when {{ paint }} is null or {{ mid_range }} is null or {{ three_pt }} is null then null
        when {{ paint }} {{ cmp }} {{ mid_range }} and {{ paint }} {{ cmp }} {{ three_pt }} then 'paint'
        when {{ mid_range }} {{ cmp }} {{ three_pt }} then 'mid_range'
        else 'perimeter'
    end
{%- endmacro %}


{#-
    PSZA primary_scoring_zone (domain.md §3.2), from the three rates in
    percent: paint ≥ 40 → 'paint'; else three ≥ 40 → 'perimeter'; else
    mid-range ≥ 35 → 'mid_range'; else 'balanced'; NULL when every rate is 0
    or NULL.
-#}
{% macro psza_primary_scoring_zone(paint_rate, mid_range_rate, three_pt_rate) -%}
    case
        when coalesce({{ paint_rate }}, 0) = 0 and coalesce({{ mid_range_rate }}, 0) = 0
            and coalesce({{ three_pt_rate }}, 0) = 0 then null
        when {{ paint_rate }} >= 40 then 'paint'
        when {{ three_pt_rate }} >= 40 then 'perimeter'
        when {{ mid_range_rate }} >= 35 then 'mid_range'
        else 'balanced'
    end
{%- endmacro %}


{#-
    PSZA sample_quality_10 / _20 (domain.md §3.2): excellent ≥ window, good ≥
    0.7 × window, limited ≥ 0.5 × window, otherwise insufficient.
-#}
{% macro sample_quality(games, window) -%}
    case
        when {{ games }} >= {{ window }} then 'excellent'
        when {{ games }} >= {{ 0.7 * window }} then 'good'
        when {{ games }} >= {{ 0.5 * window }} then 'limited'
        else 'insufficient'
    end
{%- endmacro %}
