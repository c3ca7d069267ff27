{#-
    Helpers for the standard quality and source-tracking columns (domain.md §0),
    one place for every Phase 3/4 model.
-#}

{#-
    A completeness percentage (rows found / expected × 100) capped at 100 and
    rounded to 2 decimals; NULL stays NULL ("source not checked"). Written as
    a CASE because least() differs by engine: DuckDB ignores a NULL argument,
    BigQuery returns NULL.
-#}
{% macro capped_pct(pct_expr) -%}
    round(case when {{ pct_expr }} > 100 then 100.0 else {{ pct_expr }} end, 2)
{%- endmacro %}


{#-
    data_hash: the first 16 hex characters of a hash of the given columns'
    values, '|'-joined, NULL as '' (as production's analytics processors do).
-#}
{% macro row_data_hash(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- if not loop.first %}{% do parts.append("'|'") %}{% endif -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '')") -%}
    {%- endfor -%}
    substr({{ dbt.hash(dbt.concat(parts)) }}, 1, 16)
{%- endmacro %}
