{#-
    A reason column holds only reasons of macros/staging/raw_row_rules.sql with
    the given disposition (quarantined or excluded), or NULL. Returns the rows
    with any other value: the list of reasons has one definition, and a base
    model that wrote a reason it does not list fails here.

    columns:
      - name: rejection_reason
        data_tests:
          - known_raw_row_reason:
              arguments:
                disposition: quarantined

    The SQL is the same on every engine, so there is no dispatch.
-#}
{% test known_raw_row_reason(model, column_name, disposition) %}
    {%- set names = raw_row_reason_names(disposition) -%}
    {%- if not names -%}
        {{ exceptions.raise_compiler_error(
            "known_raw_row_reason: no reason has the disposition '" ~ disposition ~ "'") }}
    {%- endif %}

    with

    validation_errors as (

        select {{ column_name }}
        from {{ model }}
        where {{ column_name }} is not null
            and {{ column_name }} not in ('{{ names | join("', '") }}')

    )

    select * from validation_errors
{% endtest %}
