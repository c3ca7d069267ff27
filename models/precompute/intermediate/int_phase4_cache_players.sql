{{ config(materialized='ephemeral') }}

{#-
    The players of player_daily_cache (domain.md §3.3) with their stats: one
    row per cache date D and player. The universe is D's upcoming context
    (int_phase4_player_context: UPCG, or the PGS fallback) plus the roster
    expansion: players whose last played game of the season before D is one
    of the last 30 days, for a team of D's context, without a context row
    (their fatigue fields NULL). Each gets the stats of his last played game
    of the season strictly before D (int_phase4_played_sequence) and is kept
    with at least 3 played games this season before D (the cache's minimum).
-#}

{%- set expansion_days = 30 -%}
{%- set min_games = 3 -%}

with

int_phase4_analysis_dates as (

    select
        analysis_date,
        season_year,
        days_into_season,
        is_bootstrap_date,
        schedule_break_days
    from {{ ref('int_phase4_analysis_dates') }}
    where {{ in_run_window('analysis_date') }}

),

int_phase4_player_context as (

    select *
    from {{ ref('int_phase4_player_context') }}
    where {{ in_run_window('analysis_date') }}

),

int_phase4_played_sequence as (

    select *
    from {{ ref('int_phase4_played_sequence') }}

),

-- ---------------------------------------------------------------- universe

context_players as (

    select
        analysis_date,
        season_year,
        player_lookup,
        universal_player_id,
        team_abbr,
        last_team_abbr,
        true as has_context_row,
        games_in_last_7_days,
        games_in_last_14_days,
        minutes_in_last_7_days,
        minutes_in_last_14_days,
        back_to_backs_last_14_days,
        avg_minutes_per_game_last_7,
        player_age,
        context_source
    from int_phase4_player_context

),

date_teams as (

    select distinct
        analysis_date,
        team_abbr,
        context_source
    from context_players
    where team_abbr is not null

),

-- the player's last played game of the season before D (the game whose next
-- one is on or after D), when it is one of the last 30 days
last_recent_games as (

    select
        dates.analysis_date,
        dates.season_year,
        played.player_lookup,
        played.universal_player_id,
        played.team_abbr
    from int_phase4_analysis_dates as dates
    inner join int_phase4_played_sequence as played
        on played.season_year = dates.season_year
        and {{ last_game_before('played', 'dates.analysis_date') }}
    where played.game_date
        >= cast({{ dbt.dateadd('day', -expansion_days, 'dates.analysis_date') }} as date)

),

-- players whose latest played game of the last 30 days was for a team of D
expansion_players as (

    select
        date_teams.analysis_date,
        played.season_year,
        played.player_lookup,
        played.universal_player_id,
        played.team_abbr,
        played.team_abbr as last_team_abbr,
        false as has_context_row,
        cast(null as {{ dbt.type_int() }}) as games_in_last_7_days,
        cast(null as {{ dbt.type_int() }}) as games_in_last_14_days,
        cast(null as {{ type_float64() }}) as minutes_in_last_7_days,
        cast(null as {{ type_float64() }}) as minutes_in_last_14_days,
        cast(null as {{ dbt.type_int() }}) as back_to_backs_last_14_days,
        cast(null as {{ type_float64() }}) as avg_minutes_per_game_last_7,
        cast(null as {{ dbt.type_int() }}) as player_age,
        date_teams.context_source
    from last_recent_games as played
    inner join date_teams
        on date_teams.analysis_date = played.analysis_date
        and date_teams.team_abbr = played.team_abbr
    left join context_players
        on context_players.analysis_date = played.analysis_date
        and context_players.player_lookup = played.player_lookup
    where context_players.player_lookup is null

),

universe as (

    select * from context_players
    union all
    select * from expansion_players

),

-- ---------------------------------------------------------------- stats

-- each universe row: the player's stats as of his last played game of the
-- season strictly before D (the game whose next one is on or after D)
final as (

    select
        universe.*,
        dates.days_into_season,
        dates.is_bootstrap_date,
        dates.schedule_break_days,
        played.games_played_season,
        played.points_avg_last_5,
        played.points_avg_last_10,
        played.points_avg_season,
        played.points_std_last_10,
        played.minutes_avg_last_10,
        played.usage_rate_last_10,
        played.ts_pct_last_10,
        played.player_usage_rate_season,
        played.assisted_fg_makes_10,
        played.fg_makes_10
    from universe
    inner join int_phase4_analysis_dates as dates
        on dates.analysis_date = universe.analysis_date
    inner join int_phase4_played_sequence as played
        on played.player_lookup = universe.player_lookup
        and played.season_year = universe.season_year
        and {{ last_game_before('played', 'universe.analysis_date') }}
    where played.games_played_season >= {{ min_games }}

)

select * from final
