{{ config(
    tags=['phase3'],
    **phase_incremental_config(
        'game_date', ['player_lookup', 'universal_player_id', 'game_date'])
) }}

{#-
    upcoming_player_game_context (UPCG), domain.md §2.4, BACKFILL mode.
    Player universe = the staged gamebook rows of the date (active, dnp and
    inactive: production keeps all of them), joined to the schedule.
    Every history window is strictly before the game date and bounded by the
    row's season (decisions.md fix 6); rest uses decisions.md fix 2
    (1 = back-to-back, NULL without a previous game this season);
    avg_usage_rate_last_7_games is over the last 7 games (fix 5).
    Props, game lines and the injury report only count what existed before
    tip-off.
-#}

{%- set season_lookback_days = 400 -%}
{%- set recent_lookback_days = 45 -%}
{%- set roster_lookback_days = 90 -%}
{%- set completeness_bootstrap_days = 30 -%}

with

int_season_calendar as (

    select
        season_year,
        season_start_date
    from {{ ref('int_season_calendar') }}

),

stg_nba_raw__nbac_gamebook_player_stats as (

    select
        game_id,
        game_date,
        season_year,
        player_lookup,
        player_name,
        team_abbr,
        home_team_abbr,
        away_team_abbr,
        player_status,
        is_dnp,
        processed_at
    from {{ ref('stg_nba_raw__nbac_gamebook_player_stats') }}
    where {{ in_run_window('game_date', lookback_days=season_lookback_days) }}

),

stg_nba_raw__nbac_schedule as (

    select
        game_id,
        standard_game_id,
        season_year,
        season_type,
        home_team_abbr,
        away_team_abbr,
        game_date,
        game_date_est
    from {{ ref('stg_nba_raw__nbac_schedule') }}
    where {{ in_run_window('game_date', lookback_days=season_lookback_days) }}

),

player_game_summary as (

    select
        game_date,
        season_year,
        player_lookup,
        team_abbr,
        points,
        minutes_played,
        usage_rate,
        is_dnp
    from {{ ref('player_game_summary') }}
    where {{ in_run_window('game_date', lookback_days=season_lookback_days) }}

),

team_offense_game_summary as (

    select
        game_date,
        season_year,
        team_abbr,
        pace,
        offensive_rating,
        rebounds,
        possessions
    from {{ ref('team_offense_game_summary') }}
    where {{ in_run_window('game_date', lookback_days=recent_lookback_days) }}
        -- a placeholder team game (no source rows) is no game of the window
        and primary_source_used <> 'none'

),

team_defense_game_summary as (

    select
        game_date,
        season_year,
        team_abbr,
        defensive_rating,
        opp_ft_attempts,
        opp_fg_attempts
    from {{ ref('team_defense_game_summary') }}
    where {{ in_run_window('game_date', lookback_days=recent_lookback_days) }}
        and primary_source_used <> 'none'

),

stg_nba_raw__odds_api_player_points_props as (

    select
        game_id,
        game_date,
        player_lookup,
        bookmaker,
        points_line,
        snapshot_timestamp,
        game_start_time,
        processed_at
    from {{ ref('stg_nba_raw__odds_api_player_points_props') }}
    where {{ in_run_window('game_date') }}

),

stg_nba_raw__bettingpros_player_points_props as (

    select
        game_date,
        player_lookup,
        bookmaker,
        bet_side,
        points_line,
        opening_line,
        opening_timestamp,
        bookmaker_last_update,
        processed_at
    from {{ ref('stg_nba_raw__bettingpros_player_points_props') }}
    where {{ in_run_window('game_date') }}
        and market_type = 'points'
        and is_active

),

stg_nba_raw__odds_api_game_lines as (

    select
        game_id,
        bookmaker_key,
        market_key,
        outcome_name,
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
        reason,
        processed_at
    from {{ ref('stg_nba_raw__nbac_injury_report') }}
    where {{ in_run_window('report_date') }}

),

stg_nba_raw__espn_team_rosters as (

    select
        roster_date,
        team_abbr,
        player_lookup,
        age,
        scrape_hour,
        processed_at
    from {{ ref('stg_nba_raw__espn_team_rosters') }}
    where {{ in_run_window('roster_date', lookback_days=roster_lookback_days) }}

),

-- ---------------------------------------------------------------- universe

games as (

    select
        standard_game_id as game_id,
        game_id as nba_game_id,
        game_date,
        season_year,
        home_team_abbr,
        away_team_abbr,
        game_date_est
    from stg_nba_raw__nbac_schedule
    where {{ in_run_window('game_date') }}

),

-- each player's roster rows, one per roster date (its latest scrape), with the
-- date of his next one: the row in force from roster_date until then
roster_days as (

    select
        player_lookup,
        roster_date,
        team_abbr,
        age
    from stg_nba_raw__espn_team_rosters
    qualify row_number() over (
        partition by player_lookup, roster_date
        order by scrape_hour desc, processed_at desc
    ) = 1

),

roster_periods as (

    select
        roster_days.*,
        coalesce(
            lead(roster_date) over (partition by player_lookup order by roster_date),
            cast('9999-12-31' as date)
        ) as next_roster_date
    from roster_days

),

-- the latest ESPN roster row of each player on or before each game date (at
-- most 90 days old): the one row whose period holds the date, not every row of
-- the 90 days ranked
player_rosters as (

    select
        games.game_date,
        roster_periods.player_lookup,
        roster_periods.team_abbr,
        roster_periods.age
    from (select distinct game_date from games) as games
    inner join roster_periods
        on roster_periods.roster_date <= games.game_date
        and roster_periods.next_roster_date > games.game_date
        and roster_periods.roster_date
            >= cast({{ dbt.dateadd('day', -roster_lookback_days, 'games.game_date') }} as date)

),

universe as (

    select
        games.game_id,
        games.nba_game_id,
        gamebook.game_date,
        coalesce(gamebook.season_year, games.season_year) as season_year,
        gamebook.player_lookup,
        gamebook.player_name,
        gamebook.player_status,
        coalesce(
            gamebook.team_abbr,
            case when player_rosters.team_abbr
                in (games.home_team_abbr, games.away_team_abbr)
                then player_rosters.team_abbr end
        ) as team_abbr,
        games.home_team_abbr,
        games.away_team_abbr,
        games.game_date_est,
        player_rosters.age as player_age,
        gamebook.processed_at as gamebook_processed_at
    from stg_nba_raw__nbac_gamebook_player_stats as gamebook
    inner join games
        on games.game_id = gamebook.game_id
    left join player_rosters
        on player_rosters.game_date = gamebook.game_date
        and player_rosters.player_lookup = gamebook.player_lookup
    where {{ in_run_window('gamebook.game_date') }}
    qualify row_number() over (
        partition by gamebook.game_date, gamebook.player_lookup
        order by gamebook.processed_at desc, games.game_id
    ) = 1

),

universe_with_opponent as (

    select
        universe.*,
        case
            when team_abbr = home_team_abbr then away_team_abbr
            when team_abbr = away_team_abbr then home_team_abbr
        end as opponent_team_abbr,
        team_abbr = home_team_abbr as home_game
    from universe

),

-- ---------------------------------------------------------------- history

-- played PGS games (DNP dropped: points non-null and (points > 0 or minutes))
played_games as (

    select
        player_lookup,
        season_year,
        game_date,
        team_abbr,
        points,
        minutes_played,
        usage_rate,
        lag(game_date) over (
            partition by player_lookup, season_year order by game_date
        ) as previous_game_date,
        lead(game_date) over (
            partition by player_lookup, season_year order by game_date
        ) as next_game_date,
        row_number() over (
            partition by player_lookup, season_year order by game_date
        ) as game_number
    from player_game_summary
    where points is not null
        and (points > 0 or minutes_played is not null)
        and not coalesce(is_dnp, false)

),

played_game_sequence as (

    select
        played_games.*,
        max(case
            when previous_game_date is null
                or {{ dbt.datediff('previous_game_date', 'game_date', 'day') }} >= 2
            then game_date end) over (
            partition by player_lookup, season_year order by game_date
            rows between unbounded preceding and current row
        ) as last_game_after_2_plus_days_rest
    from played_games

),

-- each universe row's last played game of the season before D (the game whose
-- next one is on or after D): its number in the season is the count of
-- games played before D
last_played_games as {{ materialized_cte() }} (

    select
        universe_with_opponent.game_date,
        universe_with_opponent.player_lookup,
        universe_with_opponent.season_year,
        played_game_sequence.game_number,
        played_game_sequence.last_game_after_2_plus_days_rest
    from universe_with_opponent
    inner join played_game_sequence
        on played_game_sequence.player_lookup = universe_with_opponent.player_lookup
        and played_game_sequence.season_year = universe_with_opponent.season_year
        and {{ last_game_before('played_game_sequence', 'universe_with_opponent.game_date') }}

),

