{#-
    Per date of a model inside the run window: rows_checked and null_rows of one
    column (optionally under a row filter). The one definition of a NULL rate
    shared by the generic test null_rate_below and `nba-pipeline validate`
    (macros/validation/checks.sql). Returns a complete select to wrap in a CTE.
-#}
{% macro null_counts_per_date(model, column_name, date_column, where=none) %}

    select
        {{ date_column }} as test_date,
        count(*) as rows_checked,
        sum(case when {{ column_name }} is null then 1 else 0 end) as null_rows
    from {{ model }}
    where {{ in_run_window(date_column) }}
        {%- if where %} and ({{ where }}){% endif %}
    group by {{ date_column }}

{% endmacro %}
