{{ config(materialized='ephemeral') }}

{#-
    Each universe row with the played games its windows read (domain.md §2.4):
    the last 10 of the season before the date and every one of the 30 days
    before it, newest first (game_rank 1 = the last game), with the 7/14/30-day
    flags. One row per (game_date, player_lookup, history_date). Season-bounded
    and strictly before the date (decisions.md fix 6). Read by the fatigue and
    performance windows and by the prop streaks.
-#}

with

int_upcg_universe as (

    select
        game_date,
        player_lookup,
        season_year
    from {{ ref('int_upcg_universe') }}

),

int_upcg_played_games as (

    select
        player_lookup,
        season_year,
        game_date,
        previous_game_date,
        next_game_date,
        game_number,
        points,
        minutes_played,
        usage_rate,
        last_game_after_2_plus_days_rest
    from {{ ref('int_upcg_played_games') }}

),

{{ upcg_season_history(
    'player_history',
    'int_upcg_universe',
    'int_upcg_played_games',
    history_columns=['previous_game_date', 'points', 'minutes_played', 'usage_rate'],
    last_columns=['last_game_after_2_plus_days_rest'],
) }},

final as (

    select * from player_history

)

select * from final
