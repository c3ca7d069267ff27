{#-
    The feature-store checks per date of `nba-pipeline validate`
    (runner/validate/plan.py): health and NULL counts of ml_feature_store_v2.
    Each macro returns a complete select of small, aggregated rows and honours
    the run window (vars start_date / end_date).
-#}

{#-
    Feature store health per date: rows, historical_completeness states
    (complete, bootstrap, data gap = neither), quality tiers, rows with
    required defaults, rows built from the player_game_summary fallback
    universe, training-ready rows.
-#}
{% macro validation_feature_store_health() %}

    with

    ml_feature_store_v2 as (

        select
            game_date,
            quality_tier,
            required_default_count,
            context_source,
            is_training_ready,
            backfill_bootstrap_mode,
            {{ struct_field('historical_completeness', 'is_complete') }} as is_complete,
            {{ struct_field('historical_completeness', 'is_bootstrap') }} as is_bootstrap
        from {{ ref('ml_feature_store_v2') }}
        where {{ in_run_window('game_date') }}

    ),

    final as (

        select
            game_date,
            {{ validation_month('game_date') }} as month,
            count(*) as total_rows,
            sum(case when backfill_bootstrap_mode then 1 else 0 end) as placeholder_rows,
            sum(case when is_complete then 1 else 0 end) as complete_rows,
            sum(case when is_bootstrap then 1 else 0 end) as bootstrap_rows,
            sum(case when not is_complete and not is_bootstrap then 1 else 0 end) as data_gap_rows,
            {%- for tier in ['gold', 'silver', 'bronze', 'poor', 'critical'] %}
            sum(case when quality_tier = '{{ tier }}' then 1 else 0 end) as {{ tier }}_rows,
            {%- endfor %}
            sum(case when required_default_count > 0 then 1 else 0 end) as required_default_rows,
            sum(case when context_source = 'player_game_summary' then 1 else 0 end) as fallback_rows,
            sum(case when is_training_ready then 1 else 0 end) as training_ready_rows
        from ml_feature_store_v2
        group by game_date

    )

    select * from final

{% endmacro %}


{#-
    NULL counts per month of every feature column of ml_training_set (a NaN
    in the features array is NULL there), one row per feature and month.
-#}
{% macro validation_feature_null_counts() %}

    with

    ml_training_set as (

        select * from {{ ref('ml_training_set') }}
        where {{ in_run_window('game_date') }}

    ),

    {%- set features = feature_store_features() %}

    {#- one scan of the view (it unpacks the features array), then one row per feature -#}
    per_month as (

        select
            {{ validation_month('game_date') }} as month,
            count(*) as rows_checked
            {%- for feature in features %},
            sum(case when {{ feature.name }} is null then 1 else 0 end) as null_{{ loop.index0 }}
            {%- endfor %}
        from ml_training_set
        group by 1

    ),

    final as (

        {%- for feature in features %}
        select
            '{{ feature.name }}' as column_name,
            month,
            rows_checked,
            null_{{ loop.index0 }} as null_rows
        from per_month
        {% if not loop.last %}union all{% endif %}
        {%- endfor %}

    )

    select * from final

{% endmacro %}
