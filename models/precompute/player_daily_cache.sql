-- depends_on: {{ ref('player_composite_factors') }}
{{ config(
    tags=['phase4'],
    **phase_incremental_config(
        'cache_date', ['player_lookup', 'universal_player_id'])
) }}

{#-
    player_daily_cache (PDC), domain.md §3.3. One row per cache date D
    (= analysis date, a non-bootstrap game date) and player, split by concern:
    - int_phase4_cache_players: the players (D's upcoming context, UPCG or the
      PGS fallback, plus the roster expansion with NULL fatigue fields), kept
      with at least 3 played games this season before D, and their stats over
      those games, newest first (int_phase4_played_sequence);
    - int_phase4_cache_completeness: the four completeness windows (the last 5
      and 10 team games, the last 7 and 14 days extended by the schedule break
      before D), DNP-aware against player_game_summary;
    - here: team pace / offensive rating over the team's last 10 TOGS games
      before D, shot zones from PSZA of D, and the row's shape: rounding, the
      completeness block (headline L5; is_production_ready needs all four
      windows at >= var production_ready_pct), quality tier, reasons and hash.
    The depends_on comment orders PDC after player_composite_factors
    (domain.md §5.2), which it does not read.
-#}

{%- set season_lookback_days = var('season_lookback_days') -%}
{#- the team's last 10 games of the season, newest last -#}
{%- set last_10 = season_frame('team_abbr', 10) -%}

with

int_phase4_cache_players as (

    select
        analysis_date,
        season_year,
        player_lookup,
        universal_player_id,
        team_abbr,
        has_context_row,
        games_in_last_7_days,
        games_in_last_14_days,
        minutes_in_last_7_days,
        minutes_in_last_14_days,
        back_to_backs_last_14_days,
        avg_minutes_per_game_last_7,
        player_age,
        context_source,
        days_into_season,
        is_bootstrap_date,
        schedule_break_days,
        games_played_season,
        points_avg_last_5,
        points_avg_last_10,
        points_avg_season,
        points_std_last_10,
        minutes_avg_last_10,
        usage_rate_last_10,
        ts_pct_last_10,
        player_usage_rate_season,
        assisted_fg_makes_10,
        fg_makes_10
    from {{ ref('int_phase4_cache_players') }}

),

int_phase4_cache_completeness as (

    select
        analysis_date,
        player_lookup,
        expected_games_count,
        actual_games_count,
        l10_completeness_pct,
        l7d_completeness_pct,
        l14d_completeness_pct
    from {{ ref('int_phase4_cache_completeness') }}

),

team_offense_game_summary as (

    select
        game_date,
        season_year,
        team_abbr,
        pace,
        offensive_rating
    from {{ ref('team_offense_game_summary') }}
    where {{ in_run_window('game_date', lookback_days=season_lookback_days) }}
        and primary_source_used <> 'none'

),

player_shot_zone_analysis as (

    select
        analysis_date,
        player_lookup,
        primary_scoring_zone,
        paint_rate_last_10,
        three_pt_rate_last_10,
        insufficient_data_reason
    from {{ ref('player_shot_zone_analysis') }}
    where {{ in_run_window('analysis_date') }}

),

-- each team's TOGS games of the season in order, with the averages over the
-- last 10 of them up to and including that game (a scan; a date D reads the
-- row of the team's last game before D)
team_sequence as (

    select
        team_abbr,
        season_year,
        game_date,
        {{ exact_avg('pace', over=last_10) }} as team_pace_last_10,
        {{ exact_avg('offensive_rating', over=last_10) }}
            as team_off_rating_last_10,
        {{ next_game_date('team_abbr') }} as next_game_date
    from team_offense_game_summary

),

-- each date's teams: the averages as of the team's last TOGS game of the
-- season strictly before D
team_stats as (

    select
        date_teams.analysis_date,
        date_teams.team_abbr,
        togs.team_pace_last_10,
        togs.team_off_rating_last_10
    from (
        select distinct
            analysis_date,
            season_year,
            team_abbr
        from int_phase4_cache_players
        where team_abbr is not null
    ) as date_teams
    inner join team_sequence as togs
        on togs.team_abbr = date_teams.team_abbr
        and togs.season_year = date_teams.season_year
        and {{ last_game_before('togs', 'date_teams.analysis_date') }}

),

joined as (

    select
        players.*,
        team_stats.team_pace_last_10,
        team_stats.team_off_rating_last_10,
        -- a PSZA row below its minimum games stands for production's missing row
        player_shot_zone_analysis.player_lookup is not null
        and player_shot_zone_analysis.insufficient_data_reason is null as shot_zone_data_available,
        player_shot_zone_analysis.primary_scoring_zone,
        player_shot_zone_analysis.paint_rate_last_10,
        player_shot_zone_analysis.three_pt_rate_last_10,
        completeness.expected_games_count,
        completeness.actual_games_count,
        completeness.l10_completeness_pct,
        completeness.l7d_completeness_pct,
        completeness.l14d_completeness_pct
    from int_phase4_cache_players as players
    left join team_stats
        on team_stats.analysis_date = players.analysis_date
        and team_stats.team_abbr = players.team_abbr
    left join player_shot_zone_analysis
        on player_shot_zone_analysis.analysis_date = players.analysis_date
        and player_shot_zone_analysis.player_lookup = players.player_lookup
    left join int_phase4_cache_completeness as completeness
        on completeness.analysis_date = players.analysis_date
        and completeness.player_lookup = players.player_lookup

),

shaped as (

    select
        player_lookup,
        universal_player_id,
        analysis_date as cache_date,
        season_year,
        team_abbr,

        -- player performance (played games of the season before D)
        cast(round(points_avg_last_5, 2) as {{ type_float64() }}) as points_avg_last_5,
        cast(round(points_avg_last_10, 2) as {{ type_float64() }}) as points_avg_last_10,
        cast(round(points_avg_season, 2) as {{ type_float64() }}) as points_avg_season,
        cast(round(points_std_last_10, 2) as {{ type_float64() }}) as points_std_last_10,
        cast(round(minutes_avg_last_10, 2) as {{ type_float64() }}) as minutes_avg_last_10,
        cast(round(usage_rate_last_10, 2) as {{ type_float64() }}) as usage_rate_last_10,
        cast(round(ts_pct_last_10, 3) as {{ type_float64() }}) as ts_pct_last_10,
        cast(games_played_season as {{ dbt.type_int() }}) as games_played_season,
        cast(round(player_usage_rate_season, 2) as {{ type_float64() }})
            as player_usage_rate_season,
        cast(
            round(1.0 * assisted_fg_makes_10 / nullif(fg_makes_10, 0), 3)
            as {{ type_float64() }}
        ) as assisted_rate_last_10,

        -- team (last 10 TOGS games before D)
        cast(round(team_pace_last_10, 2) as {{ type_float64() }}) as team_pace_last_10,
        cast(round(team_off_rating_last_10, 2) as {{ type_float64() }})
            as team_off_rating_last_10,

        -- fatigue (copied from the upcoming context; NULL for roster expansion)
        cast(games_in_last_7_days as {{ dbt.type_int() }}) as games_in_last_7_days,
        cast(games_in_last_14_days as {{ dbt.type_int() }}) as games_in_last_14_days,
        cast(minutes_in_last_7_days as {{ type_float64() }}) as minutes_in_last_7_days,
        cast(minutes_in_last_14_days as {{ type_float64() }}) as minutes_in_last_14_days,
        cast(back_to_backs_last_14_days as {{ dbt.type_int() }}) as back_to_backs_last_14_days,
        cast(avg_minutes_per_game_last_7 as {{ type_float64() }}) as avg_minutes_per_game_last_7,
        cast(null as {{ type_float64() }}) as fourth_quarter_minutes_last_7,
        cast(player_age as {{ dbt.type_int() }}) as player_age,

        -- shot zones (PSZA of D)
        primary_scoring_zone,
        cast(paint_rate_last_10 as {{ type_float64() }}) as paint_rate_last_10,
        cast(three_pt_rate_last_10 as {{ type_float64() }}) as three_pt_rate_last_10,
        shot_zone_data_available,

        -- universe
        has_context_row,
        context_source,
        'v1' as cache_version,

        -- completeness block (headline window: the last 5 team games; production
        -- readiness needs all four windows)
        {{ phase4_completeness_columns(
            'expected_games_count', 'actual_games_count', 'analysis_date', 'days_into_season',
            ready_and='l10_completeness_pct >= ' ~ var('production_ready_pct', 70)
                ~ ' and l7d_completeness_pct >= ' ~ var('production_ready_pct', 70)
                ~ ' and l14d_completeness_pct >= ' ~ var('production_ready_pct', 70)) }},
        cast(l10_completeness_pct as {{ type_float64() }}) as l10_completeness_pct,
        cast(l7d_completeness_pct as {{ type_float64() }}) as l7d_completeness_pct,
        cast(l14d_completeness_pct as {{ type_float64() }}) as l14d_completeness_pct,
        cast(schedule_break_days as {{ dbt.type_int() }}) as schedule_break_days,
        cast(
            {{ phase4_completeness_pct('expected_games_count', 'actual_games_count') }}
            as {{ type_float64() }}
        ) as cache_quality_score,
        {{ quality_tier(phase4_completeness_pct('expected_games_count', 'actual_games_count')) }} as quality_tier,
        games_played_season < 10 as early_season_flag,
        case when games_played_season < 10 then
            {{ dbt.concat(["'Only '", "cast(games_played_season as " ~ dbt.type_string() ~ ")",
                           "' games played this season, need 10'"]) }}
        end as insufficient_data_reason,
        nullif(rtrim({{ dbt.concat([
            "case when context_source <> 'upcoming_player_game_context' then 'upcg_fallback_context,' else '' end",
            "case when not has_context_row then 'roster_expansion_no_context,' else '' end",
            "case when not shot_zone_data_available then 'missing_player_shot_zone,' else '' end",
            "case when team_pace_last_10 is null then 'missing_team_offense,' else '' end",
            "case when coalesce(actual_games_count, 0) < coalesce(expected_games_count, 0) then 'missing_upstream_games,' else '' end",
        ]) }}, ','), '') as data_quality_issues,
        case
            when context_source <> 'upcoming_player_game_context' then 'processed_with_pgs_fallback_context'
            when is_bootstrap_date then 'processed_bootstrap_included'
            when games_played_season < 10 then 'processed_early_season'
            else 'processed'
        end as processing_decision_reason
    from joined

),

{%- set hash_fields = [
        'player_lookup',
        'cache_date',
        'team_abbr',
        'points_avg_last_5',
        'points_avg_last_10',
        'points_avg_season',
        'points_std_last_10',
        'minutes_avg_last_10',
        'usage_rate_last_10',
        'ts_pct_last_10',
        'games_played_season',
        'player_usage_rate_season',
        'assisted_rate_last_10',
        'team_pace_last_10',
        'team_off_rating_last_10',
        'games_in_last_7_days',
        'games_in_last_14_days',
        'minutes_in_last_7_days',
        'minutes_in_last_14_days',
        'back_to_backs_last_14_days',
        'avg_minutes_per_game_last_7',
        'player_age',
        'primary_scoring_zone',
        'paint_rate_last_10',
        'three_pt_rate_last_10',
        'context_source',
] %}

final as (

    select
        shaped.*,
        {{ row_data_hash(hash_fields) }} as data_hash
    from shaped

)

select * from final
