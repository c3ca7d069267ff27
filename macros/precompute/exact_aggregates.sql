{#-
    Order-free aggregates of floats, so that re-running a date gives
    byte-identical rows: a float sum depends on the order rows arrive in a
    parallel aggregate, and once rounded an average could read 17.34 one run
    and 17.33 the next. (Like sum_tenths of macros/analytics, for any value.)

    Each takes an optional `over`: a window specification (the text inside
    OVER (...), e.g. "partition by ... order by ... rows between 9 preceding
    and current row"). Given, every aggregate of the formula becomes that
    window aggregate, so the running form over a frame is the same formula,
    with the same integer sums and the same final division, as the grouped
    form over the frame's rows: bit-identical values on each engine.

    exact_avg(expr, decimals=6, over=none): the mean of expr with each value
    taken to `decimals` decimals and summed as an integer (exact), then
    divided once. NULL values are ignored; NULL when there is none.
-#}
{% macro exact_avg(expr, decimals=6, over=none) -%}
    {%- set window = over_clause(over) -%}
    (cast(sum(cast(round({{ expr }} * 1e{{ decimals }}, 0) as {{ dbt.type_bigint() }})){{ window }} as {{ type_float64() }})
        / nullif(count({{ expr }}){{ window }}, 0) / 1e{{ decimals }})
{%- endmacro %}


{#-
    exact_stddev_samp(expr, over=none, decimals=0): the sample standard
    deviation (ddof 1) of an integer expression from exact integer sums,
    sqrt((n·Σx² − (Σx)²) / (n(n − 1))); with `decimals`, of any numeric
    expression taken to that many decimals (keep |x|·10^decimals below ~10^8,
    so that the sums of squares stay within a 64-bit integer). NULL with
    fewer than 2 values.
-#}
{% macro exact_stddev_samp(expr, over=none, decimals=0) -%}
    {%- if decimals -%}
        {{- return('(' ~ exact_stddev_samp('round((' ~ expr ~ ') * 1e' ~ decimals ~ ', 0)', over) ~ ') / 1e' ~ decimals) -}}
    {%- endif -%}
    {%- set window = over_clause(over) -%}
    case when count({{ expr }}){{ window }} >= 2 then
        sqrt(cast(
            count({{ expr }}){{ window }} * sum(cast({{ expr }} as {{ dbt.type_bigint() }}) * cast({{ expr }} as {{ dbt.type_bigint() }})){{ window }}
            - sum(cast({{ expr }} as {{ dbt.type_bigint() }})){{ window }} * sum(cast({{ expr }} as {{ dbt.type_bigint() }})){{ window }}
            as {{ type_float64() }}) / (count({{ expr }}){{ window }} * (count({{ expr }}){{ window }} - 1)))
    end
{%- endmacro %}

