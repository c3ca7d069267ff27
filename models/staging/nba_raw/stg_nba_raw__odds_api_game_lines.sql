{#-
    Staged nba_raw.odds_api_game_lines: one row per natural key (game_id, bookmaker_key, market_key, outcome_name, snapshot_timestamp),
    the rows of the base model whose disposition is 'staged' (cleaned columns
    and processed_at only). Quarantined and superseded rows stay in the base
    model; the quarantined ones are also in nba_orchestration.raw_quarantine.
    Source: The Odds API game lines (spreads, totals) per bookmaker and snapshot.
-#}

with

base as (

    select * from {{ ref('base_nba_raw__odds_api_game_lines') }}

),

final as (

    select
        game_id,
        bookmaker_key,
        market_key,
        outcome_name,
        home_team_name,
        away_team_name,
        home_team_abbr,
        away_team_abbr,
        outcome_price,
        outcome_point,
        game_date,
        commence_time,
        snapshot_timestamp,
        processed_at
    from base
    where row_disposition = 'staged'

)

select * from final
