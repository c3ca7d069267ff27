{{ config(materialized='ephemeral') }}

{#-
    The player_game_summary games UPCG counts as played (domain.md §2.4): DNP
    dropped, points non-NULL and (points > 0 or minutes non-NULL). One row per
    (player_lookup, game_date), numbered within the player's season, with the
    previous and next played game of the season (rest, decisions.md fix 2) and
    the latest game of the season played after 2+ days of rest. Read season_lookback_days
    before the run window: consumers join it strictly before their date and
    within the date's season (decisions.md fix 6).
-#}

{%- set season_lookback_days = var('season_lookback_days') -%}

with

player_game_summary as (

    select
        game_date,
        season_year,
        player_lookup,
        team_abbr,
        points,
        minutes_played,
        usage_rate,
        is_dnp
    from {{ ref('player_game_summary') }}
    where {{ in_run_window('game_date', lookback_days=season_lookback_days) }}

),

played_games as (

    select
        player_lookup,
        season_year,
        game_date,
        team_abbr,
        points,
        minutes_played,
        usage_rate,
        lag(game_date) over (
            partition by player_lookup, season_year order by game_date
        ) as previous_game_date,
        lead(game_date) over (
            partition by player_lookup, season_year order by game_date
        ) as next_game_date,
        row_number() over (
            partition by player_lookup, season_year order by game_date
        ) as game_number
    from player_game_summary
    where points is not null
        and (points > 0 or minutes_played is not null)
        and not coalesce(is_dnp, false)

),

final as (

    select
        played_games.*,
        max(case
            when previous_game_date is null
                or {{ dbt.datediff('previous_game_date', 'game_date', 'day') }}                                 >= 2  -- noqa: LT05
                then game_date
        end) over (
            partition by player_lookup, season_year order by game_date
            rows between unbounded preceding and current row
        ) as last_game_after_2_plus_days_rest
    from played_games

)

select * from final
