{#-
    Staged nba_raw.odds_api_player_points_props: one row per natural key (game_id, player_lookup, bookmaker, snapshot_timestamp),
    the rows of the base model whose disposition is 'staged' (cleaned columns
    and processed_at only). Quarantined and superseded rows stay in the base
    model; the quarantined ones are also in nba_orchestration.raw_quarantine.
    Source: The Odds API player points lines: about 40 % of players, several bookmakers and snapshots.
-#}

with

base as (

    select * from {{ ref('base_nba_raw__odds_api_player_points_props') }}

),

final as (

    select
        game_id,
        odds_api_event_id,
        player_lookup,
        bookmaker,
        player_name,
        home_team_abbr,
        away_team_abbr,
        snapshot_tag,
        minutes_before_tipoff,
        points_line,
        over_price,
        over_price_american,
        under_price,
        under_price_american,
        game_date,
        game_start_time,
        snapshot_timestamp,
        capture_timestamp,
        bookmaker_last_update,
        processed_at
    from base
    where row_disposition = 'staged'

)

select * from final
