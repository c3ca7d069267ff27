{#-
    The coverage checks of `nba-pipeline validate` (runner/validate/plan.py):
    expected dates, rows per date, gaps and date coverage per table. Like the
    other validation macros (table_checks.sql, feature_store_checks.sql,
    run_checks.sql, feature_health.sql, consistency.sql), every macro returns a
    complete select of small, aggregated rows, honours the run window (vars
    start_date / end_date) and is the same on every engine except
    validation_month (dispatched). The runner compiles all of them in one
    inline compile and runs each through runner.warehouse.
-#}


{#- "YYYY-MM" of a date. -#}
{% macro validation_month(date_expr) -%}
    {{ return(adapter.dispatch('validation_month')(date_expr)) }}
{%- endmacro %}

{% macro default__validation_month(date_expr) -%}
    strftime({{ date_expr }}, '%Y-%m')
{%- endmacro %}

{% macro bigquery__validation_month(date_expr) -%}
    format_date('%Y-%m', {{ date_expr }})
{%- endmacro %}


{#-
    Coverage of one table per date, kept to the dates that expect rows:
    per_date_sql is a coverage_comparison(...) select (the model's own
    coverage_vs_expected test, macros/gates/coverage_comparison.sql), so
    validate, the dbt test and the backfill ledger share one definition of
    expected rows. Adds season and month; the runner compares each date with
    the gate of every test that shares this comparison (a gate test and its
    95 % warn twin run once).
-#}
{% macro validation_coverage(table_name, per_date_sql) %}

    with

    per_date as (

        {{ per_date_sql }}

    ),

    final as (

        select
            '{{ table_name }}' as table_name,
            test_date,
            {{ season_year_from_date('test_date') }} as season_year,
            {{ validation_month('test_date') }} as month,
            rows_found,
            rows_expected,
            coverage_pct
        from per_date
        where rows_expected > 0

    )

    select * from final

{% endmacro %}


{#-
    The final-game dates of the schedule (inside the run window) each table
    should have rows on: (table_name, game_date, season_year, final_games).
    Each entry of `tables` is {'name', 'relation', 'date_column',
    'skip_bootstrap'}; skip_bootstrap leaves out the season bootstrap days
    (int_season_calendar) for the models that write nothing on them. The
    schedule is read once. The same rule as the generic test
    no_missing_game_dates. A complete select, for validation_gaps and
    validation_date_coverage.
-#}
{% macro validation_expected_dates(tables) %}

    with

    stg_nba_raw__nbac_schedule as (

        select
            game_date,
            season_year,
            count(*) as final_games
        from {{ ref('stg_nba_raw__nbac_schedule') }}
        where is_final
            and {{ in_run_window('game_date') }}
        group by game_date, season_year

    ),

    int_season_calendar as (

        select
            season_year,
            first_post_bootstrap_date
        from {{ ref('int_season_calendar') }}

    ),

    game_dates as (

        select
            stg_nba_raw__nbac_schedule.game_date,
            stg_nba_raw__nbac_schedule.season_year,
            stg_nba_raw__nbac_schedule.final_games,
            coalesce(
                stg_nba_raw__nbac_schedule.game_date < int_season_calendar.first_post_bootstrap_date,
                false
            ) as is_bootstrap
        from stg_nba_raw__nbac_schedule
        left join int_season_calendar
            on stg_nba_raw__nbac_schedule.season_year = int_season_calendar.season_year

    ),

    final as (

        {%- for table in tables %}
        select
            '{{ table.name }}' as table_name,
            game_date,
            season_year,
            final_games
        from game_dates
        {%- if table.skip_bootstrap %}
        where not is_bootstrap
        {%- endif %}
        {% if not loop.last %}union all{% endif %}
        {%- endfor %}

    )

    select * from final

{% endmacro %}


{#- Rows per date of each table inside the run window: (table_name, model_date, rows_found). -#}
{% macro validation_rows_per_date(tables) %}

    {%- for table in tables %}
    select
        '{{ table.name }}' as table_name,
        {{ table.date_column }} as model_date,
        count(*) as rows_found
    from {{ table.relation }}
    where {{ in_run_window(table.date_column) }}
    group by {{ table.date_column }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

{% endmacro %}


{#-
    Schedule-aware gaps of several tables at once: the dates of
    validation_expected_dates(tables) with no row in the table.
-#}
{% macro validation_gaps(tables) %}

    with

    expected as (

        {{ validation_expected_dates(tables) }}

    ),

    model_dates as (

        {{ validation_rows_per_date(tables) }}

    ),

    final as (

        select
            expected.table_name,
            expected.game_date as missing_date,
            {{ validation_month('expected.game_date') }} as month,
            expected.final_games
        from expected
        left join model_dates
            on expected.table_name = model_dates.table_name
            and expected.game_date = model_dates.model_date
        where model_dates.model_date is null

    )

    select * from final

{% endmacro %}


{#-
    Per table, season and month: the dates of validation_expected_dates
    (the dates the gaps section expects), how many of them have rows, and
    the rows on them. For the coverage heatmap of the date models that have
    no coverage_vs_expected test (no expected row count): the Phase 4 tables
    dated by analysis_date or cache_date.
-#}
{% macro validation_date_coverage(tables) %}

    with

    expected as (

        {{ validation_expected_dates(tables) }}

    ),

    model_rows as (

        {{ validation_rows_per_date(tables) }}

    ),

    final as (

        select
            expected.table_name,
            expected.season_year,
            {{ validation_month('expected.game_date') }} as month,
            count(*) as expected_dates,
            count(model_rows.model_date) as dates_with_rows,
            coalesce(sum(model_rows.rows_found), 0) as rows_found
        from expected
        left join model_rows
            on expected.table_name = model_rows.table_name
            and expected.game_date = model_rows.model_date
        group by 1, 2, 3

    )

    select * from final

{% endmacro %}
