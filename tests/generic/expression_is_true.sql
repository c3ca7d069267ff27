{#-
    Every row satisfies a boolean SQL expression (optionally only the rows that
    match a where clause, via the standard `config: where:`). Returns the rows
    for which it is false or NULL.

    data_tests:
      - expression_is_true:
          arguments:
            expression: "(row_disposition = 'quarantined') = (rejection_reason is not null)"

    The SQL is the same on every engine, so there is no dispatch.
-#}
{% test expression_is_true(model, expression) %}
    with

    validation_errors as (

        select *
        from {{ model }}
        where not coalesce({{ expression }}, false)

    )

    select * from validation_errors
{% endtest %}
