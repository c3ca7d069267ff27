{#-
    Per date of a model inside the run window: rows_checked and null_rows of one
    column among the rows matching a row filter. Every date on which the model
    has rows is listed, also one where no row matches the filter (rows_checked
    = 0), so that a gate judges every date of its chunk. The one definition of
    a NULL rate shared by the generic test null_rate_below and `nba-pipeline
    validate` (macros/validation/table_checks.sql). Returns a complete select to wrap
    in a CTE.
-#}
{% macro null_counts_per_date(model, column_name, date_column, where=none) %}

    {%- set matches = '(' ~ where ~ ')' if where else 'true' %}
    select
        {{ date_column }} as test_date,
        sum(case when {{ matches }} then 1 else 0 end) as rows_checked,
        sum(case when {{ matches }} and {{ column_name }} is null then 1 else 0 end) as null_rows
    from {{ model }}
    where {{ in_run_window(date_column) }}
    group by {{ date_column }}

{% endmacro %}
