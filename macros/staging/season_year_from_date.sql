{#-
    The season of a date (domain.md §0): October–December belong to the season
    of that calendar year, January–September to the season of the year before
    (2025-03-01 → 2024, the 2024-25 season).
-#}
{% macro season_year_from_date(date_expr) -%}
    cast(
        extract(year from {{ date_expr }})
        - case when extract(month from {{ date_expr }}) >= 10 then 0 else 1 end
    as {{ dbt.type_bigint() }})
{%- endmacro %}
