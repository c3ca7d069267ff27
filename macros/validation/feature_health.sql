{#-
    Feature health of ml_feature_store_v2 for `nba-pipeline validate`
    (runner/validate/feature_health.py turns the rows into checks; the
    checks, vars and the heatmap are described in docs/validate.md).

    One scan of the feature store (placeholder rows of the bootstrap days
    left out) gives, for each of the 33 features of feature_store_features()
    and each month and season phase (regular season; playoffs with the
    play-in, from the schedule's season_type), and for each season: rows,
    NaN rows, defaulted rows (the value equals the feature's documented
    default and its feature_sources entry is a defaulted source), mean,
    standard deviation, p5 / p50 / p95 and a histogram over fixed bins.
    Each month is then compared with its baseline: the same month of the
    same phase in up to var('feature_health_baseline_months') earlier
    seasons (the history's first season left out), or, with none, the
    previous that many months of the same phase in its season that have
    rows: pooled NaN / default shares, mean and standard deviation, the
    mean's z-score and the PSI.

    With var start_date, months before the start month read back
    var('feature_health_lookback_days') days serve as baselines only.
-#}
{% macro validation_feature_health() %}

    {%- set features = feature_store_features() -%}
    {%- set bins = var('feature_health_psi_bins') | int -%}
    {%- set baseline_months = var('feature_health_baseline_months') | int -%}
    {%- set lookback = var('feature_health_lookback_days') | int -%}
    {%- set window = run_window() -%}
    {%- set first_month = window.start[:7] if window.start else none -%}
    {%- set defaulted = "('" ~ (defaulted_feature_sources() | join("', '")) ~ "')" -%}
    {%- set float64 = type_float64() -%}
    {%- set quantiles = [0.05, 0.5, 0.95] -%}
    {#- bin 0: below the range, 1..bins: equal widths over it, bins + 1: above it -#}
    {%- set counts = [] -%}
    {%- set current_counts = [] -%}
    {%- set baseline_counts = [] -%}
    {%- for b in range(bins + 2) -%}
        {%- do counts.append('bin_' ~ b) -%}
        {%- do current_counts.append('aggregated.bin_' ~ b) -%}
        {%- do baseline_counts.append('baselines.baseline_bin_' ~ b) -%}
    {%- endfor -%}

    with

    feature_definitions as (

        {%- for f in features %}
        {%- set bin_range = feature_health_bin_range(f) %}
        {%- set unit = feature_store_unit(f) %}
        select
            {{ f.index }} as feature_index,
            '{{ f.name }}' as feature_name,
            cast({{ 'null' if f.default is none else f.default }} as {{ float64 }}) as default_value,
            {{ "'" ~ unit ~ "'" if unit else 'cast(null as ' ~ dbt.type_string() ~ ')' }} as feature_unit,
            {{ 'false' if f.get('variance_check', true) == false else 'true' }} as is_drift_checked,
            cast({{ bin_range[0] }} as {{ float64 }}) as bin_low,
            cast({{ bin_range[1] }} as {{ float64 }}) as bin_high
        {% if not loop.last %}union all{% endif %}
        {%- endfor %}

    ),

    stg_nba_raw__nbac_schedule as (

        select
            standard_game_id,
            max(case when season_type in ('playoffs', 'play_in') then 1 else 0 end) as is_postseason
        from {{ ref('stg_nba_raw__nbac_schedule') }}
        where is_final
            and {{ in_run_window('game_date', lookback) }}
        group by standard_game_id

    ),

    ml_feature_store_v2 as (

        select
            game_id,
            game_date,
            season_year,
            features,
            feature_sources
        from {{ ref('ml_feature_store_v2') }}
        where {{ in_run_window('game_date', lookback) }}
            and not backfill_bootstrap_mode

    ),

    rows_in_buckets as (

        select
            ml_feature_store_v2.season_year,
            {{ validation_month('ml_feature_store_v2.game_date') }} as month,
            case
                when stg_nba_raw__nbac_schedule.is_postseason = 1 then 'playoffs'
                else 'regular_season'
            end as season_phase,
            {%- if first_month %}
            {{ validation_month('ml_feature_store_v2.game_date') }} < '{{ first_month }}' as is_baseline_only,
            {%- else %}
            false as is_baseline_only,
            {%- endif %}
            ml_feature_store_v2.features,
            ml_feature_store_v2.feature_sources
        from ml_feature_store_v2
        left join stg_nba_raw__nbac_schedule
            on ml_feature_store_v2.game_id = stg_nba_raw__nbac_schedule.standard_game_id
        {#- the start month holds only the range's rows; earlier months are baselines #}
        {%- if first_month %}
        where ml_feature_store_v2.game_date >= {{ date_literal(window.start) }}
            or {{ validation_month('ml_feature_store_v2.game_date') }} < '{{ first_month }}'
        {%- endif %}

    ),

    feature_values as (

        select
            rows_in_buckets.season_year,
            rows_in_buckets.month,
            rows_in_buckets.season_phase,
            rows_in_buckets.is_baseline_only,
            feature_definitions.feature_index,
            feature_definitions.default_value,
            feature_definitions.bin_low,
            feature_definitions.bin_high,
            {{ array_element('rows_in_buckets.features', 'feature_definitions.feature_index') }} as raw_value,
            {{ array_element('rows_in_buckets.feature_sources', 'feature_definitions.feature_index') }}
                as value_source
        from rows_in_buckets
        cross join feature_definitions

    ),

    valued as (

        select
            feature_values.*,
            case
                when raw_value is null or {{ is_nan('raw_value') }} then null else raw_value
            end as value
        from feature_values

    ),

    classified as (

        select
            season_year,
            month,
            season_phase,
            is_baseline_only,
            feature_index,
            value,
            case when value is null then 1 else 0 end as is_nan_value,
            case when value = default_value and value_source in {{ defaulted }} then 1 else 0 end
                as is_default_value,
            case
                {#- least() skips a NULL on DuckDB: a NaN must not reach it #}
                when value is null then null
                when value < bin_low then 0
                when value > bin_high then {{ bins + 1 }}
                else least(
                    cast(floor((value - bin_low) / (bin_high - bin_low) * {{ bins }}) as {{ dbt.type_int() }}) + 1,
                    {{ bins }})
            end as bin
        from valued

    ),

    {#- both levels in one aggregation (the rows are read once); a season row has no month -#}
    aggregated as (

        select
            case when month is null then 'season' else 'month' end as level,
            feature_index,
            season_year,
            month,
            season_phase,
            is_baseline_only,
            count(*) as value_rows,
            sum(is_nan_value) as nan_rows,
            sum(is_default_value) as default_rows,
            count(value) as valid_rows,
            sum(value) as value_sum,
            sum(value * value) as value_sum_squares,
            {{ distribution_quantiles('value', quantiles) }} as value_quantiles,
            {%- for count in counts %}
            sum(case when bin = {{ loop.index0 }} then 1 else 0 end) as {{ count }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        from classified
        group by grouping sets (
            (feature_index, season_year, month, season_phase, is_baseline_only),
            (feature_index, season_year, is_baseline_only)
        )

    ),

    month_buckets as (

        select
            aggregated.*,
            dense_rank() over (
                partition by feature_index, season_phase order by month
            ) as bucket_order
        from aggregated
        where level = 'month'

    ),

    {{ feature_health_baselines(counts, baseline_months) }}

    measured as (

        select
            aggregated.*,
            {%- for q in quantiles %}
            {{ quantile_at('aggregated.value_quantiles', quantiles, q) }} as value_p{{ (q * 100) | round | int }},
            {%- endfor %}
            {{ mean_from_sums('aggregated.valid_rows', 'aggregated.value_sum') }} as value_mean,
            {{ stddev_from_sums('aggregated.valid_rows', 'aggregated.value_sum',
                                'aggregated.value_sum_squares') }} as value_stddev,
            coalesce(baselines.baseline_months, 0) as baseline_months,
            baselines.baseline_month_list,
            baselines.baseline_rows,
            baselines.baseline_nan_rows,
            baselines.baseline_default_rows,
            baselines.baseline_valid_rows,
            {{ mean_from_sums('baselines.baseline_valid_rows', 'baselines.baseline_value_sum') }}
                as baseline_mean,
            {{ stddev_from_sums('baselines.baseline_valid_rows', 'baselines.baseline_value_sum',
                                'baselines.baseline_value_sum_squares') }} as baseline_stddev,
            {{ population_stability_index(current_counts, baseline_counts,
                                          'aggregated.valid_rows', 'baselines.baseline_valid_rows') }} as psi
        from aggregated
        left join baselines
            on aggregated.level = 'month'
            and baselines.feature_index = aggregated.feature_index
            and baselines.month = aggregated.month
            and baselines.season_phase = aggregated.season_phase
        where not aggregated.is_baseline_only

    ),

    final as (

        select
            measured.level,
            measured.feature_index,
            feature_definitions.feature_name,
            feature_definitions.feature_unit,
            feature_definitions.is_drift_checked,
            measured.season_year,
            measured.month,
            measured.season_phase,
            measured.value_rows,
            measured.nan_rows,
            measured.default_rows,
            measured.valid_rows,
            measured.value_mean,
            measured.value_stddev,
            measured.value_p5,
            measured.value_p50,
            measured.value_p95,
            measured.baseline_months,
            measured.baseline_month_list,
            measured.baseline_rows,
            measured.baseline_nan_rows,
            measured.baseline_default_rows,
            measured.baseline_valid_rows,
            measured.baseline_mean,
            measured.baseline_stddev,
            {{ mean_shift_zscore('measured.value_mean', 'measured.baseline_mean', 'measured.baseline_stddev') }}
                as mean_zscore,
            measured.psi
        from measured
        inner join feature_definitions
            on measured.feature_index = feature_definitions.feature_index

    )

    select * from final

{% endmacro %}
