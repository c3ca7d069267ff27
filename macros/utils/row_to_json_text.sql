{#-
    The whole row of a relation alias as JSON text, e.g. for the quarantine.
    usage: {{ row_to_json_text('source') }} in `select ... from source`
-#}
{% macro row_to_json_text(relation_alias) -%}
    {{ return(adapter.dispatch('row_to_json_text', 'nba_pipeline')(relation_alias)) }}
{%- endmacro %}

{% macro default__row_to_json_text(relation_alias) -%}
    cast(to_json({{ relation_alias }}) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro bigquery__row_to_json_text(relation_alias) -%}
    to_json_string({{ relation_alias }})
{%- endmacro %}
