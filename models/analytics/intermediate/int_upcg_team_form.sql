{{ config(materialized='ephemeral') }}

{#-
    Team form for the player context (domain.md §2.4): for every team of a
    universe row (the player's team and his opponent) on its date, the team's
    last 10 games of the season before the date (within 45 days; placeholder
    team games without source rows are no games): games found, mean and sample
    standard deviation of pace, offensive rating and rebounding rate
    (rebounds / possessions) from team_offense_game_summary, of defensive
    rating and the mean free-throw rate allowed (opponent FTA / FGA) from
    team_defense_game_summary. One row per (game_date, team_abbr) with a game.
-#}

{%- set recent_lookback_days = 45 -%}

with

team_offense_game_summary as (

    select
        game_date,
        season_year,
        team_abbr,
        pace,
        offensive_rating,
        rebounds,
        possessions
    from {{ ref('team_offense_game_summary') }}
    where {{ in_run_window('game_date', lookback_days=recent_lookback_days) }}
        -- a placeholder team game (no source rows) is no game of the window
        and primary_source_used <> 'none'

),

team_defense_game_summary as (

    select
        game_date,
        season_year,
        team_abbr,
        defensive_rating,
        opp_ft_attempts,
        opp_fg_attempts
    from {{ ref('team_defense_game_summary') }}
    where {{ in_run_window('game_date', lookback_days=recent_lookback_days) }}
        and primary_source_used <> 'none'

),

int_upcg_universe as (

    select
        game_date,
        season_year,
        team_abbr,
        opponent_team_abbr
    from {{ ref('int_upcg_universe') }}

),

team_dates_both_sides as (

    select
        game_date,
        season_year,
        team_abbr
    from int_upcg_universe
    where team_abbr is not null

    union all

    select
        game_date,
        season_year,
        opponent_team_abbr as team_abbr
    from int_upcg_universe
    where opponent_team_abbr is not null

),

team_dates as (

    select distinct
        game_date,
        season_year,
        team_abbr
    from team_dates_both_sides

),

-- each team's games (offence and defence of the same game side by side),
-- then one window: its last 10 games this season before the date
team_games as (

    select
        coalesce(team_offense_game_summary.game_date, team_defense_game_summary.game_date)
            as game_date,
        coalesce(team_offense_game_summary.season_year, team_defense_game_summary.season_year)
            as season_year,
        coalesce(team_offense_game_summary.team_abbr, team_defense_game_summary.team_abbr)
            as team_abbr,
        team_offense_game_summary.pace,
        team_offense_game_summary.offensive_rating,
        team_offense_game_summary.rebounds
        / nullif(team_offense_game_summary.possessions, 0)
            as rebounding_rate,
        team_defense_game_summary.defensive_rating,
        team_defense_game_summary.opp_ft_attempts
        / nullif(team_defense_game_summary.opp_fg_attempts, 0)
            as ft_rate_allowed,
        team_offense_game_summary.team_abbr is not null as has_offense,
        team_defense_game_summary.team_abbr is not null as has_defense
    from team_offense_game_summary
    full outer join team_defense_game_summary
        on team_defense_game_summary.game_date = team_offense_game_summary.game_date
        and team_defense_game_summary.team_abbr = team_offense_game_summary.team_abbr

),

team_last_10 as (

    select
        team_dates.game_date,
        team_dates.team_abbr,
        team_games.pace,
        team_games.offensive_rating,
        team_games.rebounding_rate,
        team_games.defensive_rating,
        team_games.ft_rate_allowed,
        team_games.has_offense,
        team_games.has_defense
    from team_dates
    inner join team_games
        on team_games.team_abbr = team_dates.team_abbr
        and team_games.season_year = team_dates.season_year
        and team_games.game_date < team_dates.game_date
        and team_games.game_date
        >= cast({{ dbt.dateadd('day', -recent_lookback_days, 'team_dates.game_date') }} as date)
    qualify row_number() over (
            partition by team_dates.game_date, team_dates.team_abbr
            order by team_games.game_date desc
        ) <= 10

),

final as (

    select
        game_date,
        team_abbr,
        sum(case when has_offense then 1 else 0 end) as games_found,
        {{ exact_avg('case when has_offense then pace end') }} as avg_pace,
        {{ exact_stddev_samp('case when has_offense then pace end', decimals=4) }} as stddev_pace,
        {{ exact_avg('case when has_offense then offensive_rating end') }} as avg_off_rating,
        {{ exact_stddev_samp('case when has_offense then offensive_rating end', decimals=4) }} as stddev_off_rating,
        {{ exact_avg('case when has_offense then rebounding_rate end') }} as avg_rebounding_rate,
        {{ exact_stddev_samp('case when has_offense then rebounding_rate end', decimals=6) }} as stddev_rebounding_rate,
        {{ exact_avg('case when has_defense then defensive_rating end') }} as avg_def_rating,
        {{ exact_stddev_samp('case when has_defense then defensive_rating end', decimals=4) }} as stddev_def_rating,
        {{ exact_avg('case when has_defense then ft_rate_allowed end') }} as avg_ft_rate_allowed
    from team_last_10
    group by 1, 2

)

select * from final
