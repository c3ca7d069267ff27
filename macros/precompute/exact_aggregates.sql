{#-
    Order-free aggregates of floats, so that re-running a date gives
    byte-identical rows: a float sum depends on the order rows arrive in a
    parallel aggregate, and once rounded an average could read 17.34 one run
    and 17.33 the next. (Like sum_tenths of macros/analytics, for any value.)

    exact_avg(expr, decimals=6): the mean of expr with each value taken to
    `decimals` decimals and summed as an integer (exact), then divided once.
    NULL values are ignored; NULL when there is none.
-#}
{% macro exact_avg(expr, decimals=6) -%}
    (cast(sum(cast(round({{ expr }} * 1e{{ decimals }}, 0) as {{ dbt.type_bigint() }})) as {{ type_float64() }})
        / nullif(count({{ expr }}), 0) / 1e{{ decimals }})
{%- endmacro %}


{#-
    exact_stddev_samp(expr): the sample standard deviation (ddof 1) of an
    integer expression from exact integer sums, sqrt((n·Σx² − (Σx)²) / (n(n − 1))).
    NULL with fewer than 2 values.
-#}
{% macro exact_stddev_samp(expr) -%}
    case when count({{ expr }}) >= 2 then
        sqrt(cast(
            count({{ expr }}) * sum(cast({{ expr }} as {{ dbt.type_bigint() }}) * cast({{ expr }} as {{ dbt.type_bigint() }}))
            - sum(cast({{ expr }} as {{ dbt.type_bigint() }})) * sum(cast({{ expr }} as {{ dbt.type_bigint() }}))
            as {{ type_float64() }}) / (count({{ expr }}) * (count({{ expr }}) - 1)))
    end
{%- endmacro %}
