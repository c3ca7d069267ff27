{#-
    ' over (<spec>)' when a window specification is given, else nothing: lets
    an aggregate formula macro render either its grouped form or its window
    form (exact_avg, exact_stddev_samp, sum_tenths). Same SQL on every engine.
-#}
{% macro over_clause(over) -%}
    {{- ' over (' ~ over ~ ')' if over else '' -}}
{%- endmacro %}
