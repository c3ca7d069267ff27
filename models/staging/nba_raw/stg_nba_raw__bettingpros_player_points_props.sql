{#-
    Staged nba_raw.bettingpros_player_points_props: one row per natural key (game_date, player_lookup, bookmaker, bet_side, market_type),
    the rows of the base model whose disposition is 'staged' (cleaned columns
    and processed_at only). Quarantined and superseded rows stay in the base
    model; the quarantined ones are also in nba_orchestration.raw_quarantine.
    Source: BettingPros player props (no game_id): about 99 % of active players.
-#}

with

base as (

    select * from {{ ref('base_nba_raw__bettingpros_player_points_props') }}

),

final as (

    select
        player_lookup,
        bookmaker,
        bet_side,
        market_type,
        bp_event_id,
        offer_id,
        player_name,
        player_team_abbr,
        points_line,
        odds_american,
        opening_line,
        opening_odds,
        is_active,
        is_best_line,
        game_date,
        opening_timestamp,
        bookmaker_last_update,
        processed_at
    from base
    where row_disposition = 'staged'

)

select * from final
