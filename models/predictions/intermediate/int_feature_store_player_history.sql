{{ config(materialized='ephemeral') }}

{#-
    Each feature store row's player history before D (domain.md §3.5, §4.1),
    one row per universe row that computes features and has a
    player_game_summary row in the year before D (grain: game_date,
    player_lookup): the last-10 rows of the 60 days (historical_completeness:
    games found, their dates, games available this season), the last 5 / 10
    played games of the 60 days (points, spread, minutes, free throws, the
    recent trend's halves), this season's averages and last played date,
    games in the last 7 days, the last 30 days' minutes and points per
    minute, and the last 365 days against D's opponent.
    POINT IN TIME: only player_game_summary rows dated strictly before D are
    read as stats. Plan: the universe of D is player_game_summary's players
    of D, so D's own game is a row of player_games and every window of D is
    taken from the games before it at the cost of a scan (window frames for
    the season-to-date and against-the-opponent figures; equality joins on
    game numbers, materialized, for the last-10 windows).
-#}

{%- set history_lookback_days = 365 -%}
{%- set recent_days = 60 -%}
{%- set minutes_days = 30 -%}
{#- frames over a player's games before D's own game: this season's, and the last year's against
    the same opponent (day_number: days since 1970, for a range frame on every engine) -#}
{%- set season_before = 'partition by player_lookup, season_year order by game_date'
    ~ ' rows between unbounded preceding and 1 preceding' -%}
{%- set opponent_year_before = 'partition by player_lookup, opponent_team_abbr order by day_number'
    ~ ' range between ' ~ history_lookback_days ~ ' preceding and 1 preceding' -%}

with

int_feature_store_universe as (

    select
        game_date,
        season_year,
        player_lookup,
        opponent_team_abbr,
        computes_features
    from {{ ref('int_feature_store_universe') }}

),

player_game_summary as (

    select
        game_date,
        season_year,
        player_lookup,
        opponent_team_abbr,
        points,
        minutes_played,
        ft_makes,
        is_dnp
    from {{ ref('player_game_summary') }}
    where {{ in_run_window('game_date', lookback_days=history_lookback_days) }}

),

-- Each player's games in date order (one row per player and date, the
-- model's key). The universe of D is player_game_summary's players of D, so
-- D's own game is a row here and every window of D is taken from the games
-- before it at the cost of a scan: the season-to-date and against-the-
-- opponent figures as window frames ending just before D's game, the last-10
-- windows as equality joins on the game number (no join of D with every
-- earlier game of the year).
player_games as (

    select
        player_lookup,
        game_date,
        season_year,
        opponent_team_abbr,
        points,
        minutes_played,
        ft_makes,
        {{ is_played_game('player_game_summary') }} as is_played,
        {{ dbt.datediff("cast('1970-01-01' as date)", 'game_date', 'day') }}             as day_number,  -- noqa: LT05
        row_number() over (
            partition by player_lookup order by game_date
        ) as game_number,
        lag(game_date) over (
            partition by player_lookup order by game_date
        ) as previous_game_date
    from player_game_summary

),

player_games_numbered as (

    select
        player_games.*,
        -- played games up to and including this one
        cast(sum(case when is_played then 1 else 0 end) over (
            partition by player_lookup order by game_date
            rows between unbounded preceding and current row
        ) as {{ dbt.type_bigint() }}) as played_number
    from player_games

),

-- frames over the games before D's own game: this season's, and the last
-- 365 days' against the same opponent
player_game_frames as (

    select
        player_lookup,
        game_date,
        season_year,
        opponent_team_abbr,
        game_number,
        previous_game_date,
        played_number - case when is_played then 1 else 0 end as played_before,
        count(*) over ({{ season_before }}) as season_rows,
        sum(case when is_played then 1 else 0 end) over ({{ season_before }}) as season_games,
        avg(case when is_played then points end) over ({{ season_before }}) as season_points_avg,
        {{ exact_avg('case when is_played then minutes_played end', over=season_before) }}
            as season_minutes_avg,
        max(case when is_played then game_date end) over ({{ season_before }})
            as last_played_date,
        sum(case when is_played then 1 else 0 end) over ({{ opponent_year_before }})
            as games_vs_opponent,
        avg(case when is_played then points end) over ({{ opponent_year_before }})
            as points_avg_vs_opponent
    from player_games_numbered

),

-- the universe rows with a player_game_summary row in the year before D
-- (without one a row has no history figures at all)
history_universe as (

    select
        universe.game_date,
        universe.player_lookup,
        universe.season_year,
        universe.opponent_team_abbr as opponent_of_date,
        player_game_frames.opponent_team_abbr as opponent_of_game,
        player_game_frames.game_number,
        player_game_frames.played_before,
        player_game_frames.season_year = universe.season_year as frames_same_season,
        player_game_frames.season_rows,
        player_game_frames.season_games,
        player_game_frames.season_points_avg,
        player_game_frames.season_minutes_avg,
        player_game_frames.last_played_date,
        player_game_frames.games_vs_opponent,
        player_game_frames.points_avg_vs_opponent
    from int_feature_store_universe as universe
    inner join player_game_frames
        on player_game_frames.player_lookup = universe.player_lookup
        and player_game_frames.game_date = universe.game_date
    where universe.computes_features
        and player_game_frames.previous_game_date
        >= cast({{ dbt.dateadd('day', -history_lookback_days, 'universe.game_date') }} as date)

),

-- the game numbers each universe row reads: its last 30 games and its last
-- 10 played games before D (computed as their own step, so that the joins
-- below are equality joins on the player and the number)
recent_game_numbers as {{ materialized_cte() }} (

    select
        history_universe.game_date,
        history_universe.player_lookup,
        history_universe.season_year,
        offsets.generated_number as games_back,
        history_universe.game_number - offsets.generated_number as history_game_number
    from history_universe
    cross join ({{ dbt.generate_series(minutes_days) }}) as offsets  -- noqa: ST05
    where offsets.generated_number < history_universe.game_number

),

played_game_numbers as {{ materialized_cte() }} (

    select
        history_universe.game_date,
        history_universe.player_lookup,
        history_universe.season_year,
        offsets.generated_number as played_rank,
        history_universe.played_before + 1 - offsets.generated_number as history_played_number
    from history_universe
    cross join ({{ dbt.generate_series(10) }}) as offsets  -- noqa: ST05
    where offsets.generated_number <= history_universe.played_before

),

-- the last 30 games before D (every game of the 30 days before D is among
-- them: one game a day at most), for the 60-day last-10 rows and the 7- and
-- 30-day windows; `games_back` is the rank, 1 = the last game before D
recent_games as (

    select
        recent_game_numbers.game_date,
        recent_game_numbers.player_lookup,
        recent_game_numbers.games_back,
        games.game_date as history_date,
        games.points,
        games.minutes_played,
        games.is_played,
        games.season_year = recent_game_numbers.season_year as is_same_season,
        games.game_date >= cast({{ dbt.dateadd('day', -recent_days, 'recent_game_numbers.game_date') }} as date)
            as is_recent,
        games.game_date >= cast({{ dbt.dateadd('day', -minutes_days, 'recent_game_numbers.game_date') }} as date)
            as is_last_30_days,
        games.game_date > cast({{ dbt.dateadd('day', -7, 'recent_game_numbers.game_date') }} as date)
            as is_last_7_days
    from recent_game_numbers
    inner join player_games as games
        on games.player_lookup = recent_game_numbers.player_lookup
        and games.game_number = recent_game_numbers.history_game_number

),

recent_stats as (

    select
        game_date,
        player_lookup,
        -- the last <= 10 rows of the 60 days (DNP rows included): §4.1; this
        -- season's rows of the 60 days are the newest ones, so their rank
        -- among themselves is games_back
        sum(case when is_recent and is_same_season and games_back <= 10 then 1 else 0 end)
            as games_found,
        {{ array_agg_non_null(
            'case when is_recent and is_same_season and games_back <= 10 then history_date end',
            'history_date', 'date') }} as contributing_game_dates,
        sum(case when is_played and is_same_season and is_last_7_days then 1 else 0 end)
            as games_in_last_7_days,
    -- minutes and points per minute, last 30 days, minutes > 0
        {{ exact_avg('case when is_same_season and is_last_30_days and minutes_played > 0
            then minutes_played end') }} as minutes_avg_30_days,
        {{ exact_avg('case when is_same_season and is_last_30_days and minutes_played > 0
            then points / minutes_played end') }} as ppm_avg_30_days
    from recent_games
    group by 1, 2

),

-- the last 10 played games before D; played_rank 1 = the last one
played_games as (

    select
        played_game_numbers.game_date,
        played_game_numbers.player_lookup,
        played_game_numbers.played_rank,
        games.points,
        games.minutes_played,
        games.ft_makes
    from played_game_numbers
    inner join player_games_numbered as games
        on games.player_lookup = played_game_numbers.player_lookup
        and games.is_played
        and games.played_number = played_game_numbers.history_played_number
    -- played games of this season in the 60 days: the newest played games
    where games.season_year = played_game_numbers.season_year
        and games.game_date >= cast({{ dbt.dateadd('day', -recent_days, 'played_game_numbers.game_date') }} as date)

),

played_stats as (

    select
        game_date,
        player_lookup,
        -- last 5 / 10 played games (60 days, this season)
        sum(case when played_rank <= 5 then 1 else 0 end) as l5_games,
        avg(case when played_rank <= 5 then points end) as l5_points_avg,
        count(*) as l10_games,
        avg(points) as l10_points_avg,
        {{ exact_stddev_samp('points') }} as l10_points_std,
        {{ exact_avg('minutes_played') }} as l10_minutes_avg,
        sum(ft_makes) as l10_ft_makes,
        sum(points) as l10_points,
        avg(case when played_rank <= 2 then points end) as newest_2_points_avg,
        avg(case when played_rank between 3 and 5 then points end) as older_3_points_avg
    from played_games
    group by 1, 2

),

-- D's opponent is the opponent of D's own game in player_game_summary unless
-- the upcoming context says otherwise; then the 365 days against it are read
-- directly (no such row in the five simulated seasons)
other_opponent_stats as (

    select
        history_universe.game_date,
        history_universe.player_lookup,
        sum(case when {{ is_played_game('games') }} then 1 else 0 end) as games_vs_opponent,
        avg(case when {{ is_played_game('games') }} then games.points end)
            as points_avg_vs_opponent
    from history_universe
    inner join player_game_summary as games
        on games.player_lookup = history_universe.player_lookup
        and games.opponent_team_abbr = history_universe.opponent_of_date
        and games.game_date < history_universe.game_date
        and games.game_date >= cast({{ dbt.dateadd('day', -history_lookback_days, 'history_universe.game_date') }} as date)
    where (history_universe.opponent_of_game is distinct from history_universe.opponent_of_date)
    group by 1, 2

),

final as (

    select
        history_universe.game_date,
        history_universe.player_lookup,
        -- bounded by D's season (decisions.md fix 6): after an off-season the
        -- last season's games are not "expected" in a 60-day window
        case when history_universe.frames_same_season
                then history_universe.season_rows
            else 0
        end as games_available,
        coalesce(recent_stats.games_found, 0) as games_found,
        coalesce(recent_stats.contributing_game_dates, {{ empty_array('date') }})
            as contributing_game_dates,
        -- season to date (played)
        case when history_universe.frames_same_season
                then coalesce(history_universe.season_games, 0)
            else 0
        end as season_games,
        case when history_universe.frames_same_season
                then history_universe.season_points_avg
        end as season_points_avg,
        case when history_universe.frames_same_season
                then history_universe.season_minutes_avg
        end as season_minutes_avg,
        case when history_universe.frames_same_season
                then history_universe.last_played_date
        end as last_played_date,
        coalesce(played_stats.l5_games, 0) as l5_games,
        played_stats.l5_points_avg,
        coalesce(played_stats.l10_games, 0) as l10_games,
        played_stats.l10_points_avg,
        played_stats.l10_points_std,
        played_stats.l10_minutes_avg,
        played_stats.l10_ft_makes,
        played_stats.l10_points,
        played_stats.newest_2_points_avg,
        played_stats.older_3_points_avg,
        coalesce(recent_stats.games_in_last_7_days, 0) as games_in_last_7_days,
        recent_stats.minutes_avg_30_days,
        recent_stats.ppm_avg_30_days,
        -- against D's opponent, last 365 days
        case
            when (history_universe.opponent_of_game is distinct from history_universe.opponent_of_date)
                then coalesce(other_opponent_stats.games_vs_opponent, 0)
            else coalesce(history_universe.games_vs_opponent, 0)
        end as games_vs_opponent,
        case
            when (history_universe.opponent_of_game is distinct from history_universe.opponent_of_date)
                then other_opponent_stats.points_avg_vs_opponent
            else history_universe.points_avg_vs_opponent
        end as points_avg_vs_opponent
    from history_universe
    left join recent_stats
        on recent_stats.game_date = history_universe.game_date
        and recent_stats.player_lookup = history_universe.player_lookup
    left join played_stats
        on played_stats.game_date = history_universe.game_date
        and played_stats.player_lookup = history_universe.player_lookup
    left join other_opponent_stats
        on other_opponent_stats.game_date = history_universe.game_date
        and other_opponent_stats.player_lookup = history_universe.player_lookup

)

select * from final
