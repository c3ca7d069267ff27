{#-
    Batch variance check of the feature store (domain.md §3.5): on each date,
    each feature takes more than one value across the players that have real
    features (placeholder rows, `where_real`, are skipped; NaN values are
    ignored). A feature that is constant on a date is returned with the date,
    its value and the number of rows. Features marked variance_check: false
    in feature_store_features() are constant per date by definition
    (playoff_game) and are not checked. Meant for severity warn.
-#}
{% test features_vary_across_players(
        model, column_name='features', where_real='not backfill_bootstrap_mode', min_rows=10) %}
    {%- set checked = feature_store_features() | rejectattr('variance_check', 'false') | list -%}

    with

    feature_rows as (

        select
            game_date,
            {{ column_name }} as feature_array
        from {{ model }}
        where {{ in_run_window('game_date') }}
            and ({{ where_real }})

    ),

    per_date as (

        {%- for f in checked %}
        select
            game_date,
            {{ f.index }} as feature_index,
            '{{ f.name }}' as feature_name,
            count(*) as rows_checked,
            min({{ array_at('feature_array', f.index) }}) as min_value,
            max({{ array_at('feature_array', f.index) }}) as max_value
        from feature_rows
        where not {{ is_nan(array_at('feature_array', f.index)) }}
        group by 1, 2, 3
        {% if not loop.last %}union all{% endif %}
        {%- endfor %}

    ),

    validation_errors as (

        select *
        from per_date
        where rows_checked >= {{ min_rows }}
            and min_value = max_value

    )

    select * from validation_errors
{% endtest %}
