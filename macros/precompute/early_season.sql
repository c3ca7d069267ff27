{#-
    Dynamic minimum games early in the season (domain.md §3.1, §3.2, §4.2):
    on days 0-21 after opening night min(start + days // 3, cap), afterwards
    `full`. TDZA: (5, 14, 15); PSZA: (3, 9, 10).
-#}
{% macro phase4_min_games(days_into_season, start, cap, full) -%}
    case
        when {{ days_into_season }} <= 21 then
            case
                when {{ start }} + cast(floor({{ days_into_season }} / 3) as {{ dbt.type_int() }}) < {{ cap }}
                then {{ start }} + cast(floor({{ days_into_season }} / 3) as {{ dbt.type_int() }})
                else {{ cap }}
            end
        else {{ full }}
    end
{%- endmacro %}


{#-
    "Only N games available, need M" (domain.md §3.1), NULL when N ≥ M.
-#}
{% macro insufficient_games_reason(games, min_games) -%}
    case when {{ games }} < {{ min_games }} then
        {{ dbt.concat(["'Only '", "cast(" ~ games ~ " as " ~ dbt.type_string() ~ ")",
                       "' games available, need '", "cast(" ~ min_games ~ " as " ~ dbt.type_string() ~ ")"]) }}
    end
{%- endmacro %}
