{#-
    Distribution statistics and drift measures, as SQL expressions over
    aggregated columns (validation_feature_health composes them; each is
    unit-tested on given / expected rows in runner/tests/validate). The
    same on every engine except distribution_quantile (dispatched).
-#}


{#-
    Population stability index of a current histogram against a baseline
    histogram over the same fixed bins:
        PSI = sum over bins of (c_i - b_i) * ln(c_i / b_i)
    where c_i = current_counts[i] / current_total and b_i the same for the
    baseline, each share floored at `epsilon` (an empty bin is not a
    division by zero: its weight is bounded by ln(1 / epsilon)). NULL when
    either total is 0 or NULL. 0 for identical shares; rule of thumb
    (Siddiqi): < 0.1 stable, 0.1-0.25 moderate, > 0.25 large.
-#}
{% macro population_stability_index(current_counts, baseline_counts, current_total, baseline_total, epsilon=0.0001) -%}
    {%- if current_counts | length != baseline_counts | length or not current_counts -%}
        {{ exceptions.raise_compiler_error(
            "population_stability_index: " ~ (current_counts | length) ~ " current bins and "
            ~ (baseline_counts | length) ~ " baseline bins (need the same number, at least one)") }}
    {%- endif -%}
    case when coalesce({{ current_total }}, 0) > 0 and coalesce({{ baseline_total }}, 0) > 0 then (
    {%- for current, baseline in zip(current_counts, baseline_counts) %}
        {%- set c = _psi_share(current, current_total, epsilon) %}
        {%- set b = _psi_share(baseline, baseline_total, epsilon) %}
        {% if not loop.first %}+ {% endif %}({{ c }} - {{ b }}) * ln({{ c }} / {{ b }})
    {%- endfor %}
    ) end
{%- endmacro %}

{#- greatest() of a NULL differs between engines (DuckDB skips it): every argument is non-NULL -#}
{% macro _psi_share(count, total, epsilon) -%}
    greatest(coalesce(1.0 * {{ count }} / nullif({{ total }}, 0), 0), {{ epsilon }})
{%- endmacro %}


{#-
    The shift of a mean in units of the baseline's standard deviation (a
    standardised mean difference; SQLMesh's z_score audit applied to a
    month's mean): (mean - baseline_mean) / baseline_stddev. NULL when the
    baseline has no spread (stddev 0 or NULL): a constant baseline is judged
    by the PSI instead.
-#}
{% macro mean_shift_zscore(mean, baseline_mean, baseline_stddev) -%}
    (({{ mean }} - {{ baseline_mean }}) / nullif({{ baseline_stddev }}, 0))
{%- endmacro %}


{#- Mean from a count and a sum (NULL when the count is 0). -#}
{% macro mean_from_sums(value_count, value_sum) -%}
    (1.0 * {{ value_sum }} / nullif({{ value_count }}, 0))
{%- endmacro %}


{#-
    Population standard deviation from a count, a sum and a sum of squares
    (so that months pool into a baseline by adding their sums); a variance
    rounded below 0 is clamped. NULL when the count is 0 or NULL.
-#}
{% macro stddev_from_sums(value_count, value_sum, value_sum_squares) -%}
    case when {{ value_count }} > 0 then sqrt(greatest(
        1.0 * {{ value_sum_squares }} / {{ value_count }}
        - power(1.0 * {{ value_sum }} / {{ value_count }}, 2),
        0)) end
{%- endmacro %}


{#-
    Quantiles of an aggregated expression, NULLs ignored, as one array (one
    sort per group): exact on DuckDB (quantile_cont, linear interpolation,
    one element per entry of `quantiles`), BigQuery's approx_quantiles at
    1 % resolution (101 elements). Read an element with quantile_at.
-#}
{% macro distribution_quantiles(expr, quantiles) -%}
    {{ return(adapter.dispatch('distribution_quantiles', 'nba_pipeline')(expr, quantiles)) }}
{%- endmacro %}

{% macro default__distribution_quantiles(expr, quantiles) -%}
    quantile_cont({{ expr }}, [{{ quantiles | join(', ') }}])
{%- endmacro %}

{% macro bigquery__distribution_quantiles(expr, quantiles) -%}
    approx_quantiles({{ expr }}, 100)
{%- endmacro %}


{#- The q-quantile (one of `quantiles`, a multiple of 0.01) of a distribution_quantiles array. -#}
{% macro quantile_at(quantiles_expr, quantiles, q) -%}
    {%- if q not in quantiles -%}
        {{ exceptions.raise_compiler_error("quantile_at: " ~ q ~ " is not one of " ~ quantiles) }}
    {%- endif -%}
    {{ return(adapter.dispatch('quantile_at', 'nba_pipeline')(quantiles_expr, quantiles, q)) }}
{%- endmacro %}

{% macro default__quantile_at(quantiles_expr, quantiles, q) -%}
    {{ quantiles_expr }}[{{ quantiles.index(q) + 1 }}]
{%- endmacro %}

{% macro bigquery__quantile_at(quantiles_expr, quantiles, q) -%}
    {{ quantiles_expr }}[safe_offset({{ (q * 100) | round | int }})]
{%- endmacro %}


{#-
    The element of an array at a 0-based position given by an SQL
    expression (a column), NULL when out of range: DuckDB list[i + 1],
    BigQuery array[safe_offset(i)]. (array_at takes a constant position.)
-#}
{% macro array_element(array_expr, index_expr) -%}
    {{ return(adapter.dispatch('array_element', 'nba_pipeline')(array_expr, index_expr)) }}
{%- endmacro %}

{% macro default__array_element(array_expr, index_expr) -%}
    {{ array_expr }}[{{ index_expr }} + 1]
{%- endmacro %}

{% macro bigquery__array_element(array_expr, index_expr) -%}
    {{ array_expr }}[safe_offset({{ index_expr }})]
{%- endmacro %}
