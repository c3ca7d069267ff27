{#-
    The FLOAT64 family on every engine. dbt.type_float() gives a 4-byte REAL
    on DuckDB, so staging casts floats through this macro instead.
-#}
{% macro type_float64() -%}
    {{ return(adapter.dispatch('type_float64', 'nba_pipeline')()) }}
{%- endmacro %}

{% macro default__type_float64() -%}
    double
{%- endmacro %}

{% macro bigquery__type_float64() -%}
    float64
{%- endmacro %}


{#-
    A cast that yields NULL instead of an error when the value does not
    convert (DuckDB try_cast, BigQuery safe_cast). dbt.safe_cast() falls back
    to a plain cast on DuckDB, hence this one.
-#}
{% macro try_cast_to(expr, type) -%}
    {{ return(adapter.dispatch('try_cast_to', 'nba_pipeline')(expr, type)) }}
{%- endmacro %}

{% macro default__try_cast_to(expr, type) -%}
    try_cast({{ expr }} as {{ type }})
{%- endmacro %}

{% macro bigquery__try_cast_to(expr, type) -%}
    safe_cast({{ expr }} as {{ type }})
{%- endmacro %}


{#-
    The hour (0-23) of a TIMESTAMP's wall clock, as stored (UTC on BigQuery).
    BigQuery extracts through DATETIME: the same value as EXTRACT(HOUR FROM ts),
    which the BigQuery emulator refuses on a TIMESTAMP.
-#}
{% macro hour_of_timestamp(expr) -%}
    {{ return(adapter.dispatch('hour_of_timestamp', 'nba_pipeline')(expr)) }}
{%- endmacro %}

{% macro default__hour_of_timestamp(expr) -%}
    extract(hour from {{ expr }})
{%- endmacro %}

{% macro bigquery__hour_of_timestamp(expr) -%}
    extract(hour from datetime({{ expr }}))
{%- endmacro %}
