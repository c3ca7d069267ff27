{#-
    `name as <materialized_cte()> (` computes a CTE once, as its own step:
    DuckDB's join-order optimizer otherwise merges an as-of lookup (the last
    game before D) with the join that reads from it, and loses its bound (a
    range join on game numbers without the player key). BigQuery plans CTEs
    itself: nothing.
-#}
{% macro materialized_cte() -%}
    {{ return(adapter.dispatch('materialized_cte', 'nba_pipeline')()) }}
{%- endmacro %}

{% macro default__materialized_cte() -%}
    materialized
{%- endmacro %}

{% macro bigquery__materialized_cte() -%}
{%- endmacro %}