-- each universe row with the played games its windows read, newest first:
-- the last 10 of the season before D and every one of the 30 days before D
-- (the day windows are a prefix of the ranked games); the rank is counted
-- from the last game's number, not sorted per row
player_history as (

    select
        last_played_games.game_date,
        last_played_games.player_lookup,
        played_games.game_date as history_date,
        played_games.previous_game_date,
        played_games.points,
        played_games.minutes_played,
        played_games.usage_rate,
        {{ recent_day_windows('played_games.game_date', 'last_played_games.game_date') }},
        last_played_games.game_number - played_games.game_number + 1 as game_rank,
        last_played_games.last_game_after_2_plus_days_rest
    from last_played_games
    inner join played_games
        on played_games.player_lookup = last_played_games.player_lookup
        and played_games.season_year = last_played_games.season_year
        and {{ games_read_by_windows('played_games', 'last_played_games', 10, 30) }}

),

fatigue_and_performance as (

    select
        game_date,
        player_lookup,
        max(history_date) as last_game_date,
        max(case when game_rank = 1 then
            {{ dbt.datediff('previous_game_date', 'history_date', 'day') }}
        end) as days_rest_before_last_game,
        -- the season's, not the window's: from the last game's running max
        max(last_game_after_2_plus_days_rest) as last_game_after_2_plus_days_rest,
        sum(case when is_last_7_days then 1 else 0 end) as games_in_last_7_days,
        sum(case when is_last_14_days then 1 else 0 end) as games_in_last_14_days,
        sum(case when is_last_30_days then 1 else 0 end) as games_in_last_30_days,
        {{ sum_tenths("case when is_last_7_days then minutes_played end") }} as minutes_7_days,
        {{ sum_tenths("case when is_last_14_days then minutes_played end") }} as minutes_14_days,
        sum(case
            when is_last_14_days
                and previous_game_date
                    > cast({{ dbt.dateadd('day', -14, 'game_date') }} as date)
                and {{ dbt.datediff('previous_game_date', 'history_date', 'day') }} = 1
            then 1 else 0 end) as back_to_backs_last_14_days,
        avg(case when game_rank <= 7 then usage_rate end)
            as avg_usage_rate_last_7_games,
        avg(case when game_rank <= 5 and is_last_30_days then points end)
            as points_avg_last_5,
        avg(case when game_rank <= 10 and is_last_30_days then points end)
            as points_avg_last_10,
        sum(case when game_rank <= 5 and is_last_30_days then 1 else 0 end)
            as games_last_5,
        sum(case when game_rank <= 10 and is_last_30_days then 1 else 0 end)
            as games_last_10
    from player_history
    group by 1, 2

),

