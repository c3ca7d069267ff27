{#-
    Staged nba_raw.espn_team_rosters: one row per natural key (roster_date, team_abbr, player_lookup),
    the rows of the base model whose disposition is 'staged' (cleaned columns
    and processed_at only). Quarantined and superseded rows stay in the base
    model; the quarantined ones are also in nba_orchestration.raw_quarantine.
    Source: ESPN roster snapshots per team per player, on each date the team plays.
-#}

with

base as (

    select * from {{ ref('base_nba_raw__espn_team_rosters') }}

),

final as (

    select
        team_abbr,
        player_lookup,
        espn_player_id,
        player_name,
        position,
        age,
        jersey_number,
        status,
        roster_status,
        season_year,
        roster_date,
        scrape_hour,
        processed_at
    from base
    where row_disposition = 'staged'

)

select * from final
