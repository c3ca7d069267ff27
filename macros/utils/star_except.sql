{#-
    `select *` minus some columns: DuckDB `* exclude (...)`, BigQuery `* except (...)`.
-#}
{% macro star_except(columns) -%}
    {{ return(adapter.dispatch('star_except', 'nba_pipeline')(columns)) }}
{%- endmacro %}

{% macro default__star_except(columns) -%}
    * exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro bigquery__star_except(columns) -%}
    * except ({{ columns | join(', ') }})
{%- endmacro %}