-- ---------------------------------------------------------------- betting

tipoff_times as (

    select
        game_id,
        min(commence_time) as tipoff_at
    from stg_nba_raw__odds_api_game_lines
    group by 1

),

odds_api_props_ranked as (

    select
        stg_nba_raw__odds_api_player_points_props.*,
        row_number() over (
            partition by game_date, player_lookup, bookmaker
            order by snapshot_timestamp desc, processed_at desc
        ) as latest_rank,
        row_number() over (
            partition by game_date, player_lookup, bookmaker
            order by snapshot_timestamp, processed_at
        ) as opening_rank
    from stg_nba_raw__odds_api_player_points_props
    where snapshot_timestamp < game_start_time
        and points_line is not null
        and bookmaker in ('draftkings', 'fanduel')

),

odds_api_props as (

    select
        game_date,
        player_lookup,
        'odds_api_' || bookmaker as line_source,
        case bookmaker when 'draftkings' then 1 else 3 end as cascade_rank,
        max(case when latest_rank = 1 then points_line end) as current_line,
        max(case when opening_rank = 1 then points_line end) as opening_line,
        count(*) as rows_found,
        max(processed_at) as last_updated
    from odds_api_props_ranked
    group by 1, 2, 3, 4

),

bettingpros_props as (

    select
        bettingpros.game_date,
        bettingpros.player_lookup,
        'bettingpros_' || lower(replace(bettingpros.bookmaker, ' ', '_'))
            as line_source,
        case bettingpros.bookmaker
            when 'DraftKings' then 2
            when 'FanDuel' then 4
            else 5
        end as cascade_rank,
        bettingpros.points_line as current_line,
        bettingpros.opening_line,
        cast(1 as {{ dbt.type_bigint() }}) as rows_found,
        bettingpros.processed_at as last_updated
    from stg_nba_raw__bettingpros_player_points_props as bettingpros
    left join universe_with_opponent as universe
        on universe.game_date = bettingpros.game_date
        and universe.player_lookup = bettingpros.player_lookup
    left join tipoff_times
        on tipoff_times.game_id = universe.game_id
    where bettingpros.bookmaker
            in ('DraftKings', 'FanDuel', 'BettingPros Consensus')
        and bettingpros.points_line is not null
        -- no offer updated after tip-off (decisions.md fix 16)
        and (tipoff_times.tipoff_at is null
            or bettingpros.bookmaker_last_update < tipoff_times.tipoff_at)
    qualify row_number() over (
        partition by
            bettingpros.game_date,
            bettingpros.player_lookup,
            bettingpros.bookmaker
        order by
            case bettingpros.bet_side when 'over' then 0 else 1 end,
            bettingpros.bookmaker_last_update desc
    ) = 1

),

prop_lines as (

    select * from odds_api_props
    union all
    select * from bettingpros_props

),

