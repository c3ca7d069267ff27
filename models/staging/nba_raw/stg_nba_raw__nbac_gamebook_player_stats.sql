{#-
    Staged nba_raw.nbac_gamebook_player_stats: one row per natural key (game_id, player_lookup),
    the rows of the base model whose disposition is 'staged' (cleaned columns
    and processed_at only). Quarantined and superseded rows stay in the base
    model; the quarantined ones are also in nba_orchestration.raw_quarantine.
    Source: NBA.com gamebook: one row per player per game, active, DNP and inactive.
-#}

with

base as (

    select * from {{ ref('base_nba_raw__nbac_gamebook_player_stats') }}

),

final as (

    select
        game_id,
        game_code,
        player_lookup,
        player_name,
        player_name_original,
        name_resolution_status,
        team_abbr,
        home_team_abbr,
        away_team_abbr,
        player_status,
        is_active,
        is_dnp,
        dnp_reason,
        dnp_reason_category,
        minutes_played,
        points,
        field_goals_made,
        field_goals_attempted,
        three_pointers_made,
        three_pointers_attempted,
        free_throws_made,
        free_throws_attempted,
        offensive_rebounds,
        defensive_rebounds,
        total_rebounds,
        assists,
        steals,
        blocks,
        turnovers,
        personal_fouls,
        plus_minus,
        field_goal_percentage,
        three_point_percentage,
        free_throw_percentage,
        season_year,
        game_date,
        processed_at
    from base
    where row_disposition = 'staged'

)

select * from final
