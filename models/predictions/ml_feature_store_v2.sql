{# over 400 lines because: the 33 features, their quality and completeness are assembled
   in one select over the steps of models/predictions/intermediate; moving the feature
   values into their own ephemeral step is the open next split. #}
{{ config(
    tags=['features'],
    **phase_incremental_config(
        'game_date', ['player_lookup', 'feature_version', 'game_date'])
) }}

{#-
    ml_feature_store_v2 (MLFS), domain.md §3.5, v2_33features: one row per
    player of each final game date D. The universe of D is a backfill's
    (domain.md §3.5, §4.3): player_game_summary's players of D, whatever the
    upcoming context holds; the Vegas lines (features 25-27) come from the
    raw props tables (int_feature_store_vegas_lines), not from the context.
    POINT IN TIME: every feature and every quality / completeness value of D
    reads player_game_summary and team_offense_game_summary rows dated
    strictly before D only, plus D's schedule, D's upcoming context (UPCG
    rows of D), D's pre-tip prop lines and the Phase 4 rows of D (themselves
    point in time). The player_game_summary rows of D are read for one thing
    only: WHO plays on D, never a stat. Bootstrap days (days 0-13 of a
    season) get placeholder rows unless var include_bootstrap is true.
    Steps (ephemeral, models/predictions/intermediate): the rows
    (int_feature_store_universe), the player's and the team's history before
    D (int_feature_store_player_history, int_feature_store_team_history);
    here: the Phase 4 rows of D, the 33 features' sources, quality and
    completeness. Over 400 lines because the feature values (joined /
    feature_values / final_values) are not yet their own step.
-#}

{%- set features = feature_store_features() -%}
{%- set defaulted = "('" ~ (defaulted_feature_sources() | join("', '")) ~ "')" -%}
{%- set phase4_fed = [0, 1, 2, 3, 4, 5, 6, 7, 8, 13, 14, 18, 19, 20, 22, 23] -%}
{%- set feature_elements = [] -%}
{%- set feature_name_elements = [] -%}
{%- set source_elements = [] -%}
{%- set hash_columns = [] -%}
{%- for f in features -%}
    {%- do feature_elements.append('coalesce(cast(v' ~ f.index ~ ' as ' ~ type_float64() ~ '), ' ~ float_nan() ~ ')') -%}
    {%- do feature_name_elements.append("'" ~ f.name ~ "'") -%}
    {%- do source_elements.append('s' ~ f.index) -%}
    {%- do hash_columns.extend(['v' ~ f.index, 's' ~ f.index]) -%}
{%- endfor -%}
{#- historical_completeness counts: placeholders have {0, 0} -#}
{%- set games_found_sql = '(case when computes_features then coalesce(games_found, 0) else 0 end)' -%}
{%- set games_expected_sql = '(case when computes_features then least(coalesce(games_available, 0), 10) else 0 end)' -%}

with

int_feature_store_universe as (

    select
        game_date,
        season_year,
        season_start_date,
        is_bootstrap_date,
        context_source,
        player_lookup,
        has_upcoming_context,
        game_id,
        team_abbr,
        opponent_team_abbr,
        home_game,
        season_phase,
        player_status,
        upcg_days_rest,
        upcg_games_in_last_7_days,
        current_points_line,
        opening_points_line,
        computes_features
    from {{ ref('int_feature_store_universe') }}

),

int_feature_store_player_history as (

    select
        game_date,
        player_lookup,
        games_available,
        games_found,
        contributing_game_dates,
        season_games,
        season_points_avg,
        season_minutes_avg,
        last_played_date,
        l5_games,
        l5_points_avg,
        l10_games,
        l10_points_avg,
        l10_points_std,
        l10_minutes_avg,
        l10_ft_makes,
        l10_points,
        newest_2_points_avg,
        older_3_points_avg,
        games_in_last_7_days,
        minutes_avg_30_days,
        ppm_avg_30_days,
        games_vs_opponent,
        points_avg_vs_opponent
    from {{ ref('int_feature_store_player_history') }}

),

int_feature_store_team_history as (

    select
        game_date,
        team_abbr,
        team_games,
        team_wins,
        team_pace_last_10,
        team_off_rating_last_10,
        missing_game_dates
    from {{ ref('int_feature_store_team_history') }}

),

player_daily_cache as (

    select
        cache_date,
        player_lookup,
        points_avg_last_5,
        points_avg_last_10,
        points_avg_season,
        points_std_last_10,
        games_in_last_7_days,
        team_pace_last_10,
        team_off_rating_last_10,
        minutes_avg_last_10,
        completeness_percentage,
        data_hash
    from {{ ref('player_daily_cache') }}
    where {{ in_run_window('cache_date') }}

),

player_composite_factors as (

    select
        game_date,
        player_lookup,
        fatigue_score,
        shot_zone_mismatch_score,
        pace_score,
        usage_spike_score,
        completeness_percentage,
        data_hash
    from {{ ref('player_composite_factors') }}
    where {{ in_run_window('game_date') }}

),

player_shot_zone_analysis as (

    select
        analysis_date,
        player_lookup,
        paint_rate_last_10,
        mid_range_rate_last_10,
        three_pt_rate_last_10,
        completeness_percentage,
        data_hash
    from {{ ref('player_shot_zone_analysis') }}
    where {{ in_run_window('analysis_date') }}

),

team_defense_zone_analysis as (

    select
        analysis_date,
        team_abbr,
        defensive_rating_last_15,
        opponent_pace,
        completeness_percentage,
        data_hash
    from {{ ref('team_defense_zone_analysis') }}
    where {{ in_run_window('analysis_date') }}

),

-- ---------------------------------------------------------------- features

joined as (

    select
        universe.*,
        history_stats.games_available,
        history_stats.games_found,
        history_stats.contributing_game_dates,
        team_history.missing_game_dates,
        history_stats.season_games,
        history_stats.season_points_avg,
        history_stats.season_minutes_avg,
        history_stats.l5_games,
        history_stats.l5_points_avg,
        history_stats.l10_games,
        history_stats.l10_points_avg,
        history_stats.l10_points_std,
        history_stats.l10_minutes_avg,
        history_stats.l10_ft_makes,
        history_stats.l10_points,
        history_stats.newest_2_points_avg,
        history_stats.older_3_points_avg,
        history_stats.minutes_avg_30_days,
        history_stats.ppm_avg_30_days,
        coalesce(history_stats.games_vs_opponent, 0) as games_vs_opponent,
        history_stats.points_avg_vs_opponent,
        case
            when universe.has_upcoming_context then universe.upcg_days_rest
            else {{ dbt.datediff('history_stats.last_played_date', 'universe.game_date', 'day') }}
        end as days_rest,
        coalesce(
            universe.upcg_games_in_last_7_days,
            history_stats.games_in_last_7_days
        ) as phase3_games_in_last_7_days,
        team_history.team_games,
        team_history.team_wins,
        team_history.team_pace_last_10,
        team_history.team_off_rating_last_10,
        player_daily_cache.player_lookup is not null as has_daily_cache,
        player_daily_cache.completeness_percentage as daily_cache_completeness_pct,
        player_daily_cache.data_hash as daily_cache_hash,
        player_daily_cache.points_avg_last_5 as pdc_points_avg_last_5,
        player_daily_cache.points_avg_last_10 as pdc_points_avg_last_10,
        player_daily_cache.points_avg_season as pdc_points_avg_season,
        player_daily_cache.points_std_last_10 as pdc_points_std_last_10,
        player_daily_cache.games_in_last_7_days as pdc_games_in_last_7_days,
        player_daily_cache.team_pace_last_10 as pdc_team_pace_last_10,
        player_daily_cache.team_off_rating_last_10 as pdc_team_off_rating_last_10,
        player_daily_cache.minutes_avg_last_10 as pdc_minutes_avg_last_10,
        player_composite_factors.player_lookup is not null as has_composite,
        player_composite_factors.completeness_percentage as composite_completeness_pct,
        player_composite_factors.data_hash as composite_hash,
        player_composite_factors.fatigue_score,
        player_composite_factors.shot_zone_mismatch_score,
        player_composite_factors.pace_score,
        player_composite_factors.usage_spike_score,
        player_shot_zone_analysis.player_lookup is not null as has_shot_zones,
        player_shot_zone_analysis.completeness_percentage as shot_zones_completeness_pct,
        player_shot_zone_analysis.data_hash as shot_zones_hash,
        player_shot_zone_analysis.paint_rate_last_10,
        player_shot_zone_analysis.mid_range_rate_last_10,
        player_shot_zone_analysis.three_pt_rate_last_10,
        team_defense_zone_analysis.team_abbr is not null as has_team_defense,
        team_defense_zone_analysis.completeness_percentage as team_defense_completeness_pct,
        team_defense_zone_analysis.data_hash as team_defense_hash,
        team_defense_zone_analysis.defensive_rating_last_15,
        team_defense_zone_analysis.opponent_pace as tdza_opponent_pace
    from int_feature_store_universe as universe
    left join int_feature_store_player_history as history_stats
        on history_stats.game_date = universe.game_date
        and history_stats.player_lookup = universe.player_lookup
    left join int_feature_store_team_history as team_history
        on team_history.game_date = universe.game_date
        and team_history.team_abbr = universe.team_abbr
    left join player_daily_cache
        on player_daily_cache.cache_date = universe.game_date
        and player_daily_cache.player_lookup = universe.player_lookup
    left join player_composite_factors
        on player_composite_factors.game_date = universe.game_date
        and player_composite_factors.player_lookup = universe.player_lookup
    left join player_shot_zone_analysis
        on player_shot_zone_analysis.analysis_date = universe.game_date
        and player_shot_zone_analysis.player_lookup = universe.player_lookup
    left join team_defense_zone_analysis
        on team_defense_zone_analysis.analysis_date = universe.game_date
        and team_defense_zone_analysis.team_abbr = universe.opponent_team_abbr

),

feature_values as (

    select
        joined.*,
        {{ feature_from_sources('f0', [
            ('pdc_points_avg_last_5', 'phase4'),
            ('case when l5_games >= 5 then l5_points_avg end', 'phase3')], 10.0) }},
        {{ feature_from_sources('f1', [
            ('pdc_points_avg_last_10', 'phase4'),
            ('l10_points_avg', 'phase3')], 10.0) }},
        {{ feature_from_sources('f2', [
            ('pdc_points_avg_season', 'phase4'),
            ('season_points_avg', 'phase3')], 10.0) }},
        {{ feature_from_sources('f3', [
            ('pdc_points_std_last_10', 'phase4'),
            ('l10_points_std', 'phase3')], 5.0) }},
        {{ feature_from_sources('f4', [
            ('pdc_games_in_last_7_days', 'phase4'),
            ('phase3_games_in_last_7_days', 'phase3')], 3.0) }},
        {{ feature_from_sources('f5', [('fatigue_score', 'phase4')], 50.0) }},
        {{ feature_from_sources('f6', [('shot_zone_mismatch_score', 'phase4')], 0.0) }},
        {{ feature_from_sources('f7', [('pace_score', 'phase4')], 0.0) }},
        {{ feature_from_sources('f8', [('usage_spike_score', 'phase4')], 0.0) }},
        -- rest_advantage: clamp(days_rest - opponent_days_rest, -2, 2) with
        -- opponent_days_rest = 0 as in production (UPCG has none): min(days_rest, 2)
        {{ feature_from_sources('f9', [
            ('case when days_rest is not null then least(greatest(days_rest - 0, -2), 2) end',
             'calculated')], 0.0) }},
        {{ feature_from_sources('f10', [
            ("case when has_upcoming_context then case lower(coalesce(player_status, ''))
                when 'probable' then 1 when 'questionable' then 2
                when 'doubtful' then 3 when 'out' then 3 else 0 end end",
             'phase3')], 0.0) }},
        {{ feature_from_sources('f11', [
            ('case when l5_games >= 5 then case
                when newest_2_points_avg - older_3_points_avg >= 5 then 2
                when newest_2_points_avg - older_3_points_avg >= 2 then 1
                when newest_2_points_avg - older_3_points_avg <= -5 then -2
                when newest_2_points_avg - older_3_points_avg <= -2 then -1
                else 0 end end',
             'calculated')], 0.0) }},
        {{ feature_from_sources('f12', [
            ('case when season_minutes_avg > 0 and l10_minutes_avg is not null then case
                when (l10_minutes_avg - season_minutes_avg) / season_minutes_avg >= 0.2 then 2
                when (l10_minutes_avg - season_minutes_avg) / season_minutes_avg >= 0.1 then 1
                when (l10_minutes_avg - season_minutes_avg) / season_minutes_avg <= -0.2 then -2
                when (l10_minutes_avg - season_minutes_avg) / season_minutes_avg <= -0.1 then -1
                else 0 end end',
             'calculated')], 0.0) }},
        -- 13-14: TDZA of the opponent, else the default (domain.md §3.5: Phase 3
        -- has no such keys, so production goes straight to the default; the
        -- upcoming-context fallback was withdrawn: decisions.md fix 13)
        {{ feature_from_sources('f13', [('defensive_rating_last_15', 'phase4')], 112.0) }},
        {{ feature_from_sources('f14', [('tdza_opponent_pace', 'phase4')], 100.0) }},
        {{ feature_from_sources('f15', [
            ('case when home_game then 1 when not home_game then 0 end', 'phase3')], 0.0) }},
        {{ feature_from_sources('f16', [
            ('case when days_rest = 1 then 1 else 0 end', 'phase3')], 0.0) }},
        {{ feature_from_sources('f17', [
            ("case when season_phase = 'playoffs' then 1 else 0 end", 'phase3')], 0.0) }},
        {{ feature_from_sources('f18', [('paint_rate_last_10 / 100.0', 'phase4')]) }},
        {{ feature_from_sources('f19', [('mid_range_rate_last_10 / 100.0', 'phase4')]) }},
        {{ feature_from_sources('f20', [('three_pt_rate_last_10 / 100.0', 'phase4')]) }},
        {{ feature_from_sources('f21', [
            ('case when l10_games >= 5 and l10_points > 0
                then least(greatest(1.0 * l10_ft_makes / l10_points, 0.0), 0.5) end',
             'calculated')], 0.15) }},
        {{ feature_from_sources('f22', [
            ('pdc_team_pace_last_10', 'phase4'),
            ('team_pace_last_10', 'phase3')], 100.0) }},
        {{ feature_from_sources('f23', [
            ('pdc_team_off_rating_last_10', 'phase4'),
            ('team_off_rating_last_10', 'phase3')], 112.0) }},
        {{ feature_from_sources('f24', [
            ('case when team_games >= 5 then 1.0 * team_wins / team_games end', 'phase3')], 0.5) }},
        {{ feature_from_sources('f25', [('current_points_line', 'vegas')]) }},
        {{ feature_from_sources('f26', [
            ('opening_points_line', 'vegas'),
            ('current_points_line', 'vegas')]) }},
        {{ feature_from_sources('f27', [
            ('current_points_line - coalesce(opening_points_line, current_points_line)',
             'vegas')]) }},
        {{ feature_from_sources('f28', [
            ('case when current_points_line is not null then 1 end', 'vegas'),
            ('0', 'calculated')]) }},
        {{ feature_from_sources('f29', [
            ('points_avg_vs_opponent', 'opponent_history'),
            ('season_points_avg', 'phase3')], 10.0) }},
        {{ feature_from_sources('f30', [('games_vs_opponent', 'opponent_history')], 0.0) }},
        {{ feature_from_sources('f31', [
            ('minutes_avg_30_days', 'minutes_ppm'),
            ('pdc_minutes_avg_last_10', 'phase4')], 28.0) }},
        {{ feature_from_sources('f32', [
            ('ppm_avg_30_days', 'minutes_ppm'),
            ('pdc_points_avg_last_10 / nullif(pdc_minutes_avg_last_10, 0)', 'phase4')], 0.4) }}
    from joined

),

-- placeholder rows (bootstrap days): every feature missing; otherwise the
-- values rounded to 4 decimals (float averages must not differ between runs)
final_values as (

    select
        feature_values.*,
        {%- for f in features %}
            case when computes_features then round(f{{ f.index }}_value, 4) end
                as v{{ f.index }},
            case when computes_features then f{{ f.index }}_source else 'missing' end
                as s{{ f.index }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from feature_values

),

quality as (

    select
        final_values.*,
        {#- included in the average: every feature, except an optional one that is defaulted -#}
        {%- set included = [] -%}
        {%- for f in features -%}
            {%- if f.optional -%}
                {%- do included.append("case when s" ~ f.index ~ " in " ~ defaulted ~ " then 0 else 1 end") -%}
            {%- else -%}
                {%- do included.append("1") -%}
            {%- endif -%}
        {%- endfor %}
        1.0 * (
            {%- for f in features %}
                {{ feature_source_weight('s' ~ f.index) }} * {{ included[loop.index0] }}{% if not loop.last %} +{% endif %}
            {%- endfor %}
        ) / (
            {%- for f in features %}
                {{ included[loop.index0] }}{% if not loop.last %} +{% endif %}
            {%- endfor %}
        ) as raw_quality_score,
        (
            {%- for f in features %}
                case when s{{ f.index }} in {{ defaulted }} then 1 else 0 end{% if not loop.last %} +{% endif %}
            {%- endfor %}
        ) as default_feature_count,
        (
            {%- for f in features if not f.optional %}
                case when s{{ f.index }} in {{ defaulted }} then 1 else 0 end{% if not loop.last %} +{% endif %}
            {%- endfor %}
        ) as required_default_count,
        {%- for category in ['matchup', 'team_context', 'vegas', 'player_history', 'game_context'] %}
            {%- set members = features | selectattr('category', 'equalto', category) | list %}
            (
                {%- for f in members %}
                    case when s{{ f.index }} in {{ defaulted }} then 1 else 0 end{% if not loop.last %} +{% endif %}
                {%- endfor %}
            ) as {{ category }}_default_count,
            round(1.0 * (
                {%- for f in members %}
                    {{ feature_source_weight('s' ~ f.index) }} * {{ included[f.index] }}{% if not loop.last %} +{% endif %}
                {%- endfor %}
            ) / nullif(
                {%- for f in members %}
                    {{ included[f.index] }}{% if not loop.last %} +{% endif %}
                {%- endfor %}
                , 0  -- noqa: LT04
            ), 2) as {{ category }}_quality_pct,
        {%- endfor %}
        (
            {%- for i in phase4_fed %}
                case when s{{ i }} = 'phase4' then 1 else 0 end{% if not loop.last %} +{% endif %}
            {%- endfor %}
        ) as phase4_feature_count,
        (
            {%- for i in phase4_fed %}
                case when s{{ i }} = 'phase3' then 1 else 0 end{% if not loop.last %} +{% endif %}
            {%- endfor %}
        ) as phase3_feature_count
    from final_values

),

scored as (

    select
        quality.*,
        round({{ feature_quality_capped('raw_quality_score', 'required_default_count') }}, 2)
            as feature_quality_score
    from quality

),

final as (

    select
        -- identity
        player_lookup,
        {{ dbt.concat(['player_lookup', "'_001'"]) }} as universal_player_id,
        game_date,
        game_id,
        season_year,
        team_abbr,
        opponent_team_abbr,
        home_game as is_home,
        cast(days_rest as {{ dbt.type_int() }}) as days_rest,
        context_source,

        -- the 33 features (NaN when missing), their names and sources
        {{ array_of(feature_elements) }} as features,
        {{ array_of(feature_name_elements) }}
            as feature_names,
        cast({{ features | length }} as {{ dbt.type_int() }}) as feature_count,
        '{{ feature_store_version() }}' as feature_version,
        {{ array_of(source_elements) }} as feature_sources,

        -- quality
        cast(feature_quality_score as {{ type_float64() }}) as feature_quality_score,
        {{ feature_quality_tier('feature_quality_score') }} as quality_tier,
        {{ feature_quality_tier('feature_quality_score') }} in ('gold', 'silver', 'bronze')
        and feature_quality_score >= 70
        and coalesce(matchup_quality_pct, 0) >= 50 as is_quality_ready,
        {{ feature_quality_tier('feature_quality_score') }} in ('gold', 'silver')
        and coalesce(matchup_quality_pct, 0) >= 70
        and coalesce(player_history_quality_pct, 0) >= 80 as is_training_ready,
        cast(default_feature_count as {{ dbt.type_int() }}) as default_feature_count,
        cast(required_default_count as {{ dbt.type_int() }}) as required_default_count,
        {%- for category in ['matchup', 'team_context', 'vegas', 'player_history', 'game_context'] %}
            cast({{ category }}_default_count as {{ dbt.type_int() }}) as {{ category }}_default_count,
            cast({{ category }}_quality_pct as {{ type_float64() }}) as {{ category }}_quality_pct,
        {%- endfor %}
        case
            when not computes_features then 'early_season'
            when phase4_feature_count >= 0.9 * {{ phase4_fed | length }} then 'phase4'
            when phase4_feature_count >= 0.5 * {{ phase4_fed | length }} then 'phase4_partial'
            when phase3_feature_count >= 0.5 * {{ phase4_fed | length }} then 'phase3'
            else 'mixed'
        end as data_source,

        -- historical completeness (domain.md §4.1)
        {{ struct_of([
            ('games_found', 'cast(' ~ games_found_sql ~ ' as ' ~ dbt.type_int() ~ ')'),
            ('games_expected', 'cast(' ~ games_expected_sql ~ ' as ' ~ dbt.type_int() ~ ')'),
            ('is_complete', games_found_sql ~ ' >= ' ~ games_expected_sql),
            ('is_bootstrap', games_expected_sql ~ ' < 10'),
            ('contributing_game_dates',
             'case when computes_features then coalesce(contributing_game_dates, '
             ~ empty_array('date') ~ ') else ' ~ empty_array('date') ~ ' end'),
            ('missing_game_dates',
             'case when computes_features then coalesce(missing_game_dates, '
             ~ empty_array('date') ~ ') else ' ~ empty_array('date') ~ ' end'),
        ]) }} as historical_completeness,

        -- completeness block (from the historical window: last 10 PGS rows)
        cast({{ games_expected_sql }} as {{ dbt.type_int() }}) as expected_games_count,
        cast({{ games_found_sql }} as {{ dbt.type_int() }}) as actual_games_count,
        cast(case when {{ games_expected_sql }} = 0 then 100.0
            else {{ capped_pct('100.0 * ' ~ games_found_sql ~ ' / ' ~ games_expected_sql) }}
        end as {{ type_float64() }}) as completeness_percentage,
        cast(case when {{ games_expected_sql }} > {{ games_found_sql }}
                then {{ games_expected_sql }} - {{ games_found_sql }}
            else 0
        end
        as {{ dbt.type_int() }}) as missing_games_count,
        case when {{ games_expected_sql }} = 0 then true
            else 100.0 * {{ games_found_sql }}
                >= {{ var('production_ready_pct', 70) }} * {{ games_expected_sql }}
        end as is_production_ready,
        nullif(rtrim({{ dbt.concat([
            "case when computes_features and required_default_count > 0 then 'required_defaults,' else '' end",
            "case when computes_features and not has_daily_cache then 'missing_daily_cache,' else '' end",
            "case when computes_features and not has_composite then 'missing_composite_factors,' else '' end",
            "case when computes_features and " ~ games_found_sql ~ " < " ~ games_expected_sql ~ " then 'history_data_gap,' else '' end",
        ]) }}, ','), '') as data_quality_issues,
        is_bootstrap_date as early_season_flag,
        case when is_bootstrap_date then 'early_season_skip_first_14_days' end
            as insufficient_data_reason,
        extract(month from game_date) in (10, 11, 4) as season_boundary_detected,
        not computes_features as backfill_bootstrap_mode,
        case
            when not computes_features then 'early_season_placeholder'
            when is_bootstrap_date then 'early_season_computed'
            else 'computed'
        end as processing_decision_reason,

        -- source tracking (rows of D found upstream and their data_hash; no
        -- _last_updated: a run timestamp would break re-run identity)
        {%- for prefix, flag, pct in [
            ('daily_cache', 'has_daily_cache', 'daily_cache_completeness_pct'),
            ('composite', 'has_composite', 'composite_completeness_pct'),
            ('shot_zones', 'has_shot_zones', 'shot_zones_completeness_pct'),
            ('team_defense', 'has_team_defense', 'team_defense_completeness_pct')] %}
            cast(case when {{ flag }} then 1 else 0 end as {{ dbt.type_int() }})
                as source_{{ prefix }}_rows_found,
            cast(
                case when {{ flag }} then {{ capped_pct('coalesce(' ~ pct ~ ', 100.0)') }} else 0.0 end
                as {{ type_float64() }}
            ) as source_{{ prefix }}_completeness_pct,
            {{ prefix }}_hash as source_{{ prefix }}_hash,
        {%- endfor %}

        {{ row_data_hash(
            ['player_lookup', 'game_date', 'team_abbr', 'opponent_team_abbr', 'context_source']
            + hash_columns
        ) }} as data_hash
    from scored

)

select * from final