-- the cascade: odds_api DK → bettingpros DK → odds_api FD → bettingpros FD
-- → bettingpros consensus; the first source with a pre-game line wins
chosen_prop_lines as (

    select *
    from prop_lines
    where current_line is not null
    qualify row_number() over (
        partition by game_date, player_lookup order by cascade_rank
    ) = 1

),

-- prop streaks: previous played games (30 days) vs the current line
prop_streak_games as (

    select
        player_history.game_date,
        player_history.player_lookup,
        case
            when player_history.points > chosen_prop_lines.current_line
            then 'over' else 'under'
        end as direction,
        row_number() over (
            partition by player_history.game_date, player_history.player_lookup
            order by player_history.history_date desc
        ) as walk_rank
    from player_history
    inner join chosen_prop_lines
        on chosen_prop_lines.game_date = player_history.game_date
        and chosen_prop_lines.player_lookup = player_history.player_lookup
    where player_history.is_last_30_days
        and player_history.points <> chosen_prop_lines.current_line

),

prop_streak_breaks as (

    select
        prop_streak_games.game_date,
        prop_streak_games.player_lookup,
        max(first_game.direction) as streak_direction,
        count(*) as walked_games,
        min(case
            when prop_streak_games.direction <> first_game.direction
            then prop_streak_games.walk_rank end) as first_reversal_rank
    from prop_streak_games
    inner join prop_streak_games as first_game
        on first_game.game_date = prop_streak_games.game_date
        and first_game.player_lookup = prop_streak_games.player_lookup
        and first_game.walk_rank = 1
    group by 1, 2

),

prop_streaks as (

    select
        game_date,
        player_lookup,
        streak_direction,
        coalesce(first_reversal_rank, walked_games + 1) - 1 as streak_length
    from prop_streak_breaks

),

-- game lines: median across bookmakers of the latest (and earliest)
-- pre-game snapshot; spreads on the favourite side only (point <= 0)
game_line_snapshots as (

    select
        game_id,
        bookmaker_key,
        market_key,
        outcome_point,
        processed_at,
        row_number() over (
            partition by game_id, bookmaker_key, market_key, outcome_name
            order by snapshot_timestamp desc, processed_at desc
        ) as latest_rank,
        row_number() over (
            partition by game_id, bookmaker_key, market_key, outcome_name
            order by snapshot_timestamp, processed_at
        ) as opening_rank
    from stg_nba_raw__odds_api_game_lines
    where snapshot_timestamp < commence_time
        and outcome_point is not null
        and (
            (market_key = 'spreads' and outcome_point <= 0)
            or (market_key = 'totals' and outcome_name = 'Over')
        )

),

game_line_values as (

    select
        game_id,
        market_key,
        'current' as line_kind,
        bookmaker_key,
        outcome_point
    from game_line_snapshots
    where latest_rank = 1

    union all

    select
        game_id,
        market_key,
        'opening' as line_kind,
        bookmaker_key,
        outcome_point
    from game_line_snapshots
    where opening_rank = 1

),

