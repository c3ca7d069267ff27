{#-
    The per-table checks of `nba-pipeline validate` (runner/validate/plan.py):
    NULL counts, duplicate keys, the first rows of a check and the games per
    layer. Each macro returns a complete select of small, aggregated rows and
    honours the run window (vars start_date / end_date).
-#}

{#-
    NULL counts of one column per date among the rows matching `where` (the
    declared null_rate_below tests of the models' ymls say which columns,
    where and threshold). The runner sums them per month and over the range.
-#}
{% macro validation_null_counts(table_name, relation, column_name, date_column, where=none) %}

    select
        '{{ table_name }}' as table_name,
        '{{ column_name }}' as column_name,
        test_date,
        {{ validation_month('test_date') }} as month,
        rows_checked,
        null_rows
    from (
        {{ null_counts_per_date(relation, column_name, date_column, where) }}
    ) as per_date

{% endmacro %}


{#-
    Key values held by more than one row (the model's primary key, from its
    unique_combination_of_columns test), at most `limit_rows` of them.
-#}
{% macro validation_duplicates(table_name, relation, key_columns, date_column, limit_rows=50) %}

    with

    grouped as (

        select
            {{ date_column }} as test_date,
            {%- for column in key_columns %}
            cast({{ column }} as {{ dbt.type_string() }}) as key_{{ loop.index }},
            {%- endfor %}
            count(*) as copies
        from {{ relation }}
        where {{ in_run_window(date_column) }}
        group by {% for column in key_columns %}{{ column }}{% if not loop.last %}, {% endif %}{% endfor %}
            {%- if date_column not in key_columns %}, {{ date_column }}{% endif %}
        having count(*) > 1

    ),

    final as (

        select
            '{{ table_name }}' as table_name,
            test_date,
            {%- for column in key_columns %}
            {%- if not loop.first %} || '|' || {% endif %} coalesce(key_{{ loop.index }}, 'NULL')
            {%- endfor %} as key_value,
            copies
        from grouped

    )

    select * from final
    order by test_date, key_value
    limit {{ limit_rows }}

{% endmacro %}


{#-
    The first `limit_rows` rows a check macro returns (ordered by its first two
    columns), each with failing_rows: how many rows it returns in all.
-#}
{% macro validation_first_rows(select_sql, limit_rows=5) %}
    select
        checked.*,
        count(*) over () as failing_rows
    from ({{ select_sql }}) as checked
    order by 1, 2
    limit {{ limit_rows }}
{% endmacro %}


{#-
    Games per season and month at each layer (the seeds' "L4 coverage vs L1"):
    final schedule games, those after the season's bootstrap days (Phase 4
    writes nothing before), and distinct games of player_game_summary, of the
    Phase 4 player_composite_factors and of the feature store.
-#}
{% macro validation_layer_games() %}

    with

    stg_nba_raw__nbac_schedule as (

        select
            game_date,
            game_id,
            season_year
        from {{ ref('stg_nba_raw__nbac_schedule') }}
        where is_final
            and {{ in_run_window('game_date') }}

    ),

    int_season_calendar as (

        select
            season_year,
            first_post_bootstrap_date
        from {{ ref('int_season_calendar') }}

    ),

    player_game_summary as (

        select game_date, game_id
        from {{ ref('player_game_summary') }}
        where {{ in_run_window('game_date') }}

    ),

    player_composite_factors as (

        select game_date, game_id
        from {{ ref('player_composite_factors') }}
        where {{ in_run_window('game_date') }}

    ),

    ml_feature_store_v2 as (

        select game_date, game_id
        from {{ ref('ml_feature_store_v2') }}
        where {{ in_run_window('game_date') }}
            and not backfill_bootstrap_mode

    ),

    schedule_games as (

        select
            {{ validation_month('stg_nba_raw__nbac_schedule.game_date') }} as month,
            stg_nba_raw__nbac_schedule.season_year,
            count(distinct stg_nba_raw__nbac_schedule.game_id) as raw_games,
            count(distinct case
                when int_season_calendar.first_post_bootstrap_date is null
                    or stg_nba_raw__nbac_schedule.game_date
                        >= int_season_calendar.first_post_bootstrap_date
                then stg_nba_raw__nbac_schedule.game_id
            end) as raw_games_after_bootstrap
        from stg_nba_raw__nbac_schedule
        left join int_season_calendar
            on stg_nba_raw__nbac_schedule.season_year = int_season_calendar.season_year
        group by 1, 2

    ),

    phase3_games as (

        select
            {{ validation_month('game_date') }} as month,
            count(distinct game_id) as phase3_games
        from player_game_summary
        group by 1

    ),

    phase4_games as (

        select
            {{ validation_month('game_date') }} as month,
            count(distinct game_id) as phase4_games
        from player_composite_factors
        group by 1

    ),

    feature_games as (

        select
            {{ validation_month('game_date') }} as month,
            count(distinct game_id) as feature_games
        from ml_feature_store_v2
        group by 1

    ),

    final as (

        select
            schedule_games.season_year,
            schedule_games.month,
            schedule_games.raw_games,
            schedule_games.raw_games_after_bootstrap,
            coalesce(phase3_games.phase3_games, 0) as phase3_games,
            coalesce(phase4_games.phase4_games, 0) as phase4_games,
            coalesce(feature_games.feature_games, 0) as feature_games
        from schedule_games
        left join phase3_games
            on schedule_games.month = phase3_games.month
        left join phase4_games
            on schedule_games.month = phase4_games.month
        left join feature_games
            on schedule_games.month = feature_games.month

    )

    select * from final

{% endmacro %}
