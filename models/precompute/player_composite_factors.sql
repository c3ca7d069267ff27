{{ config(
    tags=['phase4'],
    **phase_incremental_config(
        'game_date', ['player_lookup', 'universal_player_id', 'game_date'])
) }}

{#-
    player_composite_factors (PCF), domain.md §3.4. One row per analysis date
    D (= game_date = analysis_date, a non-bootstrap game date) and player of
    D's upcoming context (int_phase4_player_context: UPCG, or the PGS
    fallback when UPCG holds fewer than var upcg_fallback_pct % of PGS's
    players). The four active factors come from one macro each
    (macros/precompute/composite_factors.sql); the four deferred factors are
    0.0. Inputs of D: the context, PSZA of the player and TDZA of the
    opponent on analysis_date = D (themselves strictly before D), UTGC of
    the team (readiness only).
-#}

{%- set window_games = 10 -%}
{%- set completeness_lookback_days = [window_games * 3, 30] | max -%}

with

int_phase4_analysis_dates as (

    select
        analysis_date,
        days_into_season,
        is_bootstrap_date
    from {{ ref('int_phase4_analysis_dates') }}
    where {{ in_run_window('analysis_date') }}

),

int_phase4_player_context as (

    select *
    from {{ ref('int_phase4_player_context') }}
    where {{ in_run_window('analysis_date') }}

),

player_shot_zone_analysis as (

    select
        analysis_date,
        player_lookup,
        primary_scoring_zone,
        paint_rate_last_10,
        mid_range_rate_last_10,
        three_pt_rate_last_10,
        insufficient_data_reason,
        is_production_ready
    from {{ ref('player_shot_zone_analysis') }}
    where {{ in_run_window('analysis_date') }}

),

team_defense_zone_analysis as (

    select
        analysis_date,
        team_abbr,
        paint_defense_vs_league_avg,
        mid_range_defense_vs_league_avg,
        three_pt_defense_vs_league_avg,
        weakest_zone,
        is_production_ready
    from {{ ref('team_defense_zone_analysis') }}
    where {{ in_run_window('analysis_date') }}

),

upcoming_team_game_context as (

    select
        game_date,
        team_abbr,
        game_total,
        game_spread
    from {{ ref('upcoming_team_game_context') }}
    where {{ in_run_window('game_date') }}

),

player_game_summary as (

    select
        player_lookup,
        game_date
    from {{ ref('player_game_summary') }}
    where {{ in_run_window('game_date', lookback_days=completeness_lookback_days) }}

),

completeness as (

    {{ phase4_window_completeness(
        entities='int_phase4_player_context', entity_key='player_lookup',
        team_column='last_team_abbr',
        history='player_game_summary', history_key='player_lookup',
        window_games=window_games, lookback_days=completeness_lookback_days) }}

),

joined as (

    select
        context.*,
        dates.days_into_season,
        dates.is_bootstrap_date,
        -- a PSZA row below its minimum games stands for production's missing row
        player_shot_zone_analysis.player_lookup is not null
        and player_shot_zone_analysis.insufficient_data_reason is null as has_psza,
        team_defense_zone_analysis.team_abbr is not null
        and team_defense_zone_analysis.paint_defense_vs_league_avg is not null as has_tdza,
        player_shot_zone_analysis.primary_scoring_zone,
        player_shot_zone_analysis.paint_rate_last_10,
        player_shot_zone_analysis.mid_range_rate_last_10,
        player_shot_zone_analysis.three_pt_rate_last_10,
        coalesce(player_shot_zone_analysis.is_production_ready, false) as psza_ready,
        team_defense_zone_analysis.paint_defense_vs_league_avg,
        team_defense_zone_analysis.mid_range_defense_vs_league_avg,
        team_defense_zone_analysis.three_pt_defense_vs_league_avg,
        team_defense_zone_analysis.weakest_zone as opponent_weakest_zone,
        coalesce(team_defense_zone_analysis.is_production_ready, false) as tdza_ready,
        upcoming_team_game_context.team_abbr is not null as has_utgc,
        cast(null as {{ type_float64() }}) as projected_usage_rate,
        completeness.expected_games_count,
        completeness.actual_games_count
    from int_phase4_player_context as context
    inner join int_phase4_analysis_dates as dates
        on dates.analysis_date = context.analysis_date
    left join player_shot_zone_analysis
        on player_shot_zone_analysis.analysis_date = context.analysis_date
        and player_shot_zone_analysis.player_lookup = context.player_lookup
    left join team_defense_zone_analysis
        on team_defense_zone_analysis.analysis_date = context.analysis_date
        and team_defense_zone_analysis.team_abbr = context.opponent_team_abbr
    left join upcoming_team_game_context
        on upcoming_team_game_context.game_date = context.analysis_date
        and upcoming_team_game_context.team_abbr = context.team_abbr
    left join completeness
        on completeness.analysis_date = context.analysis_date
        and completeness.entity_key = context.player_lookup

),

