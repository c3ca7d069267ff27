{{ config(materialized='ephemeral') }}

{#-
    The player_game_summary rows that count as a played game for Phase 4
    (domain.md §3.3): active, not DNP (NULL counts as not DNP), points
    non-NULL and (points > 0 or minutes > 0), with the previous played game
    of the same season (days_rest of decisions.md fix 2). Read 400 days back
    so that a season-to-date window of any date in the run window is
    covered. Consumers join it strictly before their date and within the
    date's season.
-#}

with

player_game_summary as (

    select
        game_date,
        season_year,
        player_lookup,
        universal_player_id,
        game_id,
        team_abbr,
        opponent_team_abbr,
        points,
        minutes_played,
        usage_rate,
        ts_pct,
        fg_makes,
        assisted_fg_makes,
        is_active,
        is_dnp
    from {{ ref('player_game_summary') }}
    where {{ in_run_window('game_date', lookback_days=400) }}

),

final as (

    select
        game_date,
        season_year,
        player_lookup,
        universal_player_id,
        game_id,
        team_abbr,
        opponent_team_abbr,
        points,
        minutes_played,
        usage_rate,
        ts_pct,
        fg_makes,
        assisted_fg_makes,
        lag(game_date) over (
            partition by player_lookup, season_year order by game_date
        ) as previous_game_date
    from player_game_summary
    where is_active
        and not coalesce(is_dnp, false)
        and points is not null
        and (points > 0 or minutes_played > 0)

)

select * from final
