{#-
    injury_report_before_tipoff(reports, games, games_game_id, match_team=false): two CTEs,
    `injury_reports_before_tipoff` and `latest_injury_report`: the rows of `reports` (a staged
    injury report: report_date, report_hour, game_id, team_abbr, ...) on the game's latest report
    of game day issued before tip-off (domain.md §2.4, §2.5): report_date = the game's date,
    report hour <= the hour of its start (game_date_est), any hour without a start time; the
    latest such report_hour of each game. `games` gives game_date, game_date_est and the game
    id in column `games_game_id`; match_team also requires the row's team_abbr to be the
    games row's (a team-game relation).
-#}
{% macro injury_report_before_tipoff(reports, games, games_game_id, match_team=false) -%}
injury_reports_before_tipoff as (

    select {{ reports }}.*
    from {{ reports }}
    inner join {{ games }} as games
        on games.{{ games_game_id }} = {{ reports }}.game_id
        {%- if match_team %}
        and games.team_abbr = {{ reports }}.team_abbr
        {%- endif %}
        and games.game_date = {{ reports }}.report_date
    where games.game_date_est is null
        or {{ reports }}.report_hour
            <= {{ hour_of_timestamp("games.game_date_est") }}

),

latest_injury_report as (

    select *
    from injury_reports_before_tipoff
    qualify rank() over (
        partition by game_id order by report_hour desc
    ) = 1

)
{%- endmacro %}