factors as (

    select
        *,
        {{ pcf_fatigue_score(
            'days_rest', 'back_to_back', 'games_in_last_7_days', 'minutes_in_last_7_days',
            'avg_minutes_per_game_last_7', 'back_to_backs_last_14_days', 'player_age') }}
            as fatigue_score,
        {{ pcf_shot_zone_mismatch(
            'has_psza', 'has_tdza', 'primary_scoring_zone',
            'paint_rate_last_10', 'mid_range_rate_last_10', 'three_pt_rate_last_10',
            'paint_defense_vs_league_avg', 'mid_range_defense_vs_league_avg',
            'three_pt_defense_vs_league_avg') }} as shot_zone_mismatch_score,
        {{ pcf_pace_score('pace_differential') }} as pace_score,
        {{ pcf_usage_spike_score(
            'projected_usage_rate', 'avg_usage_rate_last_7_games', 'star_teammates_out') }}
            as usage_spike_score,
        case coalesce(primary_scoring_zone, 'paint')
            when 'mid_range' then 'mid_range'
            when 'perimeter' then 'perimeter'
            else 'paint'
        end as mismatch_zone,
        case coalesce(primary_scoring_zone, 'paint')
            when 'mid_range' then mid_range_defense_vs_league_avg
            when 'perimeter' then three_pt_defense_vs_league_avg
            else paint_defense_vs_league_avg
        end as mismatch_defense,
        case coalesce(primary_scoring_zone, 'paint')
            when 'mid_range' then mid_range_rate_last_10
            when 'perimeter' then three_pt_rate_last_10
            else paint_rate_last_10
        end as mismatch_usage
    from joined

),

totals as (

    select
        *,
        cast(round(
            {{ pcf_fatigue_adjustment('fatigue_score') }}
            + shot_zone_mismatch_score + pace_score + usage_spike_score,
            2
        ) as {{ type_float64() }}) as total_composite_adjustment,
        (case when days_rest is not null then 20 else 0 end)
        + (case when projected_usage_rate is not null then 20 else 0 end)
        + (case when pace_differential is not null then 20 else 0 end)
        + (case when has_psza then 20 else 0 end)
        + (case when has_tdza then 20 else 0 end) as completeness_points
    from factors

),

