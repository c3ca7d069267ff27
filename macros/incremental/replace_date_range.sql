{#-
    Incremental strategy `replace_date_range`: the run replaces exactly the rows
    whose date (config meta.date_column) lies in the run window, even dates for
    which this run produced no rows, then inserts the new rows; both statements
    run in the materialization's single transaction, so a crash leaves either
    the old rows or the new ones, never a half-replaced date.

    BigQuery will use insert_overwrite with a static partition list built from
    the same window (see warehouse_layout / phase_incremental_config).
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
    delete from {{ target }}
    where {{ in_run_window(date_column) }};

    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ source }}
{%- endmacro %}


{#-
    config() arguments of every date-partitioned incremental model:
        {{ config(**phase_incremental_config('game_date', ['player_lookup', 'team_abbr'])) }}
-#}
{% macro phase_incremental_config(date_column, cluster_by=none) -%}
    {%- set cfg = {
        'materialized': 'incremental',
        'incremental_strategy': 'replace_date_range',
        'on_schema_change': 'fail',
        'meta': {'date_column': date_column},
    } -%}
    {%- do cfg.update(warehouse_layout(date_column, cluster_by)) -%}
    {{- return(cfg) -}}
{%- endmacro %}
