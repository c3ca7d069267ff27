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
    not production's 0-based team_days_rest.
-#}

{%- set season_lookback_days = 400 -%}

with

int_season_calendar as (

    select
        season_year,
        season_start_date
    from {{ ref('int_season_calendar') }}

),

stg_nba_raw__nbac_schedule as (

    select
        game_id,
        standard_game_id,
        season_year,
        season_type,
        is_final,
        home_team_abbr,
        away_team_abbr,
        home_team_score,
        away_team_score,
        game_date,
        game_date_est,
        processed_at
    from {{ ref('stg_nba_raw__nbac_schedule') }}
    where {{ in_run_window('game_date', lookback_days=season_lookback_days) }}

),

stg_nba_raw__odds_api_game_lines as (

    select
        game_id,
        bookmaker_key,
        market_key,
        outcome_name,
        home_team_name,
        away_team_name,
        outcome_point,
        commence_time,
        snapshot_timestamp,
        processed_at
    from {{ ref('stg_nba_raw__odds_api_game_lines') }}
    where {{ in_run_window('game_date') }}

),

stg_nba_raw__nbac_injury_report as (

    select
        report_date,
        report_hour,
        game_id,
        team_abbr,
        player_lookup,
        injury_status,
        processed_at
    from {{ ref('stg_nba_raw__nbac_injury_report') }}
    where {{ in_run_window('report_date') }}

),

-- one row per team and game: the home view and the away view
team_games as (

    select
        schedule.standard_game_id as game_id,
        schedule.game_id as nba_game_id,
        schedule.game_date,
        schedule.game_date_est,
        schedule.season_year,
        schedule.season_type,
        schedule.is_final,
        case when sides.home_game then schedule.home_team_abbr else schedule.away_team_abbr end
            as team_abbr,
        case when sides.home_game then schedule.away_team_abbr else schedule.home_team_abbr end
            as opponent_team_abbr,
        sides.home_game,
        case when sides.home_game then schedule.home_team_score else schedule.away_team_score end
            as points_for,
        case when sides.home_game then schedule.away_team_score else schedule.home_team_score end
            as points_against,
        schedule.processed_at
    from stg_nba_raw__nbac_schedule as schedule
    cross join (
        select true as home_game
        union all
        select false as home_game
    ) as sides

),

-- a team plays at most one game a day: keep the final, latest snapshot
team_games_deduplicated as (

    select *
    from team_games
    qualify row_number() over (
        partition by game_date, team_abbr
        order by is_final desc, processed_at desc, game_id
    ) = 1

),

-- completed games with their result and the streak they end
completed_games as (

    select
        team_abbr,
        season_year,
        game_date,
        points_for,
        points_against,
        points_for - points_against as margin,
        case when points_for > points_against then 'W' else 'L' end as result
    from team_games_deduplicated
    where is_final
        and points_for is not null
        and points_against is not null

),

completed_games_grouped as (

    select
        *,
        row_number() over (
            partition by team_abbr, season_year order by game_date
        ) - row_number() over (
            partition by team_abbr, season_year, result order by game_date
        ) as streak_group
    from completed_games

),

completed_games_with_streaks as (

    select
        *,
        row_number() over (
            partition by team_abbr, season_year, result, streak_group
            order by game_date
        ) as streak_after_game
    from completed_games_grouped

),

target_games as (

    select *
    from team_games_deduplicated
    where {{ in_run_window('game_date') }}

),

-- season-bounded history strictly before the game date
history_aggregated as (

    select
        target_games.game_date,
        target_games.team_abbr,
        count(completed_games.game_date) as prior_games_count,
        max(completed_games.game_date) as last_game_date,
        sum(case
            when completed_games.game_date
                > cast({{ dbt.dateadd('day', -7, 'target_games.game_date') }} as date)
            then 1 else 0 end) as games_in_last_7_days,
        sum(case
            when completed_games.game_date
                > cast({{ dbt.dateadd('day', -14, 'target_games.game_date') }} as date)
            then 1 else 0 end) as games_in_last_14_days
    from target_games
    left join completed_games
        on completed_games.team_abbr = target_games.team_abbr
        and completed_games.season_year = target_games.season_year
        and completed_games.game_date < target_games.game_date
    group by 1, 2

),

