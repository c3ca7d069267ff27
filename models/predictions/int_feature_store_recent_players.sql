{{ config(materialized='ephemeral') }}

{#-
    The feature store's "recent player" rule (domain.md §3.5: players with no
    PGS game in the 60 days before D are dropped), in one place: for every
    final game date D of the run window, the players with at least one
    player_game_summary row dated D − 60 ≤ date < D, whatever its status
    (played, DNP or inactive: production counts any row, so a player back
    from a long injury keeps his row on D), and whether they also have a
    player_game_summary row on D. ml_feature_store_v2 keeps only these
    players on non-bootstrap dates; its coverage test expects one row per
    player of D's player_game_summary that is in this list.
-#}

{%- set recent_days = 60 -%}

with

stg_nba_raw__nbac_schedule as (

    select distinct game_date
    from {{ ref('stg_nba_raw__nbac_schedule') }}
    where {{ in_run_window('game_date') }}
        and is_final
        and (is_regular_season or is_playoffs)

),

player_game_summary as (

    select
        game_date,
        player_lookup
    from {{ ref('player_game_summary') }}
    where {{ in_run_window('game_date', lookback_days=recent_days) }}

),

player_games as (

    select
        player_lookup,
        game_date,
        lead(game_date) over (
            partition by player_lookup
            order by game_date
        ) as next_game_date,
        cast({{ dbt.dateadd('day', recent_days, 'game_date') }} as date) as recent_until
    from player_game_summary

),

{#- A game G is the player's last one before every date D in (G, min(next
    game, G + 60 days)]: one join row per (D, player) kept, instead of every
    game of the 60 days before D grouped back to its latest one. #}

game_intervals as (

    select
        player_lookup,
        game_date,
        least(recent_until, coalesce(next_game_date, recent_until)) as last_before_until
    from player_games

),

recent_players as (

    select
        stg_nba_raw__nbac_schedule.game_date,
        game_intervals.player_lookup,
        game_intervals.game_date as last_game_date
    from stg_nba_raw__nbac_schedule
    inner join game_intervals
        on stg_nba_raw__nbac_schedule.game_date > game_intervals.game_date
        and stg_nba_raw__nbac_schedule.game_date <= game_intervals.last_before_until

),

players_on_date as (

    select distinct
        game_date,
        player_lookup
    from player_game_summary
    where {{ in_run_window('game_date') }}

),

final as (

    select
        recent_players.game_date,
        recent_players.player_lookup,
        recent_players.last_game_date,
        players_on_date.player_lookup is not null as is_in_player_game_summary
    from recent_players
    left join players_on_date
        on players_on_date.game_date = recent_players.game_date
        and players_on_date.player_lookup = recent_players.player_lookup

)

select * from final
