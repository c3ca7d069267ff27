{#-
    Schedule-aware gap check: every date of the schedule with a final game
    (inside the run window when vars start_date / end_date are set) has at
    least one row in the model. Days without games are not gaps. Returns the
    missing dates with the number of final games scheduled on them.

    data_tests:
      - no_missing_game_dates:
          arguments:
            date_column: game_date

    schedule_relation / schedule_date_column / schedule_where default to the
    staged NBA.com schedule, its game_date and `is_final`.
    The SQL is the same on every engine, so there is no dispatch.
-#}
{% test no_missing_game_dates(
        model,
        date_column,
        schedule_relation=none,
        schedule_date_column='game_date',
        schedule_where='is_final') %}
    {%- set schedule = ref('stg_nba_raw__nbac_schedule') if schedule_relation is none else schedule_relation %}

    with

    game_dates as (

        select
            {{ schedule_date_column }} as test_date,
            count(*) as final_games
        from {{ schedule }}
        where {{ in_run_window(schedule_date_column) }}
            {%- if schedule_where %} and ({{ schedule_where }}){% endif %}
        group by {{ schedule_date_column }}

    ),

    model_dates as (

        select distinct {{ date_column }} as test_date
        from {{ model }}
        where {{ in_run_window(date_column) }}

    ),

    validation_errors as (

        select
            game_dates.test_date,
            game_dates.final_games,
            0 as model_rows
        from game_dates
        left join model_dates
            on game_dates.test_date = model_dates.test_date
        where model_dates.test_date is null

    )

    select * from validation_errors
{% endtest %}
