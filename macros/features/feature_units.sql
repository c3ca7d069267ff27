{#-
    The unit of a feature of feature_store_features(), for the checks that
    catch a unit bug (the PSZA percentage-unit incident: rates in 0-100 where
    the store holds fractions). A feature may declare 'unit' itself;
    otherwise its documented range says it: within [0, 1] it is a fraction
    (or a 0/1 flag), [0, 100] a percentage-like 0-100 score, anything else
    has no unit rule (none).
-#}
{% macro feature_store_unit(feature) -%}
    {%- if feature.get('unit') -%}
        {{- return(feature.get('unit')) -}}
    {%- endif -%}
    {%- set range = feature.get('range') -%}
    {%- if range and range[0] >= 0 and range[1] <= 1 -%}
        {{- return('fraction') -}}
    {%- elif range and range[0] == 0 and range[1] == 100 -%}
        {{- return('percent') -}}
    {%- endif -%}
    {{- return(none) -}}
{%- endmacro %}
