{#-
    Per date, the model holds at least min_pct % of the rows expected from a
    reference relation (e.g. final schedule games × 2 for the team tables,
    gamebook players for the player tables). A date whose expected count is 0
    passes; a date with expected rows and no model rows fails. Honours the run
    window (vars start_date / end_date) on both sides. Returns the failing
    dates with rows_found, rows_expected, coverage_pct and min_pct.

    data_tests:
      - coverage_vs_expected:
          arguments:
            date_column: game_date
            expected_relation: ref('stg_nba_raw__nbac_schedule')
            expected_date_column: game_date
            expected_count: "2 * count(*)"
            expected_where: is_final
      - coverage_vs_expected:
          arguments: {..., min_pct: "{{ var('coverage_warn_pct') }}"}
          config: {severity: warn}

    column_name (when applied to a column) counts its distinct non-NULL values
    instead of rows. The SQL is the same on every engine, so there is no dispatch.
-#}
{% test coverage_vs_expected(
        model,
        date_column,
        expected_relation,
        expected_date_column,
        column_name=none,
        expected_count='count(*)',
        expected_where=none,
        where=none,
        min_pct=none) %}
    {%- set min_pct = var('coverage_gate_pct') if min_pct is none else min_pct -%}

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
            ) as coverage_pct,
            {{ min_pct }} as min_pct
        from expected_rows
        left join model_rows
            on expected_rows.test_date = model_rows.test_date

    ),

    validation_errors as (

        select *
        from compared
        where
            rows_expected > 0
            and 100.0 * rows_found < {{ min_pct }} * rows_expected

    )

    select * from validation_errors
{% endtest %}
