{#-
    A JSON object as STRING text with a fixed key order and fixed number
    formatting, the same text on DuckDB and BigQuery (the PCF context
    columns). `fields`: a list of [key, sql_expression, kind] where kind is
    'int', 'float:<decimals>', 'string' or 'bool'. NULL values render as
    null. Strings are not escaped: pass only identifiers / known labels.
-#}
{% macro json_object_text(fields) -%}
    {%- set parts = ["'{'"] -%}
    {%- for key, expr, kind in fields -%}
        {%- set prefix = ('' if loop.first else ', ') ~ '"' ~ key ~ '": ' -%}
        {%- do parts.append("'" ~ prefix ~ "'") -%}
        {%- if kind == 'string' -%}
            {%- set value = "case when " ~ expr ~ " is null then 'null' else " ~ dbt.concat(["'\"'", expr, "'\"'"]) ~ " end" -%}
        {%- elif kind == 'bool' -%}
            {%- set value = "case when " ~ expr ~ " is null then 'null' when " ~ expr ~ " then 'true' else 'false' end" -%}
        {%- elif kind == 'int' -%}
            {%- set value = "coalesce(cast(cast(" ~ expr ~ " as " ~ dbt.type_bigint() ~ ") as " ~ dbt.type_string() ~ "), 'null')" -%}
        {%- elif kind.startswith('float:') -%}
            {%- set value = "coalesce(" ~ fixed_decimal_text(expr, kind.split(':')[1] | int) ~ ", 'null')" -%}
        {%- else -%}
            {{ exceptions.raise_compiler_error("json_object_text: unknown kind " ~ kind) }}
        {%- endif -%}
        {%- do parts.append(value) -%}
    {%- endfor -%}
    {%- do parts.append("'}'") -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}


{#- A number as text with exactly `decimals` decimals ('-1.5', '0.0'). -#}
{% macro fixed_decimal_text(expr, decimals) -%}
    {{ return(adapter.dispatch('fixed_decimal_text', 'nba_pipeline')(expr, decimals)) }}
{%- endmacro %}

{% macro default__fixed_decimal_text(expr, decimals) -%}
    printf('%.{{ decimals }}f', cast({{ expr }} as {{ type_float64() }}))
{%- endmacro %}

{% macro bigquery__fixed_decimal_text(expr, decimals) -%}
    format('%.{{ decimals }}f', cast({{ expr }} as {{ type_float64() }}))
{%- endmacro %}
