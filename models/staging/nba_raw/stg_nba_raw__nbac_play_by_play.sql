{#-
    Staged nba_raw.nbac_play_by_play: one row per natural key (game_id, event_id),
    the rows of the base model whose disposition is 'staged' (cleaned columns
    and processed_at only). Quarantined and superseded rows stay in the base
    model; the quarantined ones are also in nba_orchestration.raw_quarantine.
    Source: NBA.com play-by-play: field-goal and free-throw events for the games BigDataBall lacks.
-#}

with

base as (

    select * from {{ ref('base_nba_raw__nbac_play_by_play') }}

),

final as (

    select
        game_id,
        nba_game_id,
        event_id,
        period,
        game_clock,
        event_type,
        event_action_type,
        shot_made,
        shot_type,
        shot_distance,
        shot_x,
        shot_y,
        shot_zone,
        is_field_goal_attempt,
        player_1_lookup,
        player_1_team_abbr,
        score_home,
        score_away,
        season_year,
        game_date,
        processed_at
    from base
    where row_disposition = 'staged'

)

select * from final
