{#-
    Per date of a reference relation: rows the model holds (rows_found), rows
    expected (rows_expected) and coverage_pct. The one definition of "expected
    rows" shared by the generic test coverage_vs_expected (which keeps the dates
    below its min_pct) and the backfill runner's ledger (rows / expected /
    coverage per model and date, runner/project.py; and validate). Honours the run
    window (vars start_date / end_date) on both sides. Returns a complete
    select to wrap in a CTE.
-#}
{% macro coverage_comparison(
        model,
        date_column,
        expected_relation,
        expected_date_column,
        column_name=none,
        expected_count='count(*)',
        expected_where=none,
        where=none) %}

    with

    model_rows as (

        select
            {{ date_column }} as test_date,
            {% if column_name -%}
            count(distinct {{ column_name }}) as rows_found
            {%- else -%}
            count(*) as rows_found
            {%- endif %}
        from {{ model }}
        where {{ in_run_window(date_column) }}
            {%- if where %} and ({{ where }}){% endif %}
        group by {{ date_column }}

    ),

    expected_rows as (

        select
            {{ expected_date_column }} as test_date,
            {{ expected_count }} as rows_expected
        from {{ expected_relation }}
        where {{ in_run_window(expected_date_column) }}
            {%- if expected_where %} and ({{ expected_where }}){% endif %}
        group by {{ expected_date_column }}

    ),

    compared as (

        select
            expected_rows.test_date,
            coalesce(model_rows.rows_found, 0) as rows_found,
            expected_rows.rows_expected,
            round(
                100.0 * coalesce(model_rows.rows_found, 0)
                / nullif(expected_rows.rows_expected, 0),
                2
            ) as coverage_pct
        from expected_rows
        left join model_rows
            on expected_rows.test_date = model_rows.test_date

    )

    select * from compared
{% endmacro %}
