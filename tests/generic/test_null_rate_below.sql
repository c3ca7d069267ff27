{#-
    Per date, the share of NULLs of a column among the rows matching `where`
    stays at or below max_null_pct (a percentage, 0-100). Every date on which
    the model has rows is judged: a date where no row matches `where` fails
    too (rows_checked = 0: the column cannot be judged, e.g. no active player
    on a game date). Honours the run window (vars start_date / end_date).
    Returns the failing dates with rows_checked, null_rows, null_pct and
    max_null_pct.

    columns:
      - name: possessions
        data_tests:
          - null_rate_below:
              arguments:
                date_column: game_date
                max_null_pct: 10
                where: "primary_source_used != 'none'"

    The SQL is the same on every engine, so there is no dispatch.
-#}
{% test null_rate_below(model, column_name, date_column, max_null_pct, where=none) %}

    with

    per_date as (

        {{ null_counts_per_date(model, column_name, date_column, where) }}

    ),

    rated as (

        select
            test_date,
            '{{ column_name }}' as column_checked,
            rows_checked,
            null_rows,
            round(100.0 * null_rows / nullif(rows_checked, 0), 2) as null_pct,
            {{ max_null_pct }} as max_null_pct
        from per_date

    ),

    validation_errors as (

        select *
        from rated
        where rows_checked = 0
            or 100.0 * null_rows > {{ max_null_pct }} * rows_checked

    )

    select * from validation_errors
{% endtest %}
