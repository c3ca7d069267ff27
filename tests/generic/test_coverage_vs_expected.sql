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
    The comparison itself is macros/gates/coverage_comparison.sql (the backfill
    runner's ledger reads the same numbers from it).
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

    compared as (

        {{ coverage_comparison(
            model, date_column, expected_relation, expected_date_column,
            column_name, expected_count, expected_where, where) }}

    ),

    validation_errors as (

        select
            *,
            {{ min_pct }} as min_pct
        from compared
        where
            rows_expected > 0
            and 100.0 * rows_found < {{ min_pct }} * rows_expected

    )

    select * from validation_errors
{% endtest %}
