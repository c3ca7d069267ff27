{#-
    The SQL of `nba-pipeline validate` (runner/validate/plan.py): every
    macro returns a complete select of small, aggregated rows, honours the run
    window (vars start_date / end_date) and is the same on every engine except
    validation_month (dispatched). The runner compiles all of them in one
    inline compile and runs each through runner.warehouse.
-#}


{#- "YYYY-MM" of a date. -#}
{% macro validation_month(date_expr) -%}
    {{ return(adapter.dispatch('validation_month')(date_expr)) }}
{%- endmacro %}

{% macro default__validation_month(date_expr) -%}
    strftime({{ date_expr }}, '%Y-%m')
{%- endmacro %}

{% macro bigquery__validation_month(date_expr) -%}
    format_date('%Y-%m', {{ date_expr }})
{%- endmacro %}


{#-
    Coverage of one table per date, kept to the dates that expect rows:
    per_date_sql is a coverage_comparison(...) select (the model's own
    coverage_vs_expected test, macros/gates/coverage_comparison.sql), so
    validate, the dbt test and the backfill ledger share one definition of
    expected rows. Adds season and month; the runner compares each date with
    the gate of every test that shares this comparison (a gate test and its
    95 % warn twin run once).
-#}
{% macro validation_coverage(table_name, per_date_sql) %}

    with

    per_date as (

        {{ per_date_sql }}

    ),

    final as (

        select
            '{{ table_name }}' as table_name,
            test_date,
            {{ season_year_from_date('test_date') }} as season_year,
            {{ validation_month('test_date') }} as month,
            rows_found,
            rows_expected,
            coverage_pct
        from per_date
        where rows_expected > 0

    )

    select * from final

{% endmacro %}


{#-
    The final-game dates of the schedule (inside the run window) each table
    should have rows on: (table_name, game_date, season_year, final_games).
    Each entry of `tables` is {'name', 'relation', 'date_column',
    'skip_bootstrap'}; skip_bootstrap leaves out the season bootstrap days
    (int_season_calendar) for the models that write nothing on them. The
    schedule is read once. The same rule as the generic test
    no_missing_game_dates. A complete select, for validation_gaps and
    validation_date_coverage.
-#}
{% macro validation_expected_dates(tables) %}

    with

    stg_nba_raw__nbac_schedule as (

        select
            game_date,
            season_year,
            count(*) as final_games
        from {{ ref('stg_nba_raw__nbac_schedule') }}
        where is_final
            and {{ in_run_window('game_date') }}
        group by game_date, season_year

    ),

    int_season_calendar as (

        select
            season_year,
            first_post_bootstrap_date
        from {{ ref('int_season_calendar') }}

    ),

    game_dates as (

        select
            stg_nba_raw__nbac_schedule.game_date,
            stg_nba_raw__nbac_schedule.season_year,
            stg_nba_raw__nbac_schedule.final_games,
            coalesce(
                stg_nba_raw__nbac_schedule.game_date < int_season_calendar.first_post_bootstrap_date,
                false
            ) as is_bootstrap
        from stg_nba_raw__nbac_schedule
        left join int_season_calendar
            on stg_nba_raw__nbac_schedule.season_year = int_season_calendar.season_year

    ),

    final as (

        {%- for table in tables %}
        select
            '{{ table.name }}' as table_name,
            game_date,
            season_year,
            final_games
        from game_dates
        {%- if table.skip_bootstrap %}
        where not is_bootstrap
        {%- endif %}
        {% if not loop.last %}union all{% endif %}
        {%- endfor %}

    )

    select * from final

{% endmacro %}


{#- Rows per date of each table inside the run window: (table_name, model_date, rows_found). -#}
{% macro validation_rows_per_date(tables) %}

    {%- for table in tables %}
    select
        '{{ table.name }}' as table_name,
        {{ table.date_column }} as model_date,
        count(*) as rows_found
    from {{ table.relation }}
    where {{ in_run_window(table.date_column) }}
    group by {{ table.date_column }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

{% endmacro %}


{#-
    Schedule-aware gaps of several tables at once: the dates of
    validation_expected_dates(tables) with no row in the table.
-#}
{% macro validation_gaps(tables) %}

    with

    expected as (

        {{ validation_expected_dates(tables) }}

    ),

    model_dates as (

        {{ validation_rows_per_date(tables) }}

    ),

    final as (

        select
            expected.table_name,
            expected.game_date as missing_date,
            {{ validation_month('expected.game_date') }} as month,
            expected.final_games
        from expected
        left join model_dates
            on expected.table_name = model_dates.table_name
            and expected.game_date = model_dates.model_date
        where model_dates.model_date is null

    )

    select * from final

{% endmacro %}


{#-
    Per table, season and month: the dates of validation_expected_dates
    (the dates the gaps section expects), how many of them have rows, and
    the rows on them. For the coverage heatmap of the date models that have
    no coverage_vs_expected test (no expected row count): the Phase 4 tables
    dated by analysis_date or cache_date.
-#}
{% macro validation_date_coverage(tables) %}

    with

    expected as (

        {{ validation_expected_dates(tables) }}

    ),

    model_rows as (

        {{ validation_rows_per_date(tables) }}

    ),

    final as (

        select
            expected.table_name,
            expected.season_year,
            {{ validation_month('expected.game_date') }} as month,
            count(*) as expected_dates,
            count(model_rows.model_date) as dates_with_rows,
            coalesce(sum(model_rows.rows_found), 0) as rows_found
        from expected
        left join model_rows
            on expected.table_name = model_rows.table_name
            and expected.game_date = model_rows.model_date
        group by 1, 2, 3

    )

    select * from final

{% endmacro %}


{#-
    NULL counts of one column per date among the rows matching `where` (the
    declared null_rate_below tests of the models' ymls say which columns,
    where and threshold). The runner sums them per month and over the range.
-#}
{% macro validation_null_counts(table_name, relation, column_name, date_column, where=none) %}

    select
        '{{ table_name }}' as table_name,
        '{{ column_name }}' as column_name,
        test_date,
        {{ validation_month('test_date') }} as month,
        rows_checked,
        null_rows
    from (
        {{ null_counts_per_date(relation, column_name, date_column, where) }}
    ) as per_date

{% endmacro %}


{#-
    Key values held by more than one row (the model's primary key, from its
    unique_combination_of_columns test), at most `limit_rows` of them.
-#}
{% macro validation_duplicates(table_name, relation, key_columns, date_column, limit_rows=50) %}

    with

    grouped as (

        select
            {{ date_column }} as test_date,
            {%- for column in key_columns %}
            cast({{ column }} as {{ dbt.type_string() }}) as key_{{ loop.index }},
            {%- endfor %}
            count(*) as copies
        from {{ relation }}
        where {{ in_run_window(date_column) }}
        group by {% for column in key_columns %}{{ column }}{% if not loop.last %}, {% endif %}{% endfor %}
            {%- if date_column not in key_columns %}, {{ date_column }}{% endif %}
        having count(*) > 1

    ),

    final as (

        select
            '{{ table_name }}' as table_name,
            test_date,
            {%- for column in key_columns %}
            {%- if not loop.first %} || '|' || {% endif %} coalesce(key_{{ loop.index }}, 'NULL')
            {%- endfor %} as key_value,
            copies
        from grouped

    )

    select * from final
    order by test_date, key_value
    limit {{ limit_rows }}

{% endmacro %}


{#-
    The first `limit_rows` rows a check macro returns (ordered by its first two
    columns), each with failing_rows: how many rows it returns in all.
-#}
{% macro validation_first_rows(select_sql, limit_rows=5) %}
    select
        checked.*,
        count(*) over () as failing_rows
    from ({{ select_sql }}) as checked
    order by 1, 2
    limit {{ limit_rows }}
{% endmacro %}


{#-
    Games per season and month at each layer (the seeds' "L4 coverage vs L1"):
    final schedule games, those after the season's bootstrap days (Phase 4
    writes nothing before), and distinct games of player_game_summary, of the
    Phase 4 player_composite_factors and of the feature store.
-#}
{% macro validation_layer_games() %}

    with

    stg_nba_raw__nbac_schedule as (

        select
            game_date,
            game_id,
            season_year
        from {{ ref('stg_nba_raw__nbac_schedule') }}
        where is_final
            and {{ in_run_window('game_date') }}

    ),

    int_season_calendar as (

        select
            season_year,
            first_post_bootstrap_date
        from {{ ref('int_season_calendar') }}

    ),

    player_game_summary as (

        select game_date, game_id
        from {{ ref('player_game_summary') }}
        where {{ in_run_window('game_date') }}

    ),

    player_composite_factors as (

        select game_date, game_id
        from {{ ref('player_composite_factors') }}
        where {{ in_run_window('game_date') }}

    ),

    ml_feature_store_v2 as (

        select game_date, game_id
        from {{ ref('ml_feature_store_v2') }}
        where {{ in_run_window('game_date') }}
            and not backfill_bootstrap_mode

    ),

    schedule_games as (

        select
            {{ validation_month('stg_nba_raw__nbac_schedule.game_date') }} as month,
            stg_nba_raw__nbac_schedule.season_year,
            count(distinct stg_nba_raw__nbac_schedule.game_id) as raw_games,
            count(distinct case
                when int_season_calendar.first_post_bootstrap_date is null
                    or stg_nba_raw__nbac_schedule.game_date
                        >= int_season_calendar.first_post_bootstrap_date
                then stg_nba_raw__nbac_schedule.game_id
            end) as raw_games_after_bootstrap
        from stg_nba_raw__nbac_schedule
        left join int_season_calendar
            on stg_nba_raw__nbac_schedule.season_year = int_season_calendar.season_year
        group by 1, 2

    ),

    phase3_games as (

        select
            {{ validation_month('game_date') }} as month,
            count(distinct game_id) as phase3_games
        from player_game_summary
        group by 1

    ),

    phase4_games as (

        select
            {{ validation_month('game_date') }} as month,
            count(distinct game_id) as phase4_games
        from player_composite_factors
        group by 1

    ),

    feature_games as (

        select
            {{ validation_month('game_date') }} as month,
            count(distinct game_id) as feature_games
        from ml_feature_store_v2
        group by 1

    ),

    final as (

        select
            schedule_games.season_year,
            schedule_games.month,
            schedule_games.raw_games,
            schedule_games.raw_games_after_bootstrap,
            coalesce(phase3_games.phase3_games, 0) as phase3_games,
            coalesce(phase4_games.phase4_games, 0) as phase4_games,
            coalesce(feature_games.feature_games, 0) as feature_games
        from schedule_games
        left join phase3_games
            on schedule_games.month = phase3_games.month
        left join phase4_games
            on schedule_games.month = phase4_games.month
        left join feature_games
            on schedule_games.month = feature_games.month

    )

    select * from final

{% endmacro %}


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