-- one favourite point per bookmaker (a pick'em has two sides at 0)
game_line_values_per_bookmaker as (

    select
        game_id,
        market_key,
        line_kind,
        bookmaker_key,
        min(outcome_point) as outcome_point
    from game_line_values
    group by 1, 2, 3, 4

),

game_line_values_ordered as (

    select
        *,
        row_number() over (
            partition by game_id, market_key, line_kind
            order by outcome_point, bookmaker_key
        ) as value_rank,
        count(*) over (
            partition by game_id, market_key, line_kind
        ) as value_count
    from game_line_values_per_bookmaker

),

-- the median without percentile_cont (an analytic function on BigQuery):
-- the mean of the middle value(s)
game_line_medians as (

    select
        game_id,
        avg(case
            when market_key = 'spreads' and line_kind = 'current'
            then outcome_point end) as game_spread,
        avg(case
            when market_key = 'totals' and line_kind = 'current'
            then outcome_point end) as game_total,
        avg(case
            when market_key = 'spreads' and line_kind = 'opening'
            then outcome_point end) as opening_spread,
        avg(case
            when market_key = 'totals' and line_kind = 'opening'
            then outcome_point end) as opening_total
    from game_line_values_ordered
    where value_rank in (
        cast(floor((value_count + 1) / 2.0) as {{ dbt.type_bigint() }}),
        cast(ceil((value_count + 1) / 2.0) as {{ dbt.type_bigint() }})
    )
    group by 1

),

game_line_tracking as (

    select
        game_id,
        sum(case when latest_rank = 1 then 1 else 0 end) as rows_found,
        max(processed_at) as last_updated
    from game_line_snapshots
    group by 1

),

-- ---------------------------------------------------------------- team context

team_dates_both_sides as (

    select game_date, season_year, team_abbr
    from universe_with_opponent
    where team_abbr is not null

    union all

    select game_date, season_year, opponent_team_abbr as team_abbr
    from universe_with_opponent
    where opponent_team_abbr is not null

),

team_dates as (

    select distinct game_date, season_year, team_abbr
    from team_dates_both_sides

),

-- each team's games (offence and defence of the same game side by side),
-- then one window: its last 10 games this season before the date
team_games as (

    select
        coalesce(team_offense_game_summary.game_date, team_defense_game_summary.game_date)
            as game_date,
        coalesce(team_offense_game_summary.season_year, team_defense_game_summary.season_year)
            as season_year,
        coalesce(team_offense_game_summary.team_abbr, team_defense_game_summary.team_abbr)
            as team_abbr,
        team_offense_game_summary.pace,
        team_offense_game_summary.offensive_rating,
        team_offense_game_summary.rebounds
            / nullif(team_offense_game_summary.possessions, 0)
            as rebounding_rate,
        team_defense_game_summary.defensive_rating,
        team_defense_game_summary.opp_ft_attempts
            / nullif(team_defense_game_summary.opp_fg_attempts, 0)
            as ft_rate_allowed,
        team_offense_game_summary.team_abbr is not null as has_offense,
        team_defense_game_summary.team_abbr is not null as has_defense
    from team_offense_game_summary
    full outer join team_defense_game_summary
        on team_defense_game_summary.game_date = team_offense_game_summary.game_date
        and team_defense_game_summary.team_abbr = team_offense_game_summary.team_abbr

),

team_last_10 as (

    select
        team_dates.game_date,
        team_dates.team_abbr,
        team_games.pace,
        team_games.offensive_rating,
        team_games.rebounding_rate,
        team_games.defensive_rating,
        team_games.ft_rate_allowed,
        team_games.has_offense,
        team_games.has_defense
    from team_dates
    inner join team_games
        on team_games.team_abbr = team_dates.team_abbr
        and team_games.season_year = team_dates.season_year
        and team_games.game_date < team_dates.game_date
        and team_games.game_date
            >= cast({{ dbt.dateadd('day', -recent_lookback_days, 'team_dates.game_date') }} as date)
    qualify row_number() over (
        partition by team_dates.game_date, team_dates.team_abbr
        order by team_games.game_date desc
    ) <= 10

),

team_offense_form as (

    select
        game_date,
        team_abbr,
        count(*) as games_found,
        avg(pace) as avg_pace,
        stddev_samp(pace) as stddev_pace,
        avg(offensive_rating) as avg_off_rating,
        stddev_samp(offensive_rating) as stddev_off_rating,
        avg(rebounding_rate) as avg_rebounding_rate,
        stddev_samp(rebounding_rate) as stddev_rebounding_rate
    from team_last_10
    where has_offense
    group by 1, 2

),

team_defense_form as (

    select
        game_date,
        team_abbr,
        avg(defensive_rating) as avg_def_rating,
        stddev_samp(defensive_rating) as stddev_def_rating,
        avg(ft_rate_allowed) as avg_ft_rate_allowed
    from team_last_10
    where has_defense
    group by 1, 2

),

-- ---------------------------------------------------------------- injuries

injury_reports_before_tipoff as (

    select
        stg_nba_raw__nbac_injury_report.*
    from stg_nba_raw__nbac_injury_report
    inner join games
        on games.game_id = stg_nba_raw__nbac_injury_report.game_id
        and games.game_date = stg_nba_raw__nbac_injury_report.report_date
    where games.game_date_est is null
        or stg_nba_raw__nbac_injury_report.report_hour
            <= {{ hour_of_timestamp("games.game_date_est") }}

),

latest_injury_report as (

    select *
    from injury_reports_before_tipoff
    qualify rank() over (
        partition by game_id order by report_hour desc
    ) = 1

),

player_injuries as (

    select
        report_date as game_date,
        player_lookup,
        team_abbr,
        lower(injury_status) as injury_status,
        reason
    from latest_injury_report
    qualify row_number() over (
        partition by report_date, player_lookup
        order by processed_at desc
    ) = 1

),

-- out / doubtful players on their team's latest roster (within 90 days)
injured_rostered_players as (

    select
        player_injuries.game_date,
        player_injuries.player_lookup,
        player_rosters.team_abbr
    from player_injuries
    inner join player_rosters
        on player_rosters.game_date = player_injuries.game_date
        and player_rosters.player_lookup = player_injuries.player_lookup
        and player_rosters.team_abbr = player_injuries.team_abbr
    where player_injuries.injury_status in ('out', 'doubtful')

),

injured_player_form as (

    select
        injured_rostered_players.game_date,
        injured_rostered_players.player_lookup,
        injured_rostered_players.team_abbr,
        played_games.points,
        played_games.minutes_played,
        count(*) over (
            partition by
                injured_rostered_players.game_date,
                injured_rostered_players.player_lookup
        ) as season_games,
        row_number() over (
            partition by
                injured_rostered_players.game_date,
                injured_rostered_players.player_lookup
            order by played_games.game_date desc
        ) as game_rank
    from injured_rostered_players
    inner join played_games
        on played_games.player_lookup = injured_rostered_players.player_lookup
        and played_games.season_year
            = {{ season_year_from_date('injured_rostered_players.game_date') }}
        and played_games.game_date < injured_rostered_players.game_date

),

star_players_out as (

    select
        game_date,
        player_lookup,
        team_abbr
    from injured_player_form
    where game_rank <= 10
        and season_games >= 10
    group by 1, 2, 3
    having avg(points) >= 18
        or (avg(minutes_played) >= 28 and avg(points) >= 12)

),

-- ---------------------------------------------------------------- completeness

gamebook_played as (

    select
        player_lookup,
        season_year,
        game_date
    from stg_nba_raw__nbac_gamebook_player_stats
    where player_status = 'active'
        and not coalesce(is_dnp, false)

),

gamebook_played_sequence as (

    select
        player_lookup,
        season_year,
        game_date,
        lead(game_date) over (
            partition by player_lookup, season_year order by game_date
        ) as next_game_date,
        row_number() over (
            partition by player_lookup, season_year order by game_date
        ) as game_number
    from gamebook_played

),

-- each universe row's last gamebook game of the season before D: its number
-- is the count of the season's gamebook games before D
last_gamebook_games as {{ materialized_cte() }} (

    select
        universe_with_opponent.game_date,
        universe_with_opponent.player_lookup,
        universe_with_opponent.season_year,
        gamebook_played_sequence.game_number
    from universe_with_opponent
    inner join gamebook_played_sequence
        on gamebook_played_sequence.player_lookup = universe_with_opponent.player_lookup
        and gamebook_played_sequence.season_year = universe_with_opponent.season_year
        and {{ last_game_before('gamebook_played_sequence', 'universe_with_opponent.game_date') }}

),

-- the gamebook games the completeness windows read (the last 10, and every one
-- of the 30 days before D), ranked from the last game's number
completeness_games as (

    select
        last_gamebook_games.game_date,
        last_gamebook_games.player_lookup,
        gamebook_played_sequence.game_date as expected_date,
        played_games.game_date is not null as is_found,
        {{ recent_day_windows('gamebook_played_sequence.game_date', 'last_gamebook_games.game_date') }},
        last_gamebook_games.game_number - gamebook_played_sequence.game_number + 1 as game_rank
    from last_gamebook_games
    inner join gamebook_played_sequence
        on gamebook_played_sequence.player_lookup = last_gamebook_games.player_lookup
        and gamebook_played_sequence.season_year = last_gamebook_games.season_year
        and {{ games_read_by_windows('gamebook_played_sequence', 'last_gamebook_games', 10, 30) }}
    left join played_games
        on played_games.player_lookup = gamebook_played_sequence.player_lookup
        and played_games.game_date = gamebook_played_sequence.game_date

),

completeness_windows as (

    select
        game_date,
        player_lookup,
        sum(case when game_rank <= 5 then 1 else 0 end) as l5_expected,
        sum(case when game_rank <= 5 and is_found then 1 else 0 end) as l5_actual,
        sum(case when game_rank <= 10 then 1 else 0 end) as l10_expected,
        sum(case when game_rank <= 10 and is_found then 1 else 0 end) as l10_actual,
        sum(case when is_last_7_days then 1 else 0 end) as l7d_expected,
        sum(case when is_last_7_days and is_found then 1 else 0 end) as l7d_actual,
        sum(case when is_last_14_days then 1 else 0 end) as l14d_expected,
        sum(case when is_last_14_days and is_found then 1 else 0 end) as l14d_actual,
        sum(case when is_last_30_days then 1 else 0 end) as l30d_expected,
        sum(case when is_last_30_days and is_found then 1 else 0 end) as l30d_actual
    from completeness_games
    group by 1, 2

),

-- ---------------------------------------------------------------- assembly

joined as (

    select
        universe_with_opponent.*,
        int_season_calendar.season_start_date,
        fatigue_and_performance.last_game_date,
        fatigue_and_performance.days_rest_before_last_game,
        fatigue_and_performance.last_game_after_2_plus_days_rest,
        coalesce(fatigue_and_performance.games_in_last_7_days, 0)
            as games_in_last_7_days,
        coalesce(fatigue_and_performance.games_in_last_14_days, 0)
            as games_in_last_14_days,
        coalesce(fatigue_and_performance.games_in_last_30_days, 0)
            as history_games_count,
        coalesce(fatigue_and_performance.minutes_7_days, 0) as minutes_7_days,
        coalesce(fatigue_and_performance.minutes_14_days, 0) as minutes_14_days,
        coalesce(fatigue_and_performance.back_to_backs_last_14_days, 0)
            as back_to_backs_last_14_days,
        fatigue_and_performance.avg_usage_rate_last_7_games,
        fatigue_and_performance.points_avg_last_5,
        fatigue_and_performance.points_avg_last_10,
        coalesce(fatigue_and_performance.games_last_5, 0) as games_last_5,
        coalesce(fatigue_and_performance.games_last_10, 0) as games_last_10,
        chosen_prop_lines.current_line,
        chosen_prop_lines.opening_line,
        chosen_prop_lines.line_source,
        chosen_prop_lines.last_updated as props_last_updated,
        coalesce(chosen_prop_lines.rows_found, 0) as props_rows_found,
        prop_streaks.streak_direction,
        prop_streaks.streak_length,
        game_line_medians.game_spread,
        game_line_medians.game_total,
        game_line_medians.opening_spread,
        game_line_medians.opening_total,
        coalesce(game_line_tracking.rows_found, 0) as game_lines_rows_found,
        game_line_tracking.last_updated as game_lines_last_updated,
        own_offense.avg_pace as team_pace_last_10,
        coalesce(own_offense.games_found, 0) as team_games_found,
        opponent_offense.avg_pace as opponent_pace_last_10,
        opponent_offense.stddev_pace as opponent_pace_stddev_last_10,
        opponent_offense.avg_off_rating as opponent_off_rating_last_10,
        opponent_offense.stddev_off_rating
            as opponent_off_rating_stddev_last_10,
        opponent_offense.avg_rebounding_rate as opponent_rebounding_rate,
        opponent_offense.stddev_rebounding_rate
            as opponent_rebounding_rate_stddev,
        opponent_defense.avg_def_rating as opponent_def_rating_last_10,
        opponent_defense.stddev_def_rating
            as opponent_def_rating_stddev_last_10,
        opponent_defense.avg_ft_rate_allowed as opponent_ft_rate_allowed,
        player_injuries.injury_status,
        player_injuries.reason as injury_reason,
        completeness_windows.l5_expected,
        completeness_windows.l5_actual,
        completeness_windows.l10_expected,
        completeness_windows.l10_actual,
        completeness_windows.l7d_expected,
        completeness_windows.l7d_actual,
        completeness_windows.l14d_expected,
        completeness_windows.l14d_actual,
        completeness_windows.l30d_expected,
        completeness_windows.l30d_actual
    from universe_with_opponent
    left join int_season_calendar
        on int_season_calendar.season_year = universe_with_opponent.season_year
    left join fatigue_and_performance
        on fatigue_and_performance.game_date = universe_with_opponent.game_date
        and fatigue_and_performance.player_lookup
            = universe_with_opponent.player_lookup
    left join chosen_prop_lines
        on chosen_prop_lines.game_date = universe_with_opponent.game_date
        and chosen_prop_lines.player_lookup = universe_with_opponent.player_lookup
    left join prop_streaks
        on prop_streaks.game_date = universe_with_opponent.game_date
        and prop_streaks.player_lookup = universe_with_opponent.player_lookup
    left join game_line_medians
        on game_line_medians.game_id = universe_with_opponent.game_id
    left join game_line_tracking
        on game_line_tracking.game_id = universe_with_opponent.game_id
    left join team_offense_form as own_offense
        on own_offense.game_date = universe_with_opponent.game_date
        and own_offense.team_abbr = universe_with_opponent.team_abbr
    left join team_offense_form as opponent_offense
        on opponent_offense.game_date = universe_with_opponent.game_date
        and opponent_offense.team_abbr = universe_with_opponent.opponent_team_abbr
    left join team_defense_form as opponent_defense
        on opponent_defense.game_date = universe_with_opponent.game_date
        and opponent_defense.team_abbr = universe_with_opponent.opponent_team_abbr
    left join player_injuries
        on player_injuries.game_date = universe_with_opponent.game_date
        and player_injuries.player_lookup = universe_with_opponent.player_lookup
    left join completeness_windows
        on completeness_windows.game_date = universe_with_opponent.game_date
        and completeness_windows.player_lookup
            = universe_with_opponent.player_lookup

),

with_star_teammates as (

    select
        joined.*,
        coalesce(star_counts.star_players_out, 0) as star_teammates_out
    from joined
    left join (
        select
            universe.game_date,
            universe.player_lookup,
            count(*) as star_players_out
        from universe_with_opponent as universe
        inner join star_players_out
            on star_players_out.game_date = universe.game_date
            and star_players_out.team_abbr = universe.team_abbr
            and star_players_out.player_lookup <> universe.player_lookup
        group by 1, 2
    ) as star_counts
        on star_counts.game_date = joined.game_date
        and star_counts.player_lookup = joined.player_lookup

),

{%- set windows = ['l5', 'l10', 'l7d', 'l14d', 'l30d'] %}

derived as (

    select
        *,
        {{ dbt.datediff('last_game_date', 'game_date', 'day') }} as days_rest,
        {{ dbt.datediff('season_start_date', 'game_date', 'day') }}
            as days_into_season,
        {%- for w in windows %}
        case when {{ w }}_expected is null or {{ w }}_expected = 0 then 100.0
            else {{ capped_pct('100.0 * ' ~ w ~ '_actual / ' ~ w ~ '_expected') }}
        end as {{ w }}_pct,
        {%- endfor %}
        case
            when history_games_count >= 10 then 95
            when history_games_count >= 5 then 75
            else 50
        end as quality_score_value
    from with_star_teammates

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
        case
            when extract(month from game_date) in (10, 11) then 'early'
            when extract(month from game_date) in (12, 1, 2) then 'mid'
            when extract(month from game_date) in (3, 4) then 'late'
            else 'playoffs'
        end as season_phase,
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
            then round(minutes_7_days / games_in_last_7_days, 1)
        end as {{ type_float64() }}) as avg_minutes_per_game_last_7,
        cast(back_to_backs_last_14_days as {{ dbt.type_int() }})
            as back_to_backs_last_14_days,
        cast(days_rest_before_last_game as {{ dbt.type_int() }})
            as days_rest_before_last_game,
        cast({{ dbt.datediff('last_game_after_2_plus_days_rest', 'game_date', 'day') }}
            as {{ dbt.type_int() }}) as days_since_2_plus_days_rest,
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
        cast(case when streak_direction = 'over' then streak_length else 0 end
            as {{ dbt.type_int() }}) as prop_over_streak,
        cast(case when streak_direction = 'under' then streak_length else 0 end
            as {{ dbt.type_int() }}) as prop_under_streak,
        cast(game_spread as {{ type_float64() }}) as game_spread,
        cast(game_total as {{ type_float64() }}) as game_total,
        cast(opening_spread as {{ type_float64() }}) as opening_spread,
        cast(opening_total as {{ type_float64() }}) as opening_total,
        cast(game_spread - opening_spread as {{ type_float64() }})
            as spread_movement,
        cast(game_total - opening_total as {{ type_float64() }})
            as total_movement,

        -- team and opponent context (last 10 team games, same season)
        cast(round(team_pace_last_10 - opponent_pace_last_10, 2)
            as {{ type_float64() }}) as pace_differential,
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
        cast({{ w }}_pct as {{ type_float64() }}) as {{ w }}_completeness_pct,
        {{ w }}_pct >= 100 as {{ w }}_is_complete,
        {%- endfor %}
        {% for w in windows %}{{ w }}_pct >= 100{% if not loop.last %} and {% endif %}{% endfor %}
            as all_windows_complete,
        cast(coalesce(l30d_expected, 0) as {{ dbt.type_int() }})
            as expected_games_count,
        cast(coalesce(l30d_actual, 0) as {{ dbt.type_int() }})
            as actual_games_count,
        cast(coalesce(l30d_expected, 0) - coalesce(l30d_actual, 0)
            as {{ dbt.type_int() }}) as missing_games_count,
        cast(l30d_pct as {{ type_float64() }}) as completeness_percentage,
        coalesce(
            extract(month from game_date) in (10, 11, 4)
            or (days_into_season >= 0
                and days_into_season < {{ completeness_bootstrap_days }})
            or ({% for w in windows %}{{ w }}_pct >= {{ var('production_ready_pct', 70) }}{% if not loop.last %} and {% endif %}{% endfor %}),
            false
        ) as is_production_ready,

        -- quality
        case
            when quality_score_value >= 95 then 'gold'
            when quality_score_value >= 75 then 'silver'
            when quality_score_value >= 50 then 'bronze'
            when quality_score_value >= 25 then 'poor'
            else 'unusable'
        end as quality_tier,
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
        cast(case when current_line is null then 0 else 100 end
            as {{ type_float64() }}) as source_props_completeness_pct,
        game_lines_last_updated as source_game_lines_last_updated,
        cast(game_lines_rows_found as {{ dbt.type_int() }})
            as source_game_lines_rows_found,
        cast(
            (case when game_spread is null then 0 else 50 end)
            + (case when game_total is null then 0 else 50 end)
            as {{ type_float64() }}) as source_game_lines_completeness_pct,
        cast(team_games_found as {{ dbt.type_int() }})
            as source_team_context_rows_found,
        cast({{ capped_pct('100.0 * team_games_found / 10') }}
            as {{ type_float64() }}) as source_team_context_completeness_pct
    from derived

)

select * from final
