{{ config(materialized='ephemeral') }}

{#-
    One row per team per final schedule game date (home or away; regular
    season and playoffs), with its season: the "expected games" side of the
    Phase 4 completeness block (domain.md §3 completeness checker), read by
    the macro phase4_window_completeness. Reads var season_lookback_days (400) back so that a
    season-to-date window of any date in the run window is covered.
-#}

with

stg_nba_raw__nbac_schedule as (

    select
        game_date,
        season_year,
        home_team_abbr,
        away_team_abbr
    from {{ ref('stg_nba_raw__nbac_schedule') }}
    where {{ in_run_window('game_date', lookback_days=var('season_lookback_days')) }}
        and is_final
        and (is_regular_season or is_playoffs)

),

team_games as (

    select
        game_date,
        season_year,
        home_team_abbr as team_abbr
    from stg_nba_raw__nbac_schedule
    union all
    select
        game_date,
        season_year,
        away_team_abbr as team_abbr
    from stg_nba_raw__nbac_schedule

),

final as (

    select distinct
        team_abbr,
        season_year,
        game_date
    from team_games
    where team_abbr is not null

)

select * from final
