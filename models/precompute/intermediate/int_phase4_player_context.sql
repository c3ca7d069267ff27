{{ config(materialized='ephemeral') }}

{#-
    The upcoming context of each player for each Phase 4 date D, for
    player_composite_factors and player_daily_cache: one place for the
    UPCG -> PGS fallback (domain.md §3.4, §4.3; the seeds' 2026-01-06
    incident).

    Per date: when upcoming_player_game_context holds at least
    var upcg_fallback_pct (90) % of player_game_summary's distinct players
    of D, the context is UPCG's rows of D (context_source
    'upcoming_player_game_context'); otherwise a synthetic context built
    from PGS (context_source 'player_game_summary_fallback'): the universe
    is every PGS row of D (active, DNP and inactive: D's rows only say who
    is listed for which team against whom; none of D's stats are read), and
    the fatigue fields come from the player's played games strictly before D
    in D's season: days_rest = days since the previous game (NULL without
    one; decisions.md fix 2), back_to_back = (days_rest = 1), games and
    minutes over the last 7 / 14 days, avg minutes over the last 7 days,
    back_to_backs_last_14_days 0 (as production), avg usage over the last 7
    games (fix 5); player_age, projected_usage_rate and pace_differential
    NULL, star_teammates_out 0.

    Both sources add last_team_abbr (int_phase4_player_last_teams): the
    player's team in his most recent PGS row before D in D's season (the team
    of the completeness block).
-#}

