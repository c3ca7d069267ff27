{#-
    Primary-key test: no two rows share the values of combination_of_columns
    and, unless allow_nulls, none of those columns is NULL. One query for both
    checks (a view is evaluated once). Returns the failing rows: the duplicated
    key values with their row count, and the rows with a NULL key column.

    data_tests:
      - unique_combination_of_columns:
          arguments:
            combination_of_columns: [game_id, player_lookup]

    The SQL is the same on every engine, so there is no dispatch.
-#}
{% test unique_combination_of_columns(model, combination_of_columns, allow_nulls=false) %}
    {%- if combination_of_columns | length == 0 -%}
        {{ exceptions.raise_compiler_error('unique_combination_of_columns: combination_of_columns is empty') }}
    {%- endif -%}
    {%- set columns = combination_of_columns | join(', ') %}

    with

    keyed as (

        select {{ columns }}
        from {{ model }}

    ),

    duplicated as (

        select
            {{ columns }},
            count(*) as n_rows,
            'duplicate' as failure
        from keyed
        group by {{ columns }}
        having count(*) > 1

    ),

    {% if not allow_nulls -%}
    null_keys as (

        select
            {{ columns }},
            1 as n_rows,
            'null' as failure
        from keyed
        where {% for column in combination_of_columns -%}
            {{ column }} is null{{ ' or ' if not loop.last }}
        {%- endfor %}

    ),
    {%- endif %}

    validation_errors as (

        select * from duplicated
        {%- if not allow_nulls %}
        union all
        select * from null_keys
        {%- endif %}

    )

    select * from validation_errors
{% endtest %}
