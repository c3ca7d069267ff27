{{ config(
    tags=['phase3'],
    **phase_incremental_config(
        'game_date', ['player_lookup', 'universal_player_id', 'game_date'])
) }}

{#-
    upcoming_player_game_context (UPCG), domain.md §2.4, BACKFILL mode.
    Player universe = the staged gamebook rows of the date (active, dnp and
    inactive: production keeps all of them), joined to the schedule
    (int_upcg_universe). Every history window is strictly before the game
    date and bounded by the row's season (decisions.md fix 6); rest uses
    decisions.md fix 2 (1 = back-to-back, NULL without a previous game this
    season); avg_usage_rate_last_7_games is over the last 7 games (fix 5).
    Props, game lines and the injury report only count what existed before
    tip-off. Each concern is an ephemeral model of models/analytics/intermediate
    (int_upcg_*); this model joins them and derives the published columns.
-#}

{%- set completeness_bootstrap_days = 30 -%}

with

int_season_calendar as (

    select
        season_year,
        season_start_date
    from {{ ref('int_season_calendar') }}

),

int_upcg_universe as (

    select * from {{ ref('int_upcg_universe') }}

),

int_upcg_player_form as (

    select * from {{ ref('int_upcg_player_form') }}

),

int_upcg_prop_lines as (

    select * from {{ ref('int_upcg_prop_lines') }}

),

int_upcg_prop_streaks as (

    select * from {{ ref('int_upcg_prop_streaks') }}

),

int_upcg_game_lines as (

    select * from {{ ref('int_upcg_game_lines') }}

),

int_upcg_team_form as (

    select * from {{ ref('int_upcg_team_form') }}

),

int_upcg_injuries as (

    select * from {{ ref('int_upcg_injuries') }}

),

int_upcg_star_teammates_out as (

    select * from {{ ref('int_upcg_star_teammates_out') }}

),

int_upcg_completeness as (

    select * from {{ ref('int_upcg_completeness') }}

),

joined as (

    select
        universe.game_id,
        universe.nba_game_id,
        universe.game_date,
        universe.season_year,
        universe.player_lookup,
        universe.player_name,
        universe.player_status,
        universe.team_abbr,
        universe.opponent_team_abbr,
        universe.home_game,
        universe.player_age,
        universe.gamebook_processed_at,
        int_season_calendar.season_start_date,
        player_form.last_game_date,
        player_form.days_rest_before_last_game,
        player_form.last_game_after_2_plus_days_rest,
        coalesce(player_form.games_in_last_7_days, 0) as games_in_last_7_days,
        coalesce(player_form.games_in_last_14_days, 0) as games_in_last_14_days,
        coalesce(player_form.games_in_last_30_days, 0) as history_games_count,
        coalesce(player_form.minutes_7_days, 0) as minutes_7_days,
        coalesce(player_form.minutes_14_days, 0) as minutes_14_days,
        coalesce(player_form.back_to_backs_last_14_days, 0)
            as back_to_backs_last_14_days,
        player_form.avg_usage_rate_last_7_games,
        player_form.points_avg_last_5,
        player_form.points_avg_last_10,
        coalesce(player_form.games_last_5, 0) as games_last_5,
        coalesce(player_form.games_last_10, 0) as games_last_10,
        prop_lines.current_line,
        prop_lines.opening_line,
        prop_lines.line_source,
        prop_lines.last_updated as props_last_updated,
        coalesce(prop_lines.rows_found, 0) as props_rows_found,
        prop_streaks.streak_direction,
        prop_streaks.streak_length,
        game_lines.game_spread,
        game_lines.game_total,
        game_lines.opening_spread,
        game_lines.opening_total,
        coalesce(game_lines.rows_found, 0) as game_lines_rows_found,
        game_lines.last_updated as game_lines_last_updated,
        own_team.avg_pace as team_pace_last_10,
        coalesce(own_team.games_found, 0) as team_games_found,
        opponent.avg_pace as opponent_pace_last_10,
        opponent.stddev_pace as opponent_pace_stddev_last_10,
        opponent.avg_off_rating as opponent_off_rating_last_10,
        opponent.stddev_off_rating as opponent_off_rating_stddev_last_10,
        opponent.avg_rebounding_rate as opponent_rebounding_rate,
        opponent.stddev_rebounding_rate as opponent_rebounding_rate_stddev,
        opponent.avg_def_rating as opponent_def_rating_last_10,
        opponent.stddev_def_rating as opponent_def_rating_stddev_last_10,
        opponent.avg_ft_rate_allowed as opponent_ft_rate_allowed,
        injuries.injury_status,
        injuries.reason as injury_reason,
        coalesce(star_teammates.star_teammates_out, 0) as star_teammates_out,
        completeness.l5_expected,
        completeness.l5_actual,
        completeness.l10_expected,
        completeness.l10_actual,
        completeness.l7d_expected,
        completeness.l7d_actual,
        completeness.l14d_expected,
        completeness.l14d_actual,
        completeness.l30d_expected,
        completeness.l30d_actual
    from int_upcg_universe as universe
    left join int_season_calendar
        on int_season_calendar.season_year = universe.season_year
    left join int_upcg_player_form as player_form
        on player_form.game_date = universe.game_date
        and player_form.player_lookup = universe.player_lookup
    left join int_upcg_prop_lines as prop_lines
        on prop_lines.game_date = universe.game_date
        and prop_lines.player_lookup = universe.player_lookup
    left join int_upcg_prop_streaks as prop_streaks
        on prop_streaks.game_date = universe.game_date
        and prop_streaks.player_lookup = universe.player_lookup
    left join int_upcg_game_lines as game_lines
        on game_lines.game_id = universe.game_id
    left join int_upcg_team_form as own_team
        on own_team.game_date = universe.game_date
        and own_team.team_abbr = universe.team_abbr
    left join int_upcg_team_form as opponent
        on opponent.game_date = universe.game_date
        and opponent.team_abbr = universe.opponent_team_abbr
    left join int_upcg_injuries as injuries
        on injuries.game_date = universe.game_date
        and injuries.player_lookup = universe.player_lookup
    left join int_upcg_star_teammates_out as star_teammates
        on star_teammates.game_date = universe.game_date
        and star_teammates.player_lookup = universe.player_lookup
    left join int_upcg_completeness as completeness
        on completeness.game_date = universe.game_date
        and completeness.player_lookup = universe.player_lookup

),

{%- set windows = ['l5', 'l10', 'l7d', 'l14d', 'l30d'] %}

derived as (

    select
        *,
        {{ dbt.datediff('last_game_date', 'game_date', 'day') }} as days_rest,
        {{ dbt.datediff('season_start_date', 'game_date', 'day') }}
            as days_into_season,
        {%- for w in windows %}
        case when {{ w }}_expected is null or {{ w }}_expected = 0 then 100.0  -- noqa: LT02
            else {{ capped_pct('100.0 * ' ~ w ~ '_actual / ' ~ w ~ '_expected') }}  -- noqa: LT02
        end as {{ w }}_pct,  -- noqa: LT02
        {%- endfor %}
        case
            when history_games_count >= 10 then 95
            when history_games_count >= 5 then 75
            else 50
        end as quality_score_value
    from joined

),

final as (

    select
        -- identity
        player_lookup,
        {{ dbt.concat(['player_lookup', "'_001'"]) }} as universal_player_id,
        player_name as player_full_name,
        game_id,
        nba_game_id,
        game_date,
        season_year,
        team_abbr,
        opponent_team_abbr,
        home_game,
        {{ season_phase('game_date') }} as season_phase,
        cast(player_age as {{ dbt.type_int() }}) as player_age,
        injury_status as player_status,
        player_status as gamebook_player_status,
        injury_reason as injury_report,

        -- fatigue (strictly before the date, season-bounded)
        cast(days_rest as {{ dbt.type_int() }}) as days_rest,
        coalesce(days_rest = 1, false) as back_to_back,
        cast(games_in_last_7_days as {{ dbt.type_int() }})
            as games_in_last_7_days,
        cast(games_in_last_14_days as {{ dbt.type_int() }})
            as games_in_last_14_days,
        cast(round(minutes_7_days, 0) as {{ dbt.type_int() }})
            as minutes_in_last_7_days,
        cast(round(minutes_14_days, 0) as {{ dbt.type_int() }})
            as minutes_in_last_14_days,
        cast(case when games_in_last_7_days > 0
            then round(minutes_7_days / games_in_last_7_days, 1)  -- noqa: LT02
        end as {{ type_float64() }}) as avg_minutes_per_game_last_7,
        cast(back_to_backs_last_14_days as {{ dbt.type_int() }})
            as back_to_backs_last_14_days,
        cast(days_rest_before_last_game as {{ dbt.type_int() }})
            as days_rest_before_last_game,
        cast({{ dbt.datediff('last_game_after_2_plus_days_rest', 'game_date', 'day') }}  -- noqa: LT02,LT05
            as {{ dbt.type_int() }}) as days_since_2_plus_days_rest,  -- noqa: LT02
        cast(round(avg_usage_rate_last_7_games, 2) as {{ type_float64() }})
            as avg_usage_rate_last_7_games,

        -- performance (played games of the last 30 days, newest first)
        cast(round(points_avg_last_5, 1) as {{ type_float64() }})
            as points_avg_last_5,
        cast(round(points_avg_last_10, 1) as {{ type_float64() }})
            as points_avg_last_10,
        cast(games_last_5 as {{ dbt.type_int() }}) as games_last_5,
        cast(games_last_10 as {{ dbt.type_int() }}) as games_last_10,
        case
            when games_last_5 >= 5 then 'excellent'
            when games_last_5 >= 3.5 then 'good'
            when games_last_5 >= 2.5 then 'limited'
            else 'insufficient'
        end as l5_sample_quality,
        case
            when games_last_10 >= 10 then 'excellent'
            when games_last_10 >= 7 then 'good'
            when games_last_10 >= 5 then 'limited'
            else 'insufficient'
        end as l10_sample_quality,

        -- betting
        cast(current_line as {{ type_float64() }}) as current_points_line,
        cast(opening_line as {{ type_float64() }}) as opening_points_line,
        cast(current_line - opening_line as {{ type_float64() }})
            as line_movement,
        line_source as current_points_line_source,
        line_source as opening_points_line_source,
        current_line is not null as has_prop_line,
        cast(case when streak_direction = 'over' then streak_length else 0 end  -- noqa: LT02
            as {{ dbt.type_int() }}) as prop_over_streak,  -- noqa: LT02
        cast(case when streak_direction = 'under' then streak_length else 0 end  -- noqa: LT02
            as {{ dbt.type_int() }}) as prop_under_streak,  -- noqa: LT02
        cast(game_spread as {{ type_float64() }}) as game_spread,
        cast(game_total as {{ type_float64() }}) as game_total,
        cast(opening_spread as {{ type_float64() }}) as opening_spread,
        cast(opening_total as {{ type_float64() }}) as opening_total,
        cast(game_spread - opening_spread as {{ type_float64() }})
            as spread_movement,
        cast(game_total - opening_total as {{ type_float64() }})
            as total_movement,

        -- team and opponent context (last 10 team games, same season)
        cast(round(team_pace_last_10 - opponent_pace_last_10, 2)  -- noqa: LT02
            as {{ type_float64() }}) as pace_differential,  -- noqa: LT02
        cast(round(opponent_pace_last_10, 2) as {{ type_float64() }})
            as opponent_pace_last_10,
        cast(round(opponent_pace_stddev_last_10, 2) as {{ type_float64() }})
            as opponent_pace_stddev_last_10,
        cast(round(opponent_def_rating_last_10, 2) as {{ type_float64() }})
            as opponent_def_rating_last_10,
        cast(round(opponent_def_rating_stddev_last_10, 2) as {{ type_float64() }})
            as opponent_def_rating_stddev_last_10,
        cast(round(opponent_off_rating_last_10, 2) as {{ type_float64() }})
            as opponent_off_rating_last_10,
        cast(round(opponent_off_rating_stddev_last_10, 2) as {{ type_float64() }})
            as opponent_off_rating_stddev_last_10,
        cast(round(opponent_rebounding_rate, 4) as {{ type_float64() }})
            as opponent_rebounding_rate,
        cast(round(opponent_rebounding_rate_stddev, 4) as {{ type_float64() }})
            as opponent_rebounding_rate_stddev,
        cast(round(opponent_ft_rate_allowed, 4) as {{ type_float64() }})
            as opponent_ft_rate_allowed,
        cast(star_teammates_out as {{ dbt.type_int() }}) as star_teammates_out,

        -- completeness (gamebook played games vs player_game_summary)
        {%- for w in windows %}
        cast({{ w }}_pct as {{ type_float64() }}) as {{ w }}_completeness_pct,  -- noqa: LT02
        {{ w }}_pct >= 100 as {{ w }}_is_complete,  -- noqa: LT02
        {%- endfor %}
        {% for w in windows %}{{ w }}_pct >= 100{% if not loop.last %} and {% endif %}{% endfor %}  -- noqa: LT05
            as all_windows_complete,
        cast(coalesce(l30d_expected, 0) as {{ dbt.type_int() }})
            as expected_games_count,
        cast(coalesce(l30d_actual, 0) as {{ dbt.type_int() }})
            as actual_games_count,
        cast(coalesce(l30d_expected, 0) - coalesce(l30d_actual, 0)  -- noqa: LT02
            as {{ dbt.type_int() }}) as missing_games_count,  -- noqa: LT02
        cast(l30d_pct as {{ type_float64() }}) as completeness_percentage,
        coalesce(
            extract(month from game_date) in (10, 11, 4)
            or (days_into_season >= 0  -- noqa: LT02
                and days_into_season < {{ completeness_bootstrap_days }})  -- noqa: LT02
            or ({% for w in windows %}{{ w }}_pct >= {{ var('production_ready_pct', 70) }}{% if not loop.last %} and {% endif %}{% endfor %}),  -- noqa: LT05
            false
        ) as is_production_ready,

        -- quality
        {{ quality_tier('quality_score_value') }} as quality_tier,
        cast(quality_score_value as {{ type_float64() }}) as quality_score,
        nullif(rtrim({{ dbt.concat([
            "case when game_spread is null then 'missing_game_spread,' else '' end",
            "case when game_total is null then 'missing_game_total,' else '' end",
            "case when history_games_count < 3 then 'thin_sample,' else '' end",
        ]) }}, ','), '') as quality_issues,
        'nbac_gamebook' as primary_source_used,
        game_spread is null or game_total is null or history_games_count < 3
            as processed_with_issues,

        -- source tracking
        gamebook_processed_at as source_gamebook_last_updated,
        cast(coalesce(l30d_expected, 0) as {{ dbt.type_int() }})
            as source_gamebook_rows_found,
        cast(100.0 as {{ type_float64() }}) as source_gamebook_completeness_pct,
        cast(history_games_count as {{ dbt.type_int() }})
            as source_pgs_rows_found,
        cast(l30d_pct as {{ type_float64() }}) as source_pgs_completeness_pct,
        props_last_updated as source_props_last_updated,
        cast(props_rows_found as {{ dbt.type_int() }}) as source_props_rows_found,
        cast(case when current_line is null then 0 else 100 end  -- noqa: LT02
            as {{ type_float64() }}) as source_props_completeness_pct,  -- noqa: LT02
        game_lines_last_updated as source_game_lines_last_updated,
        cast(game_lines_rows_found as {{ dbt.type_int() }})
            as source_game_lines_rows_found,
        cast(
            (case when game_spread is null then 0 else 50 end)
            + (case when game_total is null then 0 else 50 end)
            as {{ type_float64() }}) as source_game_lines_completeness_pct,  -- noqa: LT02
        cast(team_games_found as {{ dbt.type_int() }})
            as source_team_context_rows_found,
        cast({{ capped_pct('100.0 * team_games_found / 10') }}  -- noqa: LT02
            as {{ type_float64() }}) as source_team_context_completeness_pct  -- noqa: LT02
    from derived

)

select * from final
