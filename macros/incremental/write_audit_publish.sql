{#-
    Write–audit–publish of the backfill runner (docs/decisions.md "Write–audit–publish").

    When the runner builds a chunk of a date model it passes var wap_audit = the model's
    name. The model then writes the chunk's rows to its AUDIT twin (same name, schema
    var('wap_audit_schema')) instead of its public table; the model's tests read the audit
    twin (get_where_subquery below, and audited() in the singular tests); the runner publishes
    only the dates whose gates passed, from the audit twin into the public table, in one
    transaction (runner/backfill/store.py publish). A failed date's public rows stay exactly as
    they were. Without the var (`nba-pipeline build`, plain dbt) a model writes its public table
    as any dbt incremental model does.

    DuckDB: the strategy replace_date_range writes the audit twin (below). BigQuery: the
    insert_overwrite build of dbt-bigquery is overridden here to do the same.
-#}

{#- True when this invocation audits `name` (the model the runner is building). -#}
{% macro is_audited(name) -%}
    {{ return(var('wap_audit', none) is not none and var('wap_audit') == name) }}
{%- endmacro %}


{#- The audit twin of a relation: the same identifier in schema var('wap_audit_schema'). -#}
{% macro audit_relation(relation) -%}
    {{ return(relation.incorporate(path={'schema': var('wap_audit_schema')})) }}
{%- endmacro %}


{#-
    A relation as the tests of this invocation must read it: its audit twin when the runner is
    auditing that model, else itself. Singular tests wrap their refs to date models in it:
        from {{ audited(ref('player_game_summary')) }}
-#}
{% macro audited(relation) -%}
    {%- if relation is not none and relation.identifier is defined
            and nba_pipeline.is_audited(relation.identifier) -%}
        {{ return(nba_pipeline.audit_relation(relation)) }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}


{#-
    dbt's get_where_subquery (how every generic test reads its model), overridden through the
    project's dispatch config (dbt_project.yml): the audited relation, then dbt's own `where`.
-#}
{% macro default__get_where_subquery(relation) -%}
    {%- set relation = nba_pipeline.audited(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {{ return(filtered) }}
    {%- else -%}
        {{ return(relation) }}
    {%- endif -%}
{%- endmacro %}


{#- The chunk's rows into the audit twin of `target` (created or replaced), as one statement. -#}
{% macro write_audit_sql(target, select_sql) -%}
    {%- set audit = nba_pipeline.audit_relation(target) -%}
    {%- do adapter.create_schema(audit) -%}
    create or replace table {{ audit }} as (
        {{ select_sql }}
    )
{%- endmacro %}


{#-
    dbt-bigquery's insert_overwrite build, audited: when the runner audits this model, the
    chunk's rows go to the audit twin; otherwise dbt-bigquery's own build (static partitions).
-#}
{% macro bq_generate_incremental_insert_overwrite_build_sql(
    tmp_relation, target_relation, sql, unique_key, partition_by, partitions, dest_columns,
    tmp_relation_exists, copy_partitions
) -%}
    {%- if nba_pipeline.is_audited(target_relation.identifier) -%}
        {{ return(nba_pipeline.write_audit_sql(
            target_relation, 'select * from ' ~ tmp_relation if tmp_relation_exists else sql)) }}
    {%- endif -%}
    {{ return(dbt.bq_generate_incremental_insert_overwrite_build_sql(
        tmp_relation, target_relation, sql, unique_key, partition_by, partitions, dest_columns,
        tmp_relation_exists, copy_partitions)) }}
{%- endmacro %}
