{{ config(materialized='ephemeral') }}

{#-
    The team history of each feature store row's team before D (domain.md
    §3.5, §4.1), one row per team of the universe rows that compute features
    (grain: game_date, team_abbr): its games, wins and last-10 pace and
    offensive rating from team_offense_game_summary in D's season before D
    (features 22-24's Phase 3 values; a placeholder team game is no game),
    and the final schedule games of D's season in the 60 days before D that
    player_game_summary holds no row of (historical_completeness's
    missing_game_dates).
-#}

{%- set history_lookback_days = 365 -%}
{%- set recent_days = 60 -%}

with

int_feature_store_universe as (

    select
        game_date,
        season_year,
        team_abbr,
        computes_features
    from {{ ref('int_feature_store_universe') }}

),

stg_nba_raw__nbac_schedule as (

    select
        game_date,
        season_year,
        standard_game_id,
        home_team_abbr,
        away_team_abbr
    from {{ ref('stg_nba_raw__nbac_schedule') }}
    -- the games of the 60 days before D (missing_game_dates)
    where {{ in_run_window('game_date', lookback_days=recent_days) }}
        and is_final
        -- the dates Phase 4 computes (int_phase4_analysis_dates): no exhibition game
        and (is_regular_season or is_playoffs)

),

player_game_summary as (

    select
        game_date,
        game_id
    from {{ ref('player_game_summary') }}
    -- the games player_game_summary holds (missing_game_dates)
    where {{ in_run_window('game_date', lookback_days=history_lookback_days) }}

),

team_offense_game_summary as (

    select
        game_date,
        season_year,
        team_abbr,
        pace,
        offensive_rating,
        win_flag
    from {{ ref('team_offense_game_summary') }}
    where {{ in_run_window('game_date', lookback_days=history_lookback_days) }}
        -- a placeholder team game (no source rows) is neither a game nor a loss
        and primary_source_used <> 'none'

),

-- ---------------------------------------------------------------- teams of D

teams as (

    select distinct
        game_date,
        season_year,
        team_abbr
    from int_feature_store_universe
    where computes_features

),

team_stats as (

    select
        teams.game_date,
        teams.team_abbr,
        count(*) as team_games,
        sum(case when togs.win_flag then 1 else 0 end) as team_wins,
        {{ exact_avg('case when togs.game_rank <= 10 then togs.pace end') }} as team_pace_last_10,
        {{ exact_avg('case when togs.game_rank <= 10 then togs.offensive_rating end') }}
            as team_off_rating_last_10
    from teams
    inner join (
        select
            togs_teams.game_date as anchor_date,
            togs_teams.team_abbr,
            togs.game_date,
            togs.win_flag,
            togs.pace,
            togs.offensive_rating,
            row_number() over (
                partition by togs_teams.game_date, togs_teams.team_abbr
                order by togs.game_date desc
            ) as game_rank
        from teams as togs_teams
        inner join team_offense_game_summary as togs
            on togs.team_abbr = togs_teams.team_abbr
            and togs.season_year = togs_teams.season_year
            and togs.game_date < togs_teams.game_date
    ) as togs
        on togs.anchor_date = teams.game_date
        and togs.team_abbr = teams.team_abbr
    group by 1, 2

),

-- the team's final games of D's season in the 60 days before D that
-- player_game_summary holds no row of: a date that failed with no published
-- rows, or was never built. The window went without them; the row names them
-- (historical_completeness.missing_game_dates) until the cascade rebuilds it.
missing_team_games as (

    select
        teams.game_date,
        teams.team_abbr,
        {{ array_agg_non_null('schedule.game_date', 'schedule.game_date', 'date') }}
            as missing_game_dates
    from teams
    inner join (  -- noqa: ST05
        select
            season_year,
            game_date,
            standard_game_id,
            home_team_abbr as team_abbr
        from stg_nba_raw__nbac_schedule
        union all
        select
            season_year,
            game_date,
            standard_game_id,
            away_team_abbr as team_abbr
        from stg_nba_raw__nbac_schedule
    ) as schedule
        on schedule.season_year = teams.season_year
        and schedule.team_abbr = teams.team_abbr
        and schedule.game_date < teams.game_date
        and schedule.game_date >= cast({{ dbt.dateadd('day', -recent_days, 'teams.game_date') }} as date)
    left join (  -- noqa: ST05
        select distinct game_id
        from player_game_summary
    ) as summarized_games
        on summarized_games.game_id = schedule.standard_game_id
    where summarized_games.game_id is null
    group by 1, 2

),

final as (

    select
        team_keys.game_date,
        team_keys.team_abbr,
        team_stats.team_games,
        team_stats.team_wins,
        team_stats.team_pace_last_10,
        team_stats.team_off_rating_last_10,
        missing_team_games.missing_game_dates
    from (
        select distinct
            game_date,
            team_abbr
        from teams
    ) as team_keys
    left join team_stats
        on team_stats.game_date = team_keys.game_date
        and team_stats.team_abbr = team_keys.team_abbr
    left join missing_team_games
        on missing_team_games.game_date = team_keys.game_date
        and missing_team_games.team_abbr = team_keys.team_abbr

)

select * from final
