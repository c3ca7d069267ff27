{{ config(
    tags=['phase4'],
    **phase_incremental_config('analysis_date', ['team_abbr', 'analysis_date'])
) }}

{#-
    team_defense_zone_analysis (TDZA), domain.md §3.1. One row per analysis
    date D (a non-bootstrap game date) and team with TDGS games this season
    before D. Metrics over the team's last 15 TDGS games strictly before D
    (same season); league averages over TDGS games with D-30 <= date < D
    (strictly before D, unlike production). Teams below the dynamic minimum
    keep their row with metrics NULL, tier 'low' and a reason.
-#}

{%- set window_games = 15 -%}
{#- a team's last 15 games of the season up to and including a game -#}
{%- set frame = season_frame('team_abbr', window_games) -%}
{#- the team's games of D's season: the look-back only prunes the scan (a season spans under
    season_lookback_days), so any split of the history into runs gives the same rows (a team idle for two
    months keeps its row in a one-date run) -#}
{%- set season_lookback_days = var('season_lookback_days') -%}
{%- set league_window_days = 30 -%}
{#- completeness checker look-back for a game window: max(N·3, 30) days -#}
{%- set completeness_lookback_days = [window_games * 3, 30] | max -%}

with

int_phase4_analysis_dates as (

    select
        analysis_date,
        season_year,
        days_into_season,
        is_bootstrap_date
    from {{ ref('int_phase4_analysis_dates') }}
    where {{ in_run_window('analysis_date') }}

),

team_defense_game_summary as (

    select
        game_date,
        season_year,
        team_abbr,
        points_allowed,
        opp_paint_attempts,
        opp_paint_makes,
        opp_mid_range_attempts,
        opp_mid_range_makes,
        opp_three_pt_attempts,
        opp_three_pt_makes,
        points_in_paint_allowed,
        mid_range_points_allowed,
        three_pt_points_allowed,
        blocks_paint,
        blocks_mid_range,
        blocks_three_pt,
        defensive_rating,
        opponent_pace
    from {{ ref('team_defense_game_summary') }}
    where {{ in_run_window('game_date', lookback_days=season_lookback_days) }}
        and primary_source_used <> 'none'

),

-- each team's TDGS games of the season in order, with the sums over the last 15
-- of them up to and including that game: one pass over the games (a scan), not
-- every date joined with every earlier game (a square)
game_sequence as (

    select
        team_abbr,
        season_year,
        game_date,
        count(*) over ({{ frame }}) as games_in_sample,
        {%- for column, name in [
                ('opp_paint_attempts', 'paint_attempts'),
                ('opp_paint_makes', 'paint_makes'),
                ('opp_mid_range_attempts', 'mid_range_attempts'),
                ('opp_mid_range_makes', 'mid_range_makes'),
                ('opp_three_pt_attempts', 'three_pt_attempts'),
                ('opp_three_pt_makes', 'three_pt_makes'),
                ('points_in_paint_allowed', 'paint_points'),
                ('mid_range_points_allowed', 'mid_range_points'),
                ('three_pt_points_allowed', 'three_pt_points'),
                ('blocks_paint', 'paint_blocks'),
                ('blocks_mid_range', 'mid_range_blocks'),
                ('blocks_three_pt', 'three_pt_blocks'),
                ('points_allowed', 'points_allowed')] %}
            sum({{ column }}) over ({{ frame }}) as {{ name }},
        {%- endfor %}
        {{ exact_avg('defensive_rating', over=frame) }} as defensive_rating,
        {{ exact_avg('opponent_pace', over=frame) }} as opponent_pace,
        {{ next_game_date('team_abbr') }} as next_game_date
    from team_defense_game_summary

),

-- each date's teams: the window as of their last game of the season strictly
-- before D (the game whose next one is on or after D)
team_window as (

    select
        dates.analysis_date,
        games.team_abbr,
        dates.season_year,
        dates.days_into_season,
        dates.is_bootstrap_date,
        games.games_in_sample,
        games.paint_attempts,
        games.paint_makes,
        games.mid_range_attempts,
        games.mid_range_makes,
        games.three_pt_attempts,
        games.three_pt_makes,
        games.paint_points,
        games.mid_range_points,
        games.three_pt_points,
        games.paint_blocks,
        games.mid_range_blocks,
        games.three_pt_blocks,
        games.points_allowed,
        games.defensive_rating,
        games.opponent_pace
    from int_phase4_analysis_dates as dates
    inner join game_sequence as games
        on games.season_year = dates.season_year
        and {{ last_game_before('games', 'dates.analysis_date') }}

),

-- league averages: per team over D-30 <= date < D, teams with >= 10 games
league_team_pcts as (

    select
        dates.analysis_date,
        tdgs.team_abbr,
        1.0 * sum(tdgs.opp_paint_makes) / nullif(sum(tdgs.opp_paint_attempts), 0) as paint_pct,
        1.0 * sum(tdgs.opp_mid_range_makes) / nullif(sum(tdgs.opp_mid_range_attempts), 0)
            as mid_range_pct,
        1.0 * sum(tdgs.opp_three_pt_makes) / nullif(sum(tdgs.opp_three_pt_attempts), 0)
            as three_pt_pct
    from int_phase4_analysis_dates as dates
    inner join team_defense_game_summary as tdgs
        on tdgs.season_year = dates.season_year
        and tdgs.game_date < dates.analysis_date
        and tdgs.game_date
        >= cast({{ dbt.dateadd('day', -league_window_days, 'dates.analysis_date') }} as date)
    group by 1, 2
    having count(*) >= 10

),

league_averages as (

    select
        dates.analysis_date,
        count(league_team_pcts.team_abbr) as qualifying_teams,
        {{ exact_avg('league_team_pcts.paint_pct') }} as paint_pct,
        {{ exact_avg('league_team_pcts.mid_range_pct') }} as mid_range_pct,
        {{ exact_avg('league_team_pcts.three_pt_pct') }} as three_pt_pct
    from int_phase4_analysis_dates as dates
    left join league_team_pcts
        on league_team_pcts.analysis_date = dates.analysis_date
    group by 1

),

league_with_defaults as (

    select
        analysis_date,
        qualifying_teams,
        qualifying_teams < 10 as uses_default_league_averages,
        case when qualifying_teams >= 10 then paint_pct else 0.580 end as league_paint_pct,
        case when qualifying_teams >= 10 then mid_range_pct else 0.410 end
            as league_mid_range_pct,
        case when qualifying_teams >= 10 then three_pt_pct else 0.355 end
            as league_three_pt_pct
    from league_averages

),

completeness as (

    {{ phase4_window_completeness(
        entities='team_window', entity_key='team_abbr', team_column='team_abbr',
        history='team_defense_game_summary', history_key='team_abbr',
        window_games=window_games, lookback_days=completeness_lookback_days) }}

),

metrics as (

    select
        team_window.analysis_date,
        team_window.team_abbr,
        team_window.season_year,
        team_window.days_into_season,
        team_window.is_bootstrap_date,
        team_window.games_in_sample,
        {{ phase4_min_games('team_window.days_into_season', 5, 14, window_games) }}
            as min_games_required,
        team_window.paint_attempts,
        team_window.mid_range_attempts,
        team_window.three_pt_attempts,
        1.0 * team_window.paint_makes / nullif(team_window.paint_attempts, 0) as paint_pct,
        1.0 * team_window.mid_range_makes / nullif(team_window.mid_range_attempts, 0)
            as mid_range_pct,
        1.0 * team_window.three_pt_makes / nullif(team_window.three_pt_attempts, 0)
            as three_pt_pct,
        1.0 * team_window.paint_attempts / team_window.games_in_sample
            as paint_attempts_per_game,
        1.0 * team_window.mid_range_attempts / team_window.games_in_sample
            as mid_range_attempts_per_game,
        1.0 * team_window.three_pt_attempts / team_window.games_in_sample
            as three_pt_attempts_per_game,
        1.0 * team_window.paint_points / team_window.games_in_sample as paint_points_per_game,
        1.0 * team_window.mid_range_points / team_window.games_in_sample
            as mid_range_points_per_game,
        1.0 * team_window.three_pt_points / team_window.games_in_sample
            as three_pt_points_per_game,
        1.0 * team_window.paint_blocks / team_window.games_in_sample as paint_blocks_per_game,
        1.0 * team_window.mid_range_blocks / team_window.games_in_sample
            as mid_range_blocks_per_game,
        1.0 * team_window.three_pt_blocks / team_window.games_in_sample
            as three_pt_blocks_per_game,
        1.0 * team_window.points_allowed / team_window.games_in_sample
            as opponent_points_per_game,
        team_window.defensive_rating,
        team_window.opponent_pace,
        league_with_defaults.qualifying_teams,
        league_with_defaults.uses_default_league_averages,
        league_with_defaults.league_paint_pct,
        league_with_defaults.league_mid_range_pct,
        league_with_defaults.league_three_pt_pct,
        completeness.expected_games_count,
        completeness.actual_games_count
    from team_window
    inner join league_with_defaults
        on league_with_defaults.analysis_date = team_window.analysis_date
    left join completeness
        on completeness.analysis_date = team_window.analysis_date
        and completeness.entity_key = team_window.team_abbr

),

gated as (

    select
        *,
        games_in_sample >= min_games_required as has_enough_games,
        (paint_pct - league_paint_pct) * 100 as paint_vs_league,
        (mid_range_pct - league_mid_range_pct) * 100 as mid_range_vs_league,
        (three_pt_pct - league_three_pt_pct) * 100 as three_pt_vs_league
    from metrics

),

{%- set metric_columns = [
    ('paint_pct_allowed_last_15', 'paint_pct', 3),
    ('mid_range_pct_allowed_last_15', 'mid_range_pct', 3),
    ('three_pt_pct_allowed_last_15', 'three_pt_pct', 3),
    ('paint_attempts_allowed_per_game', 'paint_attempts_per_game', 1),
    ('mid_range_attempts_allowed_per_game', 'mid_range_attempts_per_game', 1),
    ('three_pt_attempts_allowed_per_game', 'three_pt_attempts_per_game', 1),
    ('paint_points_allowed_per_game', 'paint_points_per_game', 1),
    ('mid_range_points_allowed_per_game', 'mid_range_points_per_game', 1),
    ('three_pt_points_allowed_per_game', 'three_pt_points_per_game', 1),
    ('paint_blocks_per_game', 'paint_blocks_per_game', 2),
    ('mid_range_blocks_per_game', 'mid_range_blocks_per_game', 2),
    ('three_pt_blocks_per_game', 'three_pt_blocks_per_game', 2),
    ('paint_defense_vs_league_avg', 'paint_vs_league', 2),
    ('mid_range_defense_vs_league_avg', 'mid_range_vs_league', 2),
    ('three_pt_defense_vs_league_avg', 'three_pt_vs_league', 2),
    ('defensive_rating_last_15', 'defensive_rating', 2),
    ('opponent_points_per_game', 'opponent_points_per_game', 1),
    ('opponent_pace', 'opponent_pace', 2),
] %}

shaped as (

    select
        team_abbr,
        analysis_date,
        season_year,
        {%- for name, expr, decimals in metric_columns %}
            cast(
                case when has_enough_games then round({{ expr }}, {{ decimals }}) end
                as {{ type_float64() }}
            ) as {{ name }},
        {%- endfor %}
        case when has_enough_games then
                {{ tdza_extreme_zone('paint_vs_league', 'mid_range_vs_league', 'three_pt_vs_league', 'strongest') }}
        end as strongest_zone,
        case when has_enough_games then
                {{ tdza_extreme_zone('paint_vs_league', 'mid_range_vs_league', 'three_pt_vs_league', 'weakest') }}
        end as weakest_zone,
        cast(games_in_sample as {{ dbt.type_int() }}) as games_in_sample,
        cast(min_games_required as {{ dbt.type_int() }}) as min_games_required,
        case
            when not has_enough_games then 'low'
            when games_in_sample >= 15 then 'high'
            when games_in_sample >= 10 then 'medium'
            else 'low'
        end as data_quality_tier,
        nullif(rtrim({{ dbt.concat([
            "case when coalesce(paint_attempts, 0) = 0 then 'No paint attempts,' else '' end",
            "case when coalesce(mid_range_attempts, 0) = 0 then 'No mid-range attempts,' else '' end",
            "case when coalesce(three_pt_attempts, 0) = 0 then 'No three-point attempts,' else '' end",
            "case when uses_default_league_averages then 'Default league averages,' else '' end",
        ]) }}, ','), '') as calculation_notes,
        cast(round(league_paint_pct, 3) as {{ type_float64() }}) as league_avg_paint_pct,
        cast(round(league_mid_range_pct, 3) as {{ type_float64() }}) as league_avg_mid_range_pct,
        cast(round(league_three_pt_pct, 3) as {{ type_float64() }}) as league_avg_three_pt_pct,
        cast(qualifying_teams as {{ dbt.type_int() }}) as league_avg_teams_count,

        -- completeness block
        {{ phase4_completeness_columns(
            'expected_games_count', 'actual_games_count', 'analysis_date', 'days_into_season') }},
        min_games_required < {{ window_games }} as early_season_flag,
        {{ insufficient_games_reason('games_in_sample', 'min_games_required') }}
            as insufficient_data_reason,
        nullif(rtrim({{ dbt.concat([
            "case when not has_enough_games then 'insufficient_games,' else '' end",
            "case when coalesce(actual_games_count, 0) < coalesce(expected_games_count, 0) then 'missing_upstream_games,' else '' end",
            "case when uses_default_league_averages then 'default_league_averages,' else '' end",
        ]) }}, ','), '') as data_quality_issues,
        case
            when not has_enough_games then 'insufficient_data'
            when is_bootstrap_date then 'processed_bootstrap_included'
            when min_games_required < {{ window_games }} then 'processed_early_season'
            else 'processed'
        end as processing_decision_reason
    from gated

),

{%- set hash_fields = [
        'team_abbr',
        'analysis_date',
        'paint_pct_allowed_last_15',
        'mid_range_pct_allowed_last_15',
        'three_pt_pct_allowed_last_15',
        'paint_attempts_allowed_per_game',
        'mid_range_attempts_allowed_per_game',
        'three_pt_attempts_allowed_per_game',
        'paint_points_allowed_per_game',
        'mid_range_points_allowed_per_game',
        'three_pt_points_allowed_per_game',
        'paint_blocks_per_game',
        'mid_range_blocks_per_game',
        'three_pt_blocks_per_game',
        'paint_defense_vs_league_avg',
        'mid_range_defense_vs_league_avg',
        'three_pt_defense_vs_league_avg',
        'defensive_rating_last_15',
        'opponent_points_per_game',
        'opponent_pace',
        'strongest_zone',
        'weakest_zone',
        'games_in_sample',
        'data_quality_tier',
] %}

final as (

    select
        shaped.*,
        {{ row_data_hash(hash_fields) }} as data_hash
    from shaped

)

select * from final
