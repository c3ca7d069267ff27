{#-
    One row per field-goal attempt or free throw of a game, from one source per
    game: BigDataBall when the game has BigDataBall events, otherwise NBA.com
    play-by-play (domain.md §1.7, §2.2). Production's team_offense_game_summary
    reads NBA.com play-by-play only; one source per game for all three Phase 3
    tables is kept on purpose (decisions.md fix 15), so that a
    team's zones are the sum of its players' and its opponent's zones
    allowed. Ephemeral; its imports read only the
    run window's dates (in_run_window, lookback 0: its users are same-day
    models), so on BigQuery the play-by-play partitions outside the window are
    never scanned (the per-game source choice would otherwise read every
    BigDataBall game). A game's events all share its date, so the per-game
    source choice is window-safe.
-#}

with

stg_nba_raw__bigdataball_play_by_play as (

    select * from {{ ref('stg_nba_raw__bigdataball_play_by_play') }}
    where {{ in_run_window('game_date') }}

),

stg_nba_raw__nbac_play_by_play as (

    select * from {{ ref('stg_nba_raw__nbac_play_by_play') }}
    where {{ in_run_window('game_date') }}

),

bigdataball_events as (

    select
        game_id,
        game_date,
        season_year,
        event_id,
        'bigdataball' as shot_source,
        player_1_lookup as shooter_lookup,
        player_1_team_abbr as shooter_team_abbr,
        case
            when player_1_team_abbr = home_team_abbr then away_team_abbr
            when player_1_team_abbr = away_team_abbr then home_team_abbr
        end as opponent_team_abbr,
        is_field_goal_attempt,
        shot_made,
        case when is_field_goal_attempt then shot_zone end as shot_zone,
        shot_distance,
        is_assisted_make,
        is_unassisted_make,
        is_and_one_free_throw,
        case when player_2_role = 'assist' then player_2_lookup end as assist_lookup,
        case when player_2_role = 'block' then player_2_lookup end as blocker_lookup,
        case
            when player_2_role = 'block' then coalesce(
                    player_2_team_abbr,
                    case
                        when player_1_team_abbr = home_team_abbr then away_team_abbr
                        when player_1_team_abbr = away_team_abbr then home_team_abbr
                    end
                )
        end as blocker_team_abbr,
        processed_at
    from stg_nba_raw__bigdataball_play_by_play
    where is_field_goal_attempt or event_type = 'free throw'

),

bigdataball_games as (

    select distinct game_id
    from bigdataball_events

),

nbac_events as (

    select
        nbac.game_id,
        nbac.game_date,
        nbac.season_year,
        nbac.event_id,
        'nbac_play_by_play' as shot_source,
        nbac.player_1_lookup as shooter_lookup,
        nbac.player_1_team_abbr as shooter_team_abbr,
        case
            when nbac.player_1_team_abbr = {{ dbt.split_part('nbac.game_id', "'_'", 3) }}
                then {{ dbt.split_part('nbac.game_id', "'_'", 2) }}
            when nbac.player_1_team_abbr = {{ dbt.split_part('nbac.game_id', "'_'", 2) }}
                then {{ dbt.split_part('nbac.game_id', "'_'", 3) }}
        end as opponent_team_abbr,
        nbac.is_field_goal_attempt,
        nbac.shot_made,
        case when nbac.is_field_goal_attempt then nbac.shot_zone end as shot_zone,
        nbac.shot_distance,
        -- NBA.com play-by-play carries no assist / block roles
        cast(null as boolean) as is_assisted_make,
        cast(null as boolean) as is_unassisted_make,
        (
            nbac.event_type = 'freethrow'
            and coalesce(nbac.event_action_type, '') like '%1 of 1%'
        ) as is_and_one_free_throw,
        cast(null as {{ dbt.type_string() }}) as assist_lookup,
        cast(null as {{ dbt.type_string() }}) as blocker_lookup,
        cast(null as {{ dbt.type_string() }}) as blocker_team_abbr,
        nbac.processed_at
    from stg_nba_raw__nbac_play_by_play as nbac
    left join bigdataball_games
        on nbac.game_id = bigdataball_games.game_id
    where
        bigdataball_games.game_id is null
        and (nbac.is_field_goal_attempt or nbac.event_type = 'freethrow')

),

final as (

    select * from bigdataball_events
    union all
    select * from nbac_events

)

select * from final
