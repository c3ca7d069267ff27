{#-
    Staged nba_raw.bdl_player_boxscores: one row per natural key (game_id, player_lookup),
    the rows of the base model whose disposition is 'staged' (cleaned columns
    and processed_at only). Quarantined and superseded rows stay in the base
    model; the quarantined ones are also in nba_orchestration.raw_quarantine.
    Source: Ball Don't Lie box scores: played players only, no plus_minus, small disagreements with the gamebook.
-#}

with

base as (

    select * from {{ ref('base_nba_raw__bdl_player_boxscores') }}

),

final as (

    select
        game_id,
        player_lookup,
        bdl_player_id,
        player_name,
        jersey_number,
        position,
        game_status,
        period,
        is_postseason,
        team_abbr,
        home_team_abbr,
        away_team_abbr,
        home_team_score,
        away_team_score,
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
        assists,
        steals,
        blocks,
        turnovers,
        personal_fouls,
        total_rebounds,
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
