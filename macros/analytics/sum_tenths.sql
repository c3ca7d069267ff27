{#-
    Exact sum of a quantity stored with one decimal (minutes_played).

    A float sum in a parallel aggregate depends on the order rows arrive in,
    so the same input could give 99.62 one run and 99.63 the next once a ratio
    is rounded. Summing whole tenths as integers is exact and order-free:
    re-running a date range gives byte-identical tables.
-#}
{% macro sum_tenths(expr) -%}
    cast(sum(cast(round({{ expr }} * 10, 0) as {{ dbt.type_bigint() }})) as {{ type_float64() }}) / 10.0
{%- endmacro %}