shaped as (

    select
        player_lookup,
        universal_player_id,
        analysis_date as game_date,
        analysis_date,
        season_year,
        game_id,
        team_abbr,
        opponent_team_abbr,
        home_game,

        -- active factors
        fatigue_score,
        shot_zone_mismatch_score,
        pace_score,
        usage_spike_score,
        -- deferred factors (always 0.0)
        cast(0.0 as {{ type_float64() }}) as referee_favorability_score,
        cast(0.0 as {{ type_float64() }}) as look_ahead_pressure_score,
        cast(0.0 as {{ type_float64() }}) as travel_impact_score,
        cast(0.0 as {{ type_float64() }}) as opponent_strength_score,
        total_composite_adjustment,
        'v1_4factors' as calculation_version,

        -- context JSON (fixed key order)
        {{ json_object_text([
            ['days_rest', 'days_rest', 'int'],
            ['back_to_back', 'back_to_back', 'bool'],
            ['games_in_last_7_days', 'games_in_last_7_days', 'int'],
            ['minutes_in_last_7_days', 'minutes_in_last_7_days', 'float:1'],
            ['avg_minutes_per_game_last_7', 'avg_minutes_per_game_last_7', 'float:1'],
            ['back_to_backs_last_14_days', 'back_to_backs_last_14_days', 'int'],
            ['player_age', 'player_age', 'int'],
            ['back_to_back_penalty', 'case when coalesce(back_to_back, false) then -15 else 0 end', 'int'],
            ['rest_bonus', 'case when not coalesce(back_to_back, false) and coalesce(days_rest, 1) >= 3 then 5 else 0 end', 'int'],
            ['games_7_penalty', 'case when coalesce(games_in_last_7_days, 3) >= 4 then -10 else 0 end', 'int'],
            ['minutes_7_penalty', 'case when coalesce(minutes_in_last_7_days, 200) > 240 then -10 else 0 end', 'int'],
            ['avg_minutes_penalty', 'case when coalesce(avg_minutes_per_game_last_7, 30) > 35 then -8 else 0 end', 'int'],
            ['back_to_backs_14_penalty', 'case when coalesce(back_to_backs_last_14_days, 0) >= 2 then -12 when coalesce(back_to_backs_last_14_days, 0) = 1 then -5 else 0 end', 'int'],
            ['age_penalty', 'case when coalesce(player_age, 25) >= 35 then -10 when coalesce(player_age, 25) >= 30 then -5 else 0 end', 'int'],
            ['final_score', 'fatigue_score', 'int'],
        ]) }} as fatigue_context_json,
        {{ json_object_text([
            ['primary_scoring_zone', 'primary_scoring_zone', 'string'],
            ['zone_used', 'mismatch_zone', 'string'],
            ['player_zone_rate', 'mismatch_usage', 'float:2'],
            ['opponent_zone_vs_league', 'mismatch_defense', 'float:2'],
            ['opponent_weakest_zone', 'opponent_weakest_zone', 'string'],
            ['has_player_shot_zones', 'has_psza', 'bool'],
            ['has_team_defense_zones', 'has_tdza', 'bool'],
            ['mismatch_type', "case when shot_zone_mismatch_score > 2 then 'favorable' when shot_zone_mismatch_score < -2 then 'unfavorable' else 'neutral' end", 'string'],
            ['final_score', 'shot_zone_mismatch_score', 'float:1'],
        ]) }} as shot_zone_context_json,
        {{ json_object_text([
            ['pace_differential', 'pace_differential', 'float:2'],
            ['pace_environment', "case when pace_differential > 2 then 'fast' when pace_differential < -2 then 'slow' else 'normal' end", 'string'],
            ['final_score', 'pace_score', 'float:1'],
        ]) }} as pace_context_json,
        {{ json_object_text([
            ['projected_usage_rate', 'projected_usage_rate', 'float:2'],
            ['avg_usage_rate_last_7_games', 'avg_usage_rate_last_7_games', 'float:2'],
            ['usage_differential', 'coalesce(projected_usage_rate, 25) - coalesce(avg_usage_rate_last_7_games, 25)', 'float:2'],
            ['star_teammates_out', 'star_teammates_out', 'int'],
            ['usage_trend', "case when coalesce(projected_usage_rate, 25) - coalesce(avg_usage_rate_last_7_games, 25) > 2 then 'spike' when coalesce(projected_usage_rate, 25) - coalesce(avg_usage_rate_last_7_games, 25) < -2 then 'drop' else 'stable' end", 'string'],
            ['final_score', 'usage_spike_score', 'float:1'],
        ]) }} as usage_context_json,

        -- inputs kept for audit
        cast(days_rest as {{ dbt.type_int() }}) as days_rest,
        back_to_back,
        cast(games_in_last_7_days as {{ dbt.type_int() }}) as games_in_last_7_days,
        cast(minutes_in_last_7_days as {{ type_float64() }}) as minutes_in_last_7_days,
        cast(avg_minutes_per_game_last_7 as {{ type_float64() }}) as avg_minutes_per_game_last_7,
        cast(back_to_backs_last_14_days as {{ dbt.type_int() }}) as back_to_backs_last_14_days,
        cast(player_age as {{ dbt.type_int() }}) as player_age,
        projected_usage_rate,
        cast(avg_usage_rate_last_7_games as {{ type_float64() }}) as avg_usage_rate_last_7_games,
        cast(star_teammates_out as {{ dbt.type_int() }}) as star_teammates_out,
        cast(pace_differential as {{ type_float64() }}) as pace_differential,

        -- data completeness and warnings
        cast(completeness_points as {{ type_float64() }}) as data_completeness_pct,
        nullif(rtrim({{ dbt.concat([
            "case when days_rest is null then 'days_rest,' else '' end",
            "case when projected_usage_rate is null then 'projected_usage_rate,' else '' end",
            "case when pace_differential is null then 'pace_differential,' else '' end",
            "case when not has_psza then 'player_shot_zone,' else '' end",
            "case when not has_tdza then 'team_defense_zone,' else '' end",
        ]) }}, ','), '') as missing_data_fields,
        fatigue_score < 50 or abs(shot_zone_mismatch_score) > 8
        or abs(total_composite_adjustment) > 12 as has_warnings,
        nullif(rtrim({{ dbt.concat([
            "case when fatigue_score < 50 then 'EXTREME_FATIGUE,' else '' end",
            "case when abs(shot_zone_mismatch_score) > 8 then 'EXTREME_MATCHUP,' else '' end",
            "case when abs(total_composite_adjustment) > 12 then 'EXTREME_ADJUSTMENT,' else '' end",
        ]) }}, ','), '') as warning_details,

        -- upstream readiness
        psza_ready as upstream_player_shot_ready,
        tdza_ready as upstream_team_defense_ready,
        has_upcg_row as upstream_player_context_ready,
        has_utgc as upstream_team_context_ready,
        psza_ready and tdza_ready and has_upcg_row and has_utgc as all_upstreams_ready,
        context_source,
        cast(upcg_players_count as {{ dbt.type_int() }}) as upcg_players_count,
        cast(pgs_players_count as {{ dbt.type_int() }}) as pgs_players_count,

        -- completeness block
        {{ phase4_completeness_columns(
            'expected_games_count', 'actual_games_count', 'analysis_date', 'days_into_season',
            ready_and='psza_ready and tdza_ready and has_upcg_row and has_utgc') }},
        coalesce(actual_games_count, 0) < {{ window_games }} as early_season_flag,
        case when coalesce(actual_games_count, 0) < {{ window_games }} then
            {{ dbt.concat(["'Only '", "cast(coalesce(actual_games_count, 0) as " ~ dbt.type_string() ~ ")",
                           "' of the last " ~ window_games ~ " team games found'"]) }}
        end as insufficient_data_reason,
        nullif(rtrim({{ dbt.concat([
            "case when context_source <> 'upcoming_player_game_context' then 'upcg_fallback_context,' else '' end",
            "case when not has_psza then 'missing_player_shot_zone,' else '' end",
            "case when not has_tdza then 'missing_opponent_defense_zone,' else '' end",
            "case when coalesce(actual_games_count, 0) < coalesce(expected_games_count, 0) then 'missing_upstream_games,' else '' end",
        ]) }}, ','), '') as data_quality_issues,
        case
            when context_source <> 'upcoming_player_game_context' then 'processed_with_pgs_fallback_context'
            when is_bootstrap_date then 'processed_bootstrap_included'
            else 'processed'
        end as processing_decision_reason
    from totals

),

{%- set hash_fields = [
        'player_lookup',
        'game_date',
        'game_id',
        'opponent_team_abbr',
        'fatigue_score',
        'shot_zone_mismatch_score',
        'pace_score',
        'usage_spike_score',
        'total_composite_adjustment',
        'calculation_version',
        'context_source',
] %}

final as (

    select
        shaped.*,
        {{ row_data_hash(hash_fields) }} as data_hash
    from shaped

)

select * from final