{#- the fallback's day windows: games and minutes over the last 7 and 14 days
    (recent_day_windows); its usage over the last 7 played games is
    int_phase4_played_sequence's -#}
{%- set recent_window_days = 14 -%}

with

int_phase4_analysis_dates as (

    select
        analysis_date,
        season_year
    from {{ ref('int_phase4_analysis_dates') }}

),

upcoming_player_game_context as (

    select
        game_date,
        player_lookup,
        universal_player_id,
        game_id,
        team_abbr,
        opponent_team_abbr,
        home_game,
        days_rest,
        back_to_back,
        games_in_last_7_days,
        games_in_last_14_days,
        minutes_in_last_7_days,
        minutes_in_last_14_days,
        avg_minutes_per_game_last_7,
        back_to_backs_last_14_days,
        player_age,
        avg_usage_rate_last_7_games,
        star_teammates_out,
        pace_differential
    from {{ ref('upcoming_player_game_context') }}
    where {{ in_run_window('game_date') }}

),

player_game_summary as (

    select
        game_date,
        season_year,
        player_lookup,
        universal_player_id,
        game_id,
        team_abbr,
        opponent_team_abbr,
        home_game
    from {{ ref('player_game_summary') }}
    where {{ in_run_window('game_date') }}

),

int_phase4_played_games as (

    select
        game_date,
        season_year,
        player_lookup,
        minutes_played
    from {{ ref('int_phase4_played_games') }}

),

int_phase4_played_sequence as (

    select
        player_lookup,
        season_year,
        game_date,
        avg_usage_rate_last_7_games,
        next_game_date
    from {{ ref('int_phase4_played_sequence') }}

),

int_phase4_player_last_teams as (

    select
        analysis_date,
        player_lookup,
        last_team_abbr
    from {{ ref('int_phase4_player_last_teams') }}

),

-- ---------------------------------------------------------------- decision

upcg_counts as (

    select
        game_date,
        count(distinct player_lookup) as upcg_players
    from upcoming_player_game_context
    group by 1

),

-- the same relation is the expected side of the Phase 4 coverage tests
pgs_counts as (

    select
        game_date,
        count(distinct player_lookup) as pgs_players
    from {{ ref('int_phase4_pgs_players') }}
    group by 1

),

date_sources as (

    select
        dates.analysis_date,
        dates.season_year,
        coalesce(upcg_counts.upcg_players, 0) as upcg_players_count,
        coalesce(pgs_counts.pgs_players, 0) as pgs_players_count,
        {{ context_source('upcg_counts.upcg_players', 'pgs_counts.pgs_players') }}
            as context_source
    from int_phase4_analysis_dates as dates
    left join upcg_counts
        on upcg_counts.game_date = dates.analysis_date
    left join pgs_counts
        on pgs_counts.game_date = dates.analysis_date

),

-- ---------------------------------------------------------------- UPCG

upcg_context as (

    select
        date_sources.analysis_date,
        date_sources.season_year,
        upcg.player_lookup,
        upcg.universal_player_id,
        upcg.game_id,
        upcg.team_abbr,
        upcg.opponent_team_abbr,
        upcg.home_game,
        cast(upcg.days_rest as {{ dbt.type_int() }}) as days_rest,
        upcg.back_to_back,
        cast(upcg.games_in_last_7_days as {{ dbt.type_int() }}) as games_in_last_7_days,
        cast(upcg.games_in_last_14_days as {{ dbt.type_int() }}) as games_in_last_14_days,
        cast(upcg.minutes_in_last_7_days as {{ type_float64() }}) as minutes_in_last_7_days,
        cast(upcg.minutes_in_last_14_days as {{ type_float64() }}) as minutes_in_last_14_days,
        cast(upcg.avg_minutes_per_game_last_7 as {{ type_float64() }})
            as avg_minutes_per_game_last_7,
        cast(upcg.back_to_backs_last_14_days as {{ dbt.type_int() }})
            as back_to_backs_last_14_days,
        cast(upcg.player_age as {{ dbt.type_int() }}) as player_age,
        cast(upcg.avg_usage_rate_last_7_games as {{ type_float64() }})
            as avg_usage_rate_last_7_games,
        cast(upcg.star_teammates_out as {{ dbt.type_int() }}) as star_teammates_out,
        cast(upcg.pace_differential as {{ type_float64() }}) as pace_differential,
        true as has_upcg_row,
        date_sources.context_source,
        date_sources.upcg_players_count,
        date_sources.pgs_players_count
    from date_sources
    inner join upcoming_player_game_context as upcg
        on upcg.game_date = date_sources.analysis_date
    where date_sources.context_source = 'upcoming_player_game_context'

),

-- ---------------------------------------------------------------- fallback

fallback_universe as (

    select
        date_sources.analysis_date,
        date_sources.season_year,
        pgs.player_lookup,
        pgs.universal_player_id,
        pgs.game_id,
        pgs.team_abbr,
        pgs.opponent_team_abbr,
        pgs.home_game,
        date_sources.context_source,
        date_sources.upcg_players_count,
        date_sources.pgs_players_count
    from date_sources
    inner join player_game_summary as pgs
        on pgs.game_date = date_sources.analysis_date
    where date_sources.context_source = 'player_game_summary_fallback'

),

-- each fallback row: the player's last played game of the season strictly
-- before D (the game whose next one is on or after D)
fallback_last_game as (

    select
        fallback_universe.analysis_date,
        fallback_universe.player_lookup,
        played.game_date as last_game_date,
        played.avg_usage_rate_last_7_games
    from fallback_universe
    inner join int_phase4_played_sequence as played
        on played.player_lookup = fallback_universe.player_lookup
        and played.season_year = fallback_universe.season_year
        and {{ last_game_before('played', 'fallback_universe.analysis_date') }}

),

-- the day windows: the played games of the 14 days before D
fallback_recent_games as (

    select
        fallback_universe.analysis_date,
        fallback_universe.player_lookup,
        played.minutes_played,
        {{ recent_day_windows('played.game_date', 'fallback_universe.analysis_date') }}
    from fallback_universe
    inner join int_phase4_played_games as played
        on played.player_lookup = fallback_universe.player_lookup
        and played.season_year = fallback_universe.season_year
        and played.game_date < fallback_universe.analysis_date
        and played.game_date
        > cast({{ dbt.dateadd('day', -recent_window_days, 'fallback_universe.analysis_date') }} as date)

),

fallback_recent as (

    select
        analysis_date,
        player_lookup,
        sum(case when is_last_7_days then 1 else 0 end) as games_in_last_7_days,
        sum(case when is_last_14_days then 1 else 0 end) as games_in_last_14_days,
        {{ sum_tenths("case when is_last_7_days then minutes_played end") }} as minutes_7_days,
        {{ sum_tenths("case when is_last_14_days then minutes_played end") }} as minutes_14_days
    from fallback_recent_games
    group by 1, 2

),

fallback_fatigue as (

    select
        fallback_last_game.analysis_date,
        fallback_last_game.player_lookup,
        fallback_last_game.last_game_date,
        fallback_recent.games_in_last_7_days,
        fallback_recent.games_in_last_14_days,
        fallback_recent.minutes_7_days,
        fallback_recent.minutes_14_days,
        fallback_last_game.avg_usage_rate_last_7_games
    from fallback_last_game
    left join fallback_recent
        on fallback_recent.analysis_date = fallback_last_game.analysis_date
        and fallback_recent.player_lookup = fallback_last_game.player_lookup

),

fallback_context as (

    select
        fallback_universe.analysis_date,
        fallback_universe.season_year,
        fallback_universe.player_lookup,
        fallback_universe.universal_player_id,
        fallback_universe.game_id,
        fallback_universe.team_abbr,
        fallback_universe.opponent_team_abbr,
        fallback_universe.home_game,
        cast(                                                {{ dbt.datediff('fallback_fatigue.last_game_date', 'fallback_universe.analysis_date', 'day') }}  -- noqa: LT02,LT05
            as {{ dbt.type_int() }}
        ) as days_rest,
        coalesce(                                                                        {{ dbt.datediff('fallback_fatigue.last_game_date', 'fallback_universe.analysis_date', 'day') }} = 1,  -- noqa: LT02,LT05
            false
        ) as back_to_back,
        cast(coalesce(fallback_fatigue.games_in_last_7_days, 0) as {{ dbt.type_int() }})
            as games_in_last_7_days,
        cast(coalesce(fallback_fatigue.games_in_last_14_days, 0) as {{ dbt.type_int() }})
            as games_in_last_14_days,
        cast(round(coalesce(fallback_fatigue.minutes_7_days, 0), 0) as {{ type_float64() }})
            as minutes_in_last_7_days,
        cast(round(coalesce(fallback_fatigue.minutes_14_days, 0), 0) as {{ type_float64() }})
            as minutes_in_last_14_days,
        cast(case when fallback_fatigue.games_in_last_7_days > 0
                then round(fallback_fatigue.minutes_7_days / fallback_fatigue.games_in_last_7_days, 1)
        end as {{ type_float64() }}) as avg_minutes_per_game_last_7,
        cast(0 as {{ dbt.type_int() }}) as back_to_backs_last_14_days,
        cast(null as {{ dbt.type_int() }}) as player_age,
        cast(round(fallback_fatigue.avg_usage_rate_last_7_games, 2) as {{ type_float64() }})
            as avg_usage_rate_last_7_games,
        cast(0 as {{ dbt.type_int() }}) as star_teammates_out,
        cast(null as {{ type_float64() }}) as pace_differential,
        false as has_upcg_row,
        fallback_universe.context_source,
        fallback_universe.upcg_players_count,
        fallback_universe.pgs_players_count
    from fallback_universe
    left join fallback_fatigue
        on fallback_fatigue.analysis_date = fallback_universe.analysis_date
        and fallback_fatigue.player_lookup = fallback_universe.player_lookup

),

contexts as (

    select * from upcg_context
    union all
    select * from fallback_context

),

final as (

    select
        contexts.*,
        int_phase4_player_last_teams.last_team_abbr
    from contexts
    left join int_phase4_player_last_teams
        on int_phase4_player_last_teams.analysis_date = contexts.analysis_date
        and int_phase4_player_last_teams.player_lookup = contexts.player_lookup

)

select * from final
