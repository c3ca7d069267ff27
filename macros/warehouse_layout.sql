{#-
    Physical layout of a date-partitioned table, as config() keyword arguments.
    On BigQuery: partition by the date column (daily) and cluster; elsewhere
    nothing (dbt-duckdb rejects a dict partition_by). The one place that knows.

    usage: {{ config(materialized='incremental',
                     **warehouse_layout('game_date', ['player_lookup', 'team_abbr'])) }}
-#}
{% macro warehouse_layout(date_column, cluster_by=none) -%}
    {%- if target.type == 'bigquery' -%}
        {%- set layout = {
            'partition_by': {'field': date_column, 'data_type': 'date', 'granularity': 'day'},
        } -%}
        {%- if cluster_by -%}
            {%- do layout.update({'cluster_by': cluster_by}) -%}
        {%- endif -%}
        {{- return(layout) -}}
    {%- else -%}
        {{- return({}) -}}
    {%- endif -%}
{%- endmacro %}
