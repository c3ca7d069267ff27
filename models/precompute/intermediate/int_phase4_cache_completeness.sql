{{ config(materialized='ephemeral') }}

{#-
    The completeness of player_daily_cache (domain.md §3.3): one row per cache
    date D and player of int_phase4_cache_players with expected games, over
    four windows against player_game_summary (DNP-aware): the last 5 team
    games (the headline counts), the last 10, and the last 7 and 14 days, the
    day windows extended by the schedule break before D (the All-Star break).
    The team is the player's last team (last_team_abbr); the expected games
    are his team's final schedule games of the season before D
    (macro phase4_window_completeness).
-#}

{%- set headline_window = 5 -%}
{%- set completeness_lookback_days = 30 -%}
{#- the longest day window: 14 days plus a break of at most 30 days -#}
{%- set history_lookback_days = 45 -%}

with

int_phase4_cache_players as (

    select
        analysis_date,
        season_year,
        player_lookup,
        last_team_abbr,
        schedule_break_days
    from {{ ref('int_phase4_cache_players') }}

),

player_game_summary as (

    select
        player_lookup,
        game_date
    from {{ ref('player_game_summary') }}
    where {{ in_run_window('game_date', lookback_days=history_lookback_days) }}

),

-- the headline window: the last 5 team games
completeness_l5 as (

    {{ phase4_window_completeness(
        entities='int_phase4_cache_players', entity_key='player_lookup', team_column='last_team_abbr',
        history='player_game_summary', history_key='player_lookup',
        window_games=headline_window, lookback_days=completeness_lookback_days) }}

),

completeness_l10 as (

    {{ phase4_window_completeness(
        entities='int_phase4_cache_players', entity_key='player_lookup', team_column='last_team_abbr',
        history='player_game_summary', history_key='player_lookup',
        window_games=10, lookback_days=completeness_lookback_days) }}

),

-- day windows: 7 and 14 days, plus the schedule break before D
completeness_l7d as (

    {{ phase4_window_completeness(
        entities='int_phase4_cache_players', entity_key='player_lookup', team_column='last_team_abbr',
        history='player_game_summary', history_key='player_lookup',
        window_games=none, lookback_days=7, extra_lookback_column='schedule_break_days') }}

),

completeness_l14d as (

    {{ phase4_window_completeness(
        entities='int_phase4_cache_players', entity_key='player_lookup', team_column='last_team_abbr',
        history='player_game_summary', history_key='player_lookup',
        window_games=none, lookback_days=14, extra_lookback_column='schedule_break_days') }}

),

final as (

    select
        players.analysis_date,
        players.player_lookup,
        completeness_l5.expected_games_count,
        completeness_l5.actual_games_count,
        {{ phase4_completeness_pct('completeness_l10.expected_games_count',
                                   'completeness_l10.actual_games_count') }} as l10_completeness_pct,
        {{ phase4_completeness_pct('completeness_l7d.expected_games_count',
                                   'completeness_l7d.actual_games_count') }} as l7d_completeness_pct,
        {{ phase4_completeness_pct('completeness_l14d.expected_games_count',
                                   'completeness_l14d.actual_games_count') }} as l14d_completeness_pct
    from int_phase4_cache_players as players
    left join completeness_l5
        on completeness_l5.analysis_date = players.analysis_date
        and completeness_l5.entity_key = players.player_lookup
    left join completeness_l10
        on completeness_l10.analysis_date = players.analysis_date
        and completeness_l10.entity_key = players.player_lookup
    left join completeness_l7d
        on completeness_l7d.analysis_date = players.analysis_date
        and completeness_l7d.entity_key = players.player_lookup
    left join completeness_l14d
        on completeness_l14d.analysis_date = players.analysis_date
        and completeness_l14d.entity_key = players.player_lookup

)

select * from final
