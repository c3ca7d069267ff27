{#-
    The baselines of validation_feature_health (macros/validation/feature_health.sql):
    the CTEs history, earlier_seasons, preceding_months, baseline_choice and
    baselines, to place after its month_buckets CTE (they read it). counts
    are the histogram's bin columns (bin_0 .. bin_<bins + 1>), baseline_months
    var('feature_health_baseline_months'). Adds the CTE `baselines`: per
    feature, month and season phase, the chosen months pooled.
-#}
{% macro feature_health_baselines(counts, baseline_months) %}
    {#-
        The months a month is compared with. The same calendar month of the
        same phase in up to `baseline_months` earlier seasons: a season's
        first weeks default more every year (short windows, no opponent zone
        profile yet), and only the same weeks of other seasons show whether
        this year's are unusual. The history's first season is nobody's
        year-over-year baseline: its windows that reach a year back (the
        games against the opponent, the 365-day completeness) are cut short
        by the start of the history. With no such season, the previous
        `baseline_months` months of the same phase in the same season.
    -#}
    history as (

        select min(season_year) as first_season_year
        from {{ ref('ml_feature_store_v2') }}
        where not backfill_bootstrap_mode

    ),

    earlier_seasons as (

        select
            current_month.feature_index,
            current_month.month,
            current_month.season_phase,
            previous_month.bucket_order as baseline_bucket_order,
            dense_rank() over (
                partition by current_month.feature_index, current_month.month, current_month.season_phase
                order by previous_month.season_year desc
            ) as seasons_back
        from month_buckets as current_month
        inner join month_buckets as previous_month
            on previous_month.feature_index = current_month.feature_index
            and previous_month.season_phase = current_month.season_phase
            and previous_month.season_year < current_month.season_year
            and substr(previous_month.month, 6, 2) = substr(current_month.month, 6, 2)
        cross join history
        where not current_month.is_baseline_only
            and previous_month.season_year > history.first_season_year

    ),

    preceding_months as (

        select
            current_month.feature_index,
            current_month.month,
            current_month.season_phase,
            previous_month.bucket_order as baseline_bucket_order
        from month_buckets as current_month
        inner join month_buckets as previous_month
            on previous_month.feature_index = current_month.feature_index
            and previous_month.season_phase = current_month.season_phase
            and previous_month.season_year = current_month.season_year
            and previous_month.bucket_order < current_month.bucket_order
            and previous_month.bucket_order >= current_month.bucket_order - {{ baseline_months }}
        where not current_month.is_baseline_only

    ),

    baseline_choice as (

        select feature_index, month, season_phase, baseline_bucket_order
        from earlier_seasons
        where seasons_back <= {{ baseline_months }}
        union all
        select feature_index, month, season_phase, baseline_bucket_order
        from preceding_months
        where not exists (
            select 1
            from earlier_seasons
            where earlier_seasons.feature_index = preceding_months.feature_index
                and earlier_seasons.month = preceding_months.month
                and earlier_seasons.season_phase = preceding_months.season_phase
        )

    ),

    {#- the chosen months' counts and sums pooled -#}
    baselines as (

        select
            baseline_choice.feature_index,
            baseline_choice.month,
            baseline_choice.season_phase,
            count(*) as baseline_months,
            {{ dbt.listagg('previous_month.month', "', '", 'order by previous_month.month') }} as baseline_month_list,
            sum(previous_month.value_rows) as baseline_rows,
            sum(previous_month.nan_rows) as baseline_nan_rows,
            sum(previous_month.default_rows) as baseline_default_rows,
            sum(previous_month.valid_rows) as baseline_valid_rows,
            sum(previous_month.value_sum) as baseline_value_sum,
            sum(previous_month.value_sum_squares) as baseline_value_sum_squares,
            {%- for count in counts %}
            sum(previous_month.{{ count }}) as baseline_{{ count }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        from baseline_choice
        inner join month_buckets as previous_month
            on previous_month.feature_index = baseline_choice.feature_index
            and previous_month.season_phase = baseline_choice.season_phase
            and previous_month.bucket_order = baseline_choice.baseline_bucket_order
        group by 1, 2, 3

    ),
{% endmacro %}


{#-
    The [low, high] range a feature's histogram is binned over: its
    documented range (feature_store_features), else these, chosen for the
    features documented without one (a betting line, its move, a points
    average, a count of games) so that every feature gets a PSI.
-#}
{% macro feature_health_bin_range(feature) -%}
    {%- set fallback = {
        'vegas_opening_line': [0, 80],
        'vegas_line_move': [-10, 10],
        'avg_points_vs_opponent': [0, 70],
        'games_vs_opponent': [0, 12],
    } -%}
    {%- set range = feature.get('range') or fallback.get(feature.name) -%}
    {%- if not range or range[1] <= range[0] -%}
        {{ exceptions.raise_compiler_error(
            "feature_health_bin_range: feature " ~ feature.index ~ " (" ~ feature.name
            ~ ") has no usable range to bin over; give it one in feature_store_features() "
            ~ "or in feature_health_bin_range's fallback") }}
    {%- endif -%}
    {{- return(range) -}}
{%- endmacro %}