-- schedule completeness: scheduled vs completed games in the L7d / L14d windows
schedule_windows as (

    select
        target_games.game_date,
        target_games.team_abbr,
        sum(case
            when scheduled.game_date
                > cast({{ dbt.dateadd('day', -7, 'target_games.game_date') }} as date)
            then 1 else 0 end) as l7d_expected_games,
        sum(case
            when scheduled.game_date
                > cast({{ dbt.dateadd('day', -7, 'target_games.game_date') }} as date)
                and scheduled.is_final and scheduled.points_for is not null
            then 1 else 0 end) as l7d_actual_games,
        count(scheduled.game_date) as l14d_expected_games,
        sum(case
            when scheduled.is_final and scheduled.points_for is not null
            then 1 else 0 end) as l14d_actual_games
    from target_games
    left join team_games_deduplicated as scheduled
        on scheduled.team_abbr = target_games.team_abbr
        and scheduled.season_year = target_games.season_year
        and scheduled.game_date < target_games.game_date
        and scheduled.game_date
            > cast({{ dbt.dateadd('day', -14, 'target_games.game_date') }} as date)
    group by 1, 2

),

-- game lines: pre-tip-off snapshots, opening and latest per
-- (game, bookmaker, market, outcome)
game_lines_ranked as (

    select
        *,
        {{ snapshot_ranks('game_id, bookmaker_key, market_key, outcome_name') }}
    from stg_nba_raw__odds_api_game_lines
    where snapshot_timestamp < commence_time
        and bookmaker_key in ('draftkings', 'fanduel')
        and outcome_point is not null

),

game_lines_per_bookmaker as (

    select
        game_id,
        bookmaker_key,
        case bookmaker_key when 'draftkings' then 1 else 2 end
            as bookmaker_priority,
        max(case
            when market_key = 'spreads' and outcome_name = home_team_name
                and latest_rank = 1 then outcome_point end) as home_spread,
        max(case
            when market_key = 'spreads' and outcome_name = away_team_name
                and latest_rank = 1 then outcome_point end) as away_spread,
        max(case
            when market_key = 'spreads' and outcome_name = home_team_name
                and opening_rank = 1 then outcome_point end)
            as home_opening_spread,
        max(case
            when market_key = 'spreads' and outcome_name = away_team_name
                and opening_rank = 1 then outcome_point end)
            as away_opening_spread,
        max(case
            when market_key = 'totals' and latest_rank = 1
            then outcome_point end) as total,
        max(case
            when market_key = 'totals' and opening_rank = 1
            then outcome_point end) as opening_total,
        sum(case when latest_rank = 1 then 1 else 0 end) as latest_rows,
        max(processed_at) as last_updated
    from game_lines_ranked
    group by 1, 2

),

team_spreads as (

    select
        target_games.game_date,
        target_games.team_abbr,
        game_lines_per_bookmaker.bookmaker_key,
        case when target_games.home_game
            then game_lines_per_bookmaker.home_spread
            else game_lines_per_bookmaker.away_spread
        end as game_spread,
        case when target_games.home_game
            then game_lines_per_bookmaker.home_opening_spread
            else game_lines_per_bookmaker.away_opening_spread
        end as opening_spread
    from target_games
    inner join game_lines_per_bookmaker
        on game_lines_per_bookmaker.game_id = target_games.game_id
    where case when target_games.home_game
            then game_lines_per_bookmaker.home_spread
            else game_lines_per_bookmaker.away_spread
        end is not null
    qualify row_number() over (
        partition by target_games.game_date, target_games.team_abbr
        order by game_lines_per_bookmaker.bookmaker_priority
    ) = 1

),

game_totals as (

    select
        game_id,
        bookmaker_key,
        total as game_total,
        opening_total
    from game_lines_per_bookmaker
    where total is not null
    qualify row_number() over (
        partition by game_id order by bookmaker_priority
    ) = 1

),

game_lines_tracking as (

    select
        game_id,
        sum(latest_rows) as rows_found,
        max(last_updated) as last_updated
    from game_lines_per_bookmaker
    group by 1

),

