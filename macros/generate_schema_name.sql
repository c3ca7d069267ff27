{#-
    Schemas are the production dataset names on every engine (nba_raw,
    nba_analytics, nba_precompute, nba_predictions, nba_orchestration): a custom
    schema is used as is, without dbt's default "<target schema>_" prefix.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
