{{ config(
    tags=['phase3'],
    **phase_incremental_config('game_date', ['game_date', 'team_abbr', 'game_id'])
) }}

{#-
    upcoming_team_game_context (UTGC), domain.md §2.5, backfill mode.
    One row per (game_date, team_abbr): the home and the away view of every
    schedule game on the date. History = the team's FINAL games of the same
    season strictly before the date (season-bounded, decisions.md fix 6).
    Rest uses the single encoding of decisions.md fix 2 (1 = back-to-back),
    not production's 0-based team_days_rest. Assembled from one ephemeral
    model per concern (models/analytics/intermediate/int_utgc_*): the team
    games (home and away views), their schedule history (rest, streaks, game
    number, schedule completeness), the game lines before tip-off and the
    injury report before tip-off; here the derived, quality and
    source-tracking columns.
-#}

with

int_season_calendar as (

    select
        season_year,
        season_start_date
    from {{ ref('int_season_calendar') }}

),

int_utgc_team_games as (

    select
        game_id,
        nba_game_id,
        game_date,
        season_year,
        team_abbr,
        opponent_team_abbr,
        home_game,
        season_type,
        processed_at
    from {{ ref('int_utgc_team_games') }}
    where {{ in_run_window('game_date') }}

),

int_utgc_schedule_history as (

    select
        game_date,
        team_abbr,
        prior_games_count,
        last_game_date,
        games_in_last_7_days,
        games_in_last_14_days,
        last_game_margin,
        last_game_result,
        last_streak_length,
        l7d_expected_games,
        l7d_actual_games,
        l14d_expected_games,
        l14d_actual_games
    from {{ ref('int_utgc_schedule_history') }}

),

int_utgc_game_lines as (

    select
        game_date,
        team_abbr,
        game_spread,
        opening_spread,
        game_spread_source,
        game_total,
        opening_total,
        game_total_source,
        rows_found,
        last_updated
    from {{ ref('int_utgc_game_lines') }}

),

int_utgc_injuries as (

    select
        game_date,
        team_abbr,
        starters_out_count,
        questionable_players_count,
        rows_found,
        last_updated
    from {{ ref('int_utgc_injuries') }}

),

joined as (

    select
        target_games.game_id,
        target_games.nba_game_id,
        target_games.game_date,
        target_games.season_year,
        target_games.team_abbr,
        target_games.opponent_team_abbr,
        target_games.home_game,
        target_games.season_type,
        target_games.processed_at as schedule_processed_at,
        int_season_calendar.season_start_date,
        history.prior_games_count,
        history.last_game_date,
        history.games_in_last_7_days,
        history.games_in_last_14_days,
        history.last_game_margin,
        history.last_game_result,
        history.last_streak_length,
        history.l7d_expected_games,
        history.l7d_actual_games,
        history.l14d_expected_games,
        history.l14d_actual_games,
        game_lines.game_spread,
        game_lines.opening_spread,
        game_lines.game_spread_source,
        game_lines.game_total,
        game_lines.opening_total,
        game_lines.game_total_source,
        game_lines.rows_found as odds_rows_found,
        game_lines.last_updated as odds_last_updated,
        coalesce(injuries.starters_out_count, 0) as starters_out_count,
        coalesce(injuries.questionable_players_count, 0)
            as questionable_players_count,
        coalesce(injuries.rows_found, 0) as injury_rows_found,
        injuries.game_date is not null as has_injury_report,
        injuries.last_updated as injury_last_updated
    from int_utgc_team_games as target_games
    left join int_season_calendar
        on int_season_calendar.season_year = target_games.season_year
    left join int_utgc_schedule_history as history
        on history.game_date = target_games.game_date
        and history.team_abbr = target_games.team_abbr
    left join int_utgc_game_lines as game_lines
        on game_lines.game_date = target_games.game_date
        and game_lines.team_abbr = target_games.team_abbr
    left join int_utgc_injuries as injuries
        on injuries.game_date = target_games.game_date
        and injuries.team_abbr = target_games.team_abbr

),

derived as (

    select
        *,
        {{ dbt.datediff('last_game_date', 'game_date', 'day') }}
            as days_rest,
        {{ dbt.datediff('season_start_date', 'game_date', 'day') }}
            as days_into_season,
        case when l7d_expected_games = 0 then 100.0
            else round(100.0 * l7d_actual_games / l7d_expected_games, 2)
        end as l7d_completeness_pct,
        case when l14d_expected_games = 0 then 100.0
            else round(100.0 * l14d_actual_games / l14d_expected_games, 2)
        end as l14d_completeness_pct
    from joined

),

scored as (

    select
        *,
        coalesce(
            days_into_season >= 0
            and days_into_season < {{ var('bootstrap_days', 14) }},
            false
        ) as early_season_flag,
        100
        - case when game_spread is null then 10 else 0 end
        - case when game_total is null then 10 else 0 end
        - case when not has_injury_report then 5 else 0 end
        - case when l14d_completeness_pct < 100 then 25 else 0 end
            as quality_score_raw,
        rtrim({{ dbt.concat([
            "case when game_spread is null then 'missing_game_spread,' else '' end",
            "case when game_total is null then 'missing_game_total,' else '' end",
            "case when not has_injury_report then 'missing_injury_report,' else '' end",
            "case when l14d_completeness_pct < 100 then 'incomplete_schedule_history,' else '' end",
            "case when prior_games_count = 0 then 'no_prior_games,' else '' end",
        ]) }}, ',') as quality_issues_text
    from derived

),

final as (

    select
        game_id,
        nba_game_id,
        game_date,
        season_year,
        team_abbr,
        opponent_team_abbr,
        home_game,
        {{ season_phase('game_date') }} as season_phase,
        season_type,

        -- fatigue (decisions.md fix 2: 1 = back-to-back, NULL before a first game)
        days_rest as team_days_rest,
        coalesce(days_rest = 1, false) as team_back_to_back,
        coalesce(days_rest = 1, false) as is_back_to_back,
        days_rest as days_since_last_game,
        cast(games_in_last_7_days as {{ dbt.type_int() }})
            as games_in_last_7_days,
        cast(games_in_last_14_days as {{ dbt.type_int() }})
            as games_in_last_14_days,
        cast(prior_games_count + 1 as {{ dbt.type_int() }})
            as game_number_in_season,

        -- recent form (season-bounded)
        cast(
            case when last_game_result = 'W' then last_streak_length else 0 end
            as {{ dbt.type_int() }}
        ) as team_win_streak_entering,
        cast(
            case when last_game_result = 'L' then last_streak_length else 0 end
            as {{ dbt.type_int() }}
        ) as team_loss_streak_entering,
        cast(last_game_margin as {{ dbt.type_int() }}) as last_game_margin,
        last_game_result,

        -- betting
        cast(game_spread as {{ type_float64() }}) as game_spread,
        cast(game_total as {{ type_float64() }}) as game_total,
        game_spread_source,
        game_total_source,
        cast(opening_spread as {{ type_float64() }}) as opening_spread,
        cast(opening_total as {{ type_float64() }}) as opening_total,
        cast(game_spread - opening_spread as {{ type_float64() }})
            as spread_movement,
        cast(game_total - opening_total as {{ type_float64() }})
            as total_movement,

        -- personnel
        cast(starters_out_count as {{ dbt.type_int() }}) as starters_out_count,
        cast(questionable_players_count as {{ dbt.type_int() }})
            as questionable_players_count,

        -- completeness and bootstrap
        season_start_date,
        early_season_flag,
        case
            when prior_games_count = 0 then 'no_prior_games_in_season'
            when early_season_flag then 'early_season_bootstrap'
        end as insufficient_data_reason,
        cast(l7d_expected_games as {{ dbt.type_int() }}) as l7d_expected_games,
        cast(l7d_actual_games as {{ dbt.type_int() }}) as l7d_actual_games,
        cast(l7d_completeness_pct as {{ type_float64() }})
            as l7d_completeness_pct,
        l7d_completeness_pct >= 100 as l7d_is_complete,
        cast(l14d_expected_games as {{ dbt.type_int() }}) as l14d_expected_games,
        cast(l14d_actual_games as {{ dbt.type_int() }}) as l14d_actual_games,
        cast(l14d_completeness_pct as {{ type_float64() }})
            as l14d_completeness_pct,
        l14d_completeness_pct >= 100 as l14d_is_complete,
        l7d_completeness_pct >= 100 and l14d_completeness_pct >= 100
            as all_windows_complete,

        -- quality
        {{ quality_tier('quality_score_raw') }} as quality_tier,
        cast(quality_score_raw as {{ type_float64() }}) as quality_score,
        nullif(quality_issues_text, '') as quality_issues,
        early_season_flag
        or l14d_completeness_pct >= {{ var('production_ready_pct', 70) }}
            as is_production_ready,
        'nbac_schedule' as primary_source_used,
        quality_issues_text <> '' as processed_with_issues,

        -- source tracking
        schedule_processed_at as source_schedule_last_updated,
        cast(l14d_expected_games + 1 as {{ dbt.type_int() }})
            as source_schedule_rows_found,
        cast(l14d_completeness_pct as {{ type_float64() }})
            as source_schedule_completeness_pct,
        odds_last_updated as source_odds_lines_last_updated,
        cast(coalesce(odds_rows_found, 0) as {{ dbt.type_int() }})
            as source_odds_lines_rows_found,
        cast(
            (case when game_spread is null then 0 else 50 end)
            + (case when game_total is null then 0 else 50 end)
            as {{ type_float64() }}
        ) as source_odds_lines_completeness_pct,
        injury_last_updated as source_injury_report_last_updated,
        cast(injury_rows_found as {{ dbt.type_int() }})
            as source_injury_report_rows_found,
        cast(
            case when has_injury_report then 100 else 0 end
            as {{ type_float64() }}
        ) as source_injury_report_completeness_pct
    from scored

)

select * from final
