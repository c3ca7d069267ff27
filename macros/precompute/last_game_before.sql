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
{#-
    The sequence itself, one place for the models' scans:
    season_sequence(entity): the window of an entity's games of the season in date order
    ("partition by <entity>, season_year order by game_date");
    season_frame(entity, last_games=none): that window framed to the entity's last
    `last_games` games up to and including the row's game (the season to date without it);
    next_game_date(entity): the date of the entity's next game of the season (NULL for the
    last one), the column last_game_before reads.
-#}
{% macro season_sequence(entity) -%}
    partition by {{ entity }}, season_year order by game_date
{%- endmacro %}

{% macro season_frame(entity, last_games=none) -%}
    {{ season_sequence(entity) }} rows between
    {%- if last_games is none %} unbounded{% else %} {{ last_games - 1 }}{% endif %} preceding and current row
{%- endmacro %}

{% macro next_game_date(entity) -%}
    lead(game_date) over ({{ season_sequence(entity) }})
{%- endmacro %}


{% macro last_game_before(games, analysis_date) -%}
    {{ games }}.game_date < {{ analysis_date }}
        and ({{ games }}.next_game_date >= {{ analysis_date }} or {{ games }}.next_game_date is null)
{%- endmacro %}


{#-
    games_read_by_windows(games, last, last_games, days): join condition of the history rows a
    windowed row reads when its windows are the entity's last `last_games` games and the games
    of the `days` days before D: the games up to the last one before D (`last`: its row, with
    game_number and the date D as game_date) that are among its last `last_games` or inside the
    days. Ranked from the last game's number (rank = last.game_number - games.game_number + 1),
    the day windows are a prefix of that ranking, so the rows read are exactly the ones a
    season-long join would rank into those windows. Callers also join on the entity and season.
-#}
{% macro games_read_by_windows(games, last, last_games, days) -%}
    {{ games }}.game_number <= {{ last }}.game_number
        and ({{ games }}.game_number > {{ last }}.game_number - {{ last_games }}
            or {{ games }}.game_date >= cast({{ dbt.dateadd('day', -days, last ~ '.game_date') }} as date))
{%- endmacro %}
