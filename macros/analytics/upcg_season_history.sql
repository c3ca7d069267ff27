{#-
    upcg_season_history(name, anchors, games, history_columns, last_columns, last_games, days):
    two CTEs, `<name>_last_games` and `<name>`, giving each anchor row (game_date D,
    player_lookup, season_year) the games of its season before D that its windows read:
    the last `last_games` games and every game of the `days` days before D (domain.md §2.4;
    decisions.md fix 6: season-bounded, strictly before D).

    `games` is a player's numbered game sequence of the season (player_lookup, season_year,
    game_date, next_game_date, game_number). The first CTE is the anchor's last game before D
    (last_game_before), computed once as its own step (materialized_cte); the second joins the
    games it reads (games_read_by_windows) and ranks them from that game's number (game_rank 1
    = the newest), with the 7/14/30-day flags (recent_day_windows). history_columns: columns of
    each history game (history_date is its game_date); last_columns: columns of the last game.
-#}
{% macro upcg_season_history(name, anchors, games, history_columns=[], last_columns=[], last_games=10, days=30) -%}
{{ name }}_last_games as {{ materialized_cte() }} (

    select
        {{ anchors }}.game_date,
        {{ anchors }}.player_lookup,
        {{ anchors }}.season_year,
        {%- for column in last_columns %}
        {{ games }}.{{ column }},
        {%- endfor %}
        {{ games }}.game_number
    from {{ anchors }}
    inner join {{ games }}
        on {{ games }}.player_lookup = {{ anchors }}.player_lookup
        and {{ games }}.season_year = {{ anchors }}.season_year
        and {{ last_game_before(games, anchors ~ '.game_date') }}

),

{{ name }} as (

    select
        last_game.game_date,
        last_game.player_lookup,
        history_game.game_date as history_date,
        {%- for column in history_columns %}
        history_game.{{ column }},
        {%- endfor %}
        {%- for column in last_columns %}
        last_game.{{ column }},
        {%- endfor %}
        {{ recent_day_windows('history_game.game_date', 'last_game.game_date') }},
        last_game.game_number - history_game.game_number + 1 as game_rank
    from {{ name }}_last_games as last_game
    inner join {{ games }} as history_game
        on history_game.player_lookup = last_game.player_lookup
        and history_game.season_year = last_game.season_year
        and {{ games_read_by_windows('history_game', 'last_game', last_games, days) }}

)
{%- endmacro %}
