{#-
    True when the array `array_expr` holds `value_expr` (e.g. a date in
    historical_completeness.contributing_game_dates). DuckDB list_contains,
    BigQuery `value in unnest(array)`.
-#}
{% macro array_contains(array_expr, value_expr) -%}
    {{ return(adapter.dispatch('array_contains', 'nba_pipeline')(array_expr, value_expr)) }}
{%- endmacro %}

{% macro default__array_contains(array_expr, value_expr) -%}
    list_contains({{ array_expr }}, {{ value_expr }})
{%- endmacro %}

{% macro bigquery__array_contains(array_expr, value_expr) -%}
    ({{ value_expr }} in unnest({{ array_expr }}))
{%- endmacro %}
