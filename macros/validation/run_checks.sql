{#-
    The raw-row, ledger, threshold and source-freshness checks of
    `nba-pipeline validate` (runner/validate/plan.py). Each macro returns a
    complete select of small, aggregated rows and honours the run window
    (vars start_date / end_date).
-#}

{#- Raw rows quarantined per table, reason and date over the range, with the undated and future-dated ones (rows, an example key). -#}
{% macro validation_quarantine() %}

    select
        source_table,
        reason,
        game_date,
        count(*) as quarantined_rows,
        min(natural_key) as example_key
    from {{ ref('raw_quarantine') }}
    where {{ in_accounting_window('game_date') }}
    group by source_table, reason, game_date

{% endmacro %}


{#- The raw-row accounting per table over the range (raw = staged + excluded + quarantined + superseded). -#}
{% macro validation_row_accounting() %}

    select
        source_table,
        sum(raw_rows) as raw_rows,
        sum(staged_rows) as staged_rows,
        sum(excluded_rows) as excluded_rows,
        sum(quarantined_rows) as quarantined_rows,
        sum(superseded_rows) as superseded_rows,
        sum(unaccounted_rows) as unaccounted_rows,
        min(case when is_balanced then 1 else 0 end) = 1 as is_balanced
    from {{ ref('raw_row_accounting') }}
    where {{ in_run_window('accounting_date') }}
    group by source_table

{% endmacro %}


{#-
    Where the raw-row accounting is older than the raw rows (raw_accounting_freshness):
    per table and state other than current, the dates and the raw rows now vs counted.
-#}
{% macro validation_accounting_freshness() %}

    select
        source_table,
        accounting_state,
        count(*) as dates,
        min(accounting_date) as first_date,
        max(accounting_date) as last_date,
        sum(raw_rows_now) as raw_rows_now,
        sum(coalesce(accounted_raw_rows, 0)) as accounted_raw_rows
    from {{ ref('raw_accounting_freshness') }}
    where {{ in_run_window('accounting_date') }}
        and accounting_state <> 'current'
    group by source_table, accounting_state

{% endmacro %}


{#-
    The backfill ledger's failed and blocked (model, date) with reasons, and the succeeded ones
    built on an incomplete window (their reason starts with `incomplete`, the runner's note,
    runner/backfill/planner.py INCOMPLETE_WINDOW) under that status; ledger_relation is runner-managed.
-#}
{% macro validation_ledger(ledger_relation, incomplete) %}

    select
        model_name,
        ledger_date,
        case when status = 'succeeded' then '{{ incomplete }}' else status end as status,
        reason
    from {{ ledger_relation }}
    where (status in ('failed', 'blocked')
            or (status = 'succeeded' and reason like '{{ incomplete }}%'))
        and {{ in_run_window('ledger_date') }}

{% endmacro %}


{#-
    The thresholds validate uses (dbt vars, dbt_project.yml: readiness,
    feature null rate, feature health), as one row, so the runner reads the
    values dbt would use (--vars included).
-#}
{% macro validation_thresholds() %}

    select
        {{ var('coverage_gate_pct') }} as coverage_gate_pct,
        {{ var('coverage_warn_pct') }} as coverage_warn_pct,
        {{ var('upcg_fallback_pct') }} as upcg_fallback_pct,
        {{ var('readiness_phase3_coverage_pct') }} as phase3_coverage_pct,
        {{ var('readiness_phase3_coverage_min_pct') }} as phase3_coverage_min_pct,
        {{ var('readiness_phase3_null_pct') }} as phase3_null_pct,
        {{ var('readiness_phase3_null_max_pct') }} as phase3_null_max_pct,
        {{ var('readiness_phase4_coverage_pct') }} as phase4_coverage_pct,
        {{ var('readiness_training_ready_pct') }} as training_ready_pct,
        {{ var('readiness_data_gap_pct') }} as data_gap_pct,
        {{ var('validation_feature_null_pct') }} as feature_null_pct,
        {%- for name in ['baseline_months', 'min_baseline_months', 'min_rows', 'zscore_info', 'zscore_warn',
                         'psi_info', 'psi_warn', 'share_jump_info_pct', 'share_jump_warn_pct'] %}
        {{ var('feature_health_' ~ name) }} as feature_health_{{ name }}{% if not loop.last %},{% endif %}
        {%- endfor %}

{% endmacro %}


{#-
    Source freshness the way `dbt source freshness` computes it, as one select:
    per raw source table with a freshness config (the sources' yml, the one
    place of the thresholds), its newest loaded_at_field and the warehouse's
    current timestamp, with the warn / error thresholds; the runner turns the
    age into dbt's pass / warn / error (runner/validate/freshness.py). One query
    instead of a dbt invocation, so a validate whose compiled SQL is cached needs
    no dbt at all.
-#}
{% macro validation_source_freshness() %}

    {%- set selects = [] -%}
    {%- if execute -%}
        {%- for src in graph.sources.values() | sort(attribute='unique_id') -%}
            {%- set fresh = src.freshness or {} -%}
            {%- set warn_after = fresh.warn_after or {} -%}
            {%- set error_after = fresh.error_after or {} -%}
            {%- if src.loaded_at_field and (warn_after.count or error_after.count) -%}
                {%- do selects.append(
                    "select '" ~ src.source_name ~ "' as source_name, '" ~ src.name ~ "' as table_name, "
                    ~ "max(" ~ src.loaded_at_field ~ ") as max_loaded_at, "
                    ~ current_timestamp() ~ " as snapshotted_at, "
                    ~ (warn_after.count if warn_after.count else 'null') ~ " as warn_count, "
                    ~ ("'" ~ warn_after.period ~ "'" if warn_after.period else 'null') ~ " as warn_period, "
                    ~ (error_after.count if error_after.count else 'null') ~ " as error_count, "
                    ~ ("'" ~ error_after.period ~ "'" if error_after.period else 'null') ~ " as error_period "
                    ~ "from " ~ source(src.source_name, src.name)
                    ~ (" where " ~ fresh.filter if fresh.filter else "")
                ) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if selects -%}
        {{ selects | join('\nunion all\n') }}
    {%- else -%}
        select
            cast(null as {{ dbt.type_string() }}) as source_name,
            cast(null as {{ dbt.type_string() }}) as table_name,
            cast(null as {{ dbt.type_timestamp() }}) as max_loaded_at,
            {{ current_timestamp() }} as snapshotted_at,
            cast(null as {{ dbt.type_int() }}) as warn_count,
            cast(null as {{ dbt.type_string() }}) as warn_period,
            cast(null as {{ dbt.type_int() }}) as error_count,
            cast(null as {{ dbt.type_string() }}) as error_period
        where 1 = 0
    {%- endif %}

{% endmacro %}
