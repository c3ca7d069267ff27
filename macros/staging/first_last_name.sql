{#-
    "Last, First" (the injury report's form) → "First Last"; a name without a
    comma is returned as it is. "Porter Jr., Michael" → "Michael Porter Jr.".
-#}
{% macro first_last_name(expr) -%}
    case
        when {{ dbt.position("','", expr) }} > 0
            then trim({{ dbt.split_part(expr, "','", 2) }}) || ' ' || trim({{ dbt.split_part(expr, "','", 1) }})
        else {{ expr }}
    end
{%- endmacro %}
