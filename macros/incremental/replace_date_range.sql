{#-
    Incremental strategy `replace_date_range`: the run replaces exactly the rows
    whose date (config meta.date_column) lies in the run window, even dates for
    which this run produced no rows, then inserts the new rows; both statements
    run in the materialization's single transaction, so a crash leaves either
    the old rows or the new ones, never a half-replaced date. A model may list
    dates every run replaces as well (meta always_replaced_dates), and a staging
    base model replaces the raw rows' accounting window instead (meta
    replaced_window 'accounting': its dates, undated and future-dated rows).

    BigQuery (whose adapter accepts only merge / insert_overwrite / microbatch)
    gets insert_overwrite instead: see phase_incremental_config below.

    When the backfill runner audits the model (var wap_audit), the chunk's rows go to
    the model's audit twin instead, and the public table is left as it was
    (macros/incremental/write_audit_publish.sql).
-#}
{% macro get_incremental_replace_date_range_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set date_column = model.config.meta.get('date_column') -%}
    {%- if not date_column -%}
        {{ exceptions.raise_compiler_error(
            model.name ~ ": incremental_strategy replace_date_range needs meta.date_column") }}
    {%- endif -%}
    {%- set columns = arg_dict['dest_columns'] | map(attribute='quoted') | join(', ') -%}
    {%- if is_audited(target.identifier) -%}
        {#- the backfill runner's write-audit-publish: the chunk's rows go to the audit twin and
            the public table is untouched (macros/incremental/write_audit_publish.sql) -#}
        {{ return(write_audit_sql(target, 'select ' ~ columns ~ ' from ' ~ source)) }}
    {%- endif -%}
    {#- dates every run replaces besides its window (the accounting's sentinel dates) -#}
    {%- set always = model.config.meta.get('always_replaced_dates') or [] -%}
    {#- a staging base model replaces the raw rows' accounting window (staging_incremental_config) -#}
    {%- set window = in_accounting_window(date_column)
        if model.config.meta.get('replaced_window') == 'accounting' else in_run_window(date_column) %}
    delete from {{ target }}
    where {{ window }}
    {%- for day in always %}
        or {{ date_column }} = {{ date_literal(day) }}
    {%- endfor %};

    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ source }}
{%- endmacro %}


{#-
    config() arguments of every date-partitioned incremental model:
        {{ config(tags=['phase3'], **phase_incremental_config('game_date', ['player_lookup'])) }}

    DuckDB (and any other engine): strategy replace_date_range (above).
    BigQuery: partitioned by day on the date column, clustered, and
    insert_overwrite with a STATIC partition list, one per day of the
    start_date..end_date range: exactly those partitions are replaced (a day
    without new rows is emptied), it is cheaper than dynamic replacement, and
    the CI emulator cannot run dynamic replacement. The list is rendered when
    dbt parses, from the vars of that parse: a run with other vars must be
    parsed with them (dbt re-parses when vars change). Without both vars,
    dbt-bigquery falls back to dynamic replacement of the partitions the new
    rows touch.

    Benchmark only: var bench_strategy = 'microbatch' (set when dbt parses)
    switches every date model to dbt's microbatch strategy with daily batches
    from var bench_begin; run_window() then is the batch's day. Nothing but
    `python -m bench` sets it.
-#}
{% macro phase_incremental_config(date_column, cluster_by=none) -%}
    {%- set cfg = {
        'materialized': 'incremental',
        'incremental_strategy': 'replace_date_range',
        'on_schema_change': incremental_on_schema_change(),
        'meta': {'date_column': date_column},
    } -%}
    {%- if target.type == 'bigquery' -%}
        {%- do cfg.update({'incremental_strategy': 'insert_overwrite'}) -%}
        {%- set partitions = static_partitions() -%}
        {%- if partitions -%}
            {%- do cfg.update({'partitions': partitions}) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if var('bench_strategy', none) == 'microbatch' -%}
        {#- benchmark only (bench/, issue 8): dbt's own way, daily microbatches over
            event_time = the date column; every date model gets event_time, so dbt
            also filters the reads of a date model from another to the batch's day -#}
        {%- do cfg.update({
            'incremental_strategy': 'microbatch',
            'event_time': date_column,
            'batch_size': 'day',
            'begin': var('bench_begin', '2000-01-01'),
        }) -%}
    {%- endif -%}
    {%- do cfg.update(warehouse_layout(date_column, cluster_by)) -%}
    {{- return(cfg) -}}
{%- endmacro %}


{#- One BigQuery date literal per day of the start_date..end_date vars, or none. -#}
{% macro static_partitions() -%}
    {%- set start = _nba_iso_date_var('start_date') -%}
    {%- set end = _nba_iso_date_var('end_date') -%}
    {%- if not (start and end) -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set first = modules.datetime.date.fromisoformat(start) -%}
    {%- set days = (modules.datetime.date.fromisoformat(end) - first).days -%}
    {%- set partitions = [] -%}
    {%- for offset in range(days + 1) -%}
        {%- do partitions.append("date('" ~ (first + modules.datetime.timedelta(days=offset)).isoformat() ~ "')") -%}
    {%- endfor -%}
    {{- return(partitions) -}}
{%- endmacro %}


{#-
    on_schema_change of the incremental models: 'fail' (a changed column list stops the run), but
    'ignore' on the BigQuery emulator of CI, where dbt-bigquery's schema check builds a temporary
    table and then runs the merge and the drop as one two-statement script, which the emulator
    refuses ("Not supported by Crucible: SEMICOLON statement"). Without the check the merge reads
    the model's SQL directly: one statement.
-#}
{% macro incremental_on_schema_change() -%}
    {{ return('ignore' if target.type == 'bigquery' and target.name == 'emulator' else 'fail') }}
{%- endmacro %}
