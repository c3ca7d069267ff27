{{ config(materialized='ephemeral') }}

{#-
    The player_game_summary rows that count as a played game for Phase 4
    (domain.md §3.3): active, not DNP (NULL counts as not DNP), points
    non-NULL and (points > 0 or minutes > 0). Read var season_lookback_days back so that a
    season-to-date window of any date in the run window is covered.
    Consumers join it strictly before their date and within the date's
    season (int_phase4_played_sequence ranks them).
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
        assisted_fg_makes
    from {{ ref('player_game_summary') }}
    where {{ in_run_window('game_date', lookback_days=var('season_lookback_days')) }}
        and is_active
        and not coalesce(is_dnp, false)
        and points is not null
        and (points > 0 or minutes_played > 0)

),

final as (

    select * from player_game_summary

)

select * from final