-- injury report: the latest report of game day before tip-off
injury_reports_before_tipoff as (

    select stg_nba_raw__nbac_injury_report.*
    from stg_nba_raw__nbac_injury_report
    inner join team_games_deduplicated as games
        on games.game_id = stg_nba_raw__nbac_injury_report.game_id
        and games.team_abbr = stg_nba_raw__nbac_injury_report.team_abbr
        and games.game_date = stg_nba_raw__nbac_injury_report.report_date
    where stg_nba_raw__nbac_injury_report.report_hour
        <= {{ hour_of_timestamp("games.game_date_est") }}
        or games.game_date_est is null

),

latest_injury_report as (

    select *
    from injury_reports_before_tipoff
    qualify rank() over (
        partition by game_id order by report_hour desc
    ) = 1

),

injury_counts as (

    select
        game_id,
        team_abbr,
        sum(case when lower(injury_status) = 'out' then 1 else 0 end)
            as starters_out_count,
        sum(case
            when lower(injury_status) in ('questionable', 'doubtful')
            then 1 else 0 end) as questionable_players_count,
        count(*) as rows_found,
        max(processed_at) as last_updated
    from latest_injury_report
    group by 1, 2

),

injury_reports_per_game as (

    select
        game_id,
        max(processed_at) as last_updated
    from latest_injury_report
    group by 1

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
        history_aggregated.prior_games_count,
        history_aggregated.last_game_date,
        history_aggregated.games_in_last_7_days,
        history_aggregated.games_in_last_14_days,
        last_game.margin as last_game_margin,
        last_game.result as last_game_result,
        last_game.streak_after_game as last_streak_length,
        schedule_windows.l7d_expected_games,
        schedule_windows.l7d_actual_games,
        schedule_windows.l14d_expected_games,
        schedule_windows.l14d_actual_games,
        team_spreads.game_spread,
        team_spreads.opening_spread,
        team_spreads.bookmaker_key as game_spread_source,
        game_totals.game_total,
        game_totals.opening_total,
        game_totals.bookmaker_key as game_total_source,
        game_lines_tracking.rows_found as odds_rows_found,
        game_lines_tracking.last_updated as odds_last_updated,
        coalesce(injury_counts.starters_out_count, 0) as starters_out_count,
        coalesce(injury_counts.questionable_players_count, 0)
            as questionable_players_count,
        coalesce(injury_counts.rows_found, 0) as injury_rows_found,
        injury_reports_per_game.game_id is not null as has_injury_report,
        coalesce(injury_counts.last_updated,
            injury_reports_per_game.last_updated) as injury_last_updated
    from target_games
    left join int_season_calendar
        on int_season_calendar.season_year = target_games.season_year
    left join history_aggregated
        on history_aggregated.game_date = target_games.game_date
        and history_aggregated.team_abbr = target_games.team_abbr
    left join completed_games_with_streaks as last_game
        on last_game.team_abbr = target_games.team_abbr
        and last_game.game_date = history_aggregated.last_game_date
    left join schedule_windows
        on schedule_windows.game_date = target_games.game_date
        and schedule_windows.team_abbr = target_games.team_abbr
    left join team_spreads
        on team_spreads.game_date = target_games.game_date
        and team_spreads.team_abbr = target_games.team_abbr
    left join game_totals
        on game_totals.game_id = target_games.game_id
    left join game_lines_tracking
        on game_lines_tracking.game_id = target_games.game_id
    left join injury_counts
        on injury_counts.game_id = target_games.game_id
        and injury_counts.team_abbr = target_games.team_abbr
    left join injury_reports_per_game
        on injury_reports_per_game.game_id = target_games.game_id

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
        cast(case when last_game_result = 'W' then last_streak_length else 0 end
            as {{ dbt.type_int() }}) as team_win_streak_entering,
        cast(case when last_game_result = 'L' then last_streak_length else 0 end
            as {{ dbt.type_int() }}) as team_loss_streak_entering,
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
            as {{ type_float64() }}) as source_odds_lines_completeness_pct,
        injury_last_updated as source_injury_report_last_updated,
        cast(injury_rows_found as {{ dbt.type_int() }})
            as source_injury_report_rows_found,
        cast(case when has_injury_report then 100 else 0 end
            as {{ type_float64() }}) as source_injury_report_completeness_pct
    from scored

)

select * from final
