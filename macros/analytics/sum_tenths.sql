{#-
    Exact sum of a quantity stored with one decimal (minutes_played).

    A float sum in a parallel aggregate depends on the order rows arrive in,
    so the same input could give 99.62 one run and 99.63 the next once a ratio
    is rounded. Summing whole tenths as integers is exact and order-free:
    re-running a date range gives byte-identical tables.

    `over` (optional): a window specification (the text inside OVER (...));
    given, the sum is that window aggregate (a running sum over a frame), the
    same value as the grouped sum over the frame's rows.
-#}
{% macro sum_tenths(expr, over=none) -%}
    cast(sum(cast(round({{ expr }} * 10, 0) as {{ dbt.type_bigint() }})){{ over_clause(over) }} as {{ type_float64() }}) / 10.0
{%- endmacro %}
