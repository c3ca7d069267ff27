{#-
    The Phase 4 windows at the cost of a scan (domain.md §3: "All history is strictly before
    D"): a model computes its windows in one pass over each entity's games of the season, as
    frames ending at each game, with the date of the entity's next game
    (lead(game_date) over the same sequence, as next_game_date); date D then reads the row of
    the entity's last game strictly before D.

    last_game_before(games, analysis_date): the join condition picking that row, for a relation
    alias `games` (game_date, next_game_date) and a date expression: the game is before D and
    the next one is on or after D, or there is none. Callers also join on the entity and season.
-#}
{% macro last_game_before(games, analysis_date) -%}
    {{ games }}.game_date < {{ analysis_date }}
        and ({{ games }}.next_game_date >= {{ analysis_date }} or {{ games }}.next_game_date is null)
{%- endmacro %}
