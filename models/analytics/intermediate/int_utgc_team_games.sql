{{ config(materialized='ephemeral') }}

{#-
    The team games of the team context (domain.md §2.5): the home view and the
    away view of every schedule game, points for and against from the team's
    side; a team plays at most one game a day, so a date keeps the final,
    latest-processed snapshot. Reads the schedule season_lookback_days back for the
    season-to-date history (always bounded by season_year by its readers).
    One row per (game_date, team_abbr).
-#}

{%- set season_lookback_days = var('season_lookback_days') -%}

with

stg_nba_raw__nbac_schedule as (

    select
        game_id,
        standard_game_id,
        season_year,
        season_type,
        is_final,
        home_team_abbr,
        away_team_abbr,
        home_team_score,
        away_team_score,
        game_date,
        game_date_est,
        processed_at
    from {{ ref('stg_nba_raw__nbac_schedule') }}
    where {{ in_run_window('game_date', lookback_days=season_lookback_days) }}

),

-- one row per team and game: the home view and the away view
team_games as (

    select
        schedule.standard_game_id as game_id,
        schedule.game_id as nba_game_id,
        schedule.game_date,
        schedule.game_date_est,
        schedule.season_year,
        schedule.season_type,
        schedule.is_final,
        case when sides.home_game then schedule.home_team_abbr else schedule.away_team_abbr end
            as team_abbr,
        case when sides.home_game then schedule.away_team_abbr else schedule.home_team_abbr end
            as opponent_team_abbr,
        sides.home_game,
        case when sides.home_game then schedule.home_team_score else schedule.away_team_score end
            as points_for,
        case when sides.home_game then schedule.away_team_score else schedule.home_team_score end
            as points_against,
        schedule.processed_at
    from stg_nba_raw__nbac_schedule as schedule
    cross join (  -- noqa: ST05
        select true as home_game
        union all
        select false as home_game
    ) as sides

),

-- a team plays at most one game a day: keep the final, latest snapshot
final as (

    select *
    from team_games
    qualify row_number() over (
            partition by game_date, team_abbr
            order by is_final desc, processed_at desc, game_id asc
        ) = 1

)

select * from final
