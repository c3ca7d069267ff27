{#-
    Staged nba_raw.bigdataball_play_by_play: one row per natural key (game_id, event_id),
    the rows of the base model whose disposition is 'staged' (cleaned columns
    and processed_at only). Quarantined and superseded rows stay in the base
    model; the quarantined ones are also in nba_orchestration.raw_quarantine.
    Source: BigDataBall play-by-play shot and free-throw events, about 94 % of games.
-#}

with

base as (

    select * from {{ ref('base_nba_raw__bigdataball_play_by_play') }}

),

final as (

    select
        game_id,
        event_id,
        period,
        event_type,
        event_subtype,
        shot_made,
        shot_type,
        shot_distance,
        shot_zone,
        is_field_goal_attempt,
        is_assisted_make,
        is_unassisted_make,
        is_and_one_free_throw,
        player_1_lookup,
        player_1_team_abbr,
        player_2_role,
        player_2_lookup,
        player_2_team_abbr,
        home_team_abbr,
        away_team_abbr,
        season_year,
        game_date,
        data_source,
        processed_at
    from base
    where row_disposition = 'staged'

)

select * from final
