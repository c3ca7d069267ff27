{{ config(materialized='ephemeral') }}

{#-
    The feature store's Vegas lines (features 25-27, domain.md §3.5), read
    from the raw props tables as a backfill does (domain.md §4.3, §5.1), one
    row per (game_date, player_lookup) with a line:
    - current line: the Odds API, DraftKings preferred, its latest pre-tip
      snapshot (minutes_before_tipoff >= 0) with a line > 0; otherwise
      BettingPros (market 'points', line > 0), the latest updated offer;
    - opening line: the Odds API's earliest of those snapshots (DraftKings
      preferred), else BettingPros' opening_line, else the current line.
    A BettingPros offer updated after its team's tip-off (the earliest
    commence_time of the team's game lines that day) is not read, as in the
    upcoming context: a line set in-game would leak the game into a pre-game
    feature (production reads BettingPros' latest offer whenever it was set:
    decisions.md fix 16). Same-day reads only.
-#}

with

stg_nba_raw__odds_api_player_points_props as (

    select
        game_date,
        player_lookup,
        bookmaker,
        snapshot_timestamp,
        points_line,
        processed_at
    from {{ ref('stg_nba_raw__odds_api_player_points_props') }}
    where {{ in_run_window('game_date') }}
        and minutes_before_tipoff >= 0
        and points_line > 0

),

stg_nba_raw__bettingpros_player_points_props as (

    select
        game_date,
        player_lookup,
        player_team_abbr,
        bookmaker,
        bet_side,
        points_line,
        opening_line,
        bookmaker_last_update
    from {{ ref('stg_nba_raw__bettingpros_player_points_props') }}
    where {{ in_run_window('game_date') }}
        and market_type = 'points'
        and points_line > 0

),

stg_nba_raw__odds_api_game_lines as (

    select
        game_date,
        home_team_abbr,
        away_team_abbr,
        commence_time
    from {{ ref('stg_nba_raw__odds_api_game_lines') }}
    where {{ in_run_window('game_date') }}

),

team_tipoffs as (

    select
        game_date,
        team_abbr,
        min(commence_time) as tipoff_at
    from (
        select
            game_date,
            home_team_abbr as team_abbr,
            commence_time
        from stg_nba_raw__odds_api_game_lines
        union all
        select
            game_date,
            away_team_abbr as team_abbr,
            commence_time
        from stg_nba_raw__odds_api_game_lines
    ) as team_lines
    group by 1, 2

),

odds_api_ranked as (

    select
        game_date,
        player_lookup,
        points_line,
        row_number() over (
            partition by game_date, player_lookup
            order by
                case when bookmaker = 'draftkings' then 0 else 1 end,
                snapshot_timestamp desc,
                bookmaker asc,
                processed_at desc
        ) as latest_rank,
        row_number() over (
            partition by game_date, player_lookup
            order by
                case when bookmaker = 'draftkings' then 0 else 1 end,
                snapshot_timestamp asc,
                bookmaker asc,
                processed_at desc
        ) as opening_rank
    from stg_nba_raw__odds_api_player_points_props

),

odds_api_lines as (

    select
        game_date,
        player_lookup,
        max(case when latest_rank = 1 then points_line end) as current_line,
        max(case when opening_rank = 1 then points_line end) as opening_line
    from odds_api_ranked
    where latest_rank = 1 or opening_rank = 1
    group by 1, 2

),

bettingpros_lines as (

    select
        bettingpros.game_date,
        bettingpros.player_lookup,
        bettingpros.points_line as current_line,
        bettingpros.opening_line
    from stg_nba_raw__bettingpros_player_points_props as bettingpros
    left join team_tipoffs
        on team_tipoffs.game_date = bettingpros.game_date
        and team_tipoffs.team_abbr = bettingpros.player_team_abbr
    where team_tipoffs.tipoff_at is null
        or bettingpros.bookmaker_last_update < team_tipoffs.tipoff_at
    qualify row_number() over (
            partition by bettingpros.game_date, bettingpros.player_lookup
            order by
                bettingpros.bookmaker_last_update desc,
                bettingpros.bookmaker asc,
                bettingpros.bet_side asc
        ) = 1

),

final as (

    select
        coalesce(odds_api_lines.game_date, bettingpros_lines.game_date) as game_date,
        coalesce(odds_api_lines.player_lookup, bettingpros_lines.player_lookup) as player_lookup,
        coalesce(odds_api_lines.current_line, bettingpros_lines.current_line)
            as current_points_line,
        coalesce(
            odds_api_lines.opening_line,
            bettingpros_lines.opening_line,
            odds_api_lines.current_line,
            bettingpros_lines.current_line
        ) as opening_points_line,
        case
            when odds_api_lines.player_lookup is not null then 'odds_api'
            else 'bettingpros'
        end as line_source
    from odds_api_lines
    full outer join bettingpros_lines
        on bettingpros_lines.game_date = odds_api_lines.game_date
        and bettingpros_lines.player_lookup = odds_api_lines.player_lookup

)

select * from final
