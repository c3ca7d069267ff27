{#-
    Staged nba_raw.nbac_team_boxscore: one row per natural key (game_id, team_abbr),
    the rows of the base model whose disposition is 'staged' (cleaned columns
    and processed_at only). Quarantined and superseded rows stay in the base
    model; the quarantined ones are also in nba_orchestration.raw_quarantine.
    Source: NBA.com team box score: two rows per game, equal to the sum of the team's player rows.
-#}

with

base as (

    select * from {{ ref('base_nba_raw__nbac_team_boxscore') }}

),

final as (

    select
        game_id,
        nba_game_id,
        team_abbr,
        team_id,
        team_name,
        team_city,
        is_home,
        total_player_minutes,
        fg_made,
        fg_attempted,
        three_pt_made,
        three_pt_attempted,
        ft_made,
        ft_attempted,
        offensive_rebounds,
        defensive_rebounds,
        total_rebounds,
        assists,
        steals,
        blocks,
        turnovers,
        personal_fouls,
        points,
        plus_minus,
        fg_percentage,
        three_pt_percentage,
        ft_percentage,
        season_year,
        game_date,
        processed_at
    from base
    where row_disposition = 'staged'

)

select * from final
