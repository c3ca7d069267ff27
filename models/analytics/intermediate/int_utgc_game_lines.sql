{{ config(materialized='ephemeral') }}

{#-
    Game lines of each team game of the run window (domain.md §2.5): the
    latest (current) and earliest (opening) pre-tip-off snapshot per (game,
    bookmaker, market, outcome) of draftkings, else fanduel: the spread is the
    team's own outcome point (the first bookmaker with one for the team's
    side), the total the totals point (the first bookmaker with one); with the
    rows of the latest snapshots and their latest processed_at.
    One row per (game_date, team_abbr) whose game has a draftkings or fanduel
    pre-tip-off line.
-#}

with

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

int_utgc_team_games as (

    select
        game_id,
        game_date,
        team_abbr,
        home_game
    from {{ ref('int_utgc_team_games') }}
    where {{ in_run_window('game_date') }}

),

-- pre-tip-off snapshots, opening and latest per (game, bookmaker, market, outcome)
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
                and latest_rank = 1 then outcome_point
        end) as home_spread,
        max(case
            when market_key = 'spreads' and outcome_name = away_team_name
                and latest_rank = 1 then outcome_point
        end) as away_spread,
        max(case
            when market_key = 'spreads' and outcome_name = home_team_name
                and opening_rank = 1 then outcome_point
        end)
            as home_opening_spread,
        max(case
            when market_key = 'spreads' and outcome_name = away_team_name
                and opening_rank = 1 then outcome_point
        end)
            as away_opening_spread,
        max(case
            when market_key = 'totals' and latest_rank = 1
                then outcome_point
        end) as total,
        max(case
            when market_key = 'totals' and opening_rank = 1
                then outcome_point
        end) as opening_total,
        sum(case when latest_rank = 1 then 1 else 0 end) as latest_rows,
        max(processed_at) as last_updated
    from game_lines_ranked
    group by 1, 2

),

team_spreads as (

    select
        int_utgc_team_games.game_date,
        int_utgc_team_games.team_abbr,
        game_lines_per_bookmaker.bookmaker_key,
        case when int_utgc_team_games.home_game
                then game_lines_per_bookmaker.home_spread
            else game_lines_per_bookmaker.away_spread
        end as game_spread,
        case when int_utgc_team_games.home_game
                then game_lines_per_bookmaker.home_opening_spread
            else game_lines_per_bookmaker.away_opening_spread
        end as opening_spread
    from int_utgc_team_games
    inner join game_lines_per_bookmaker
        on game_lines_per_bookmaker.game_id = int_utgc_team_games.game_id
    where case when int_utgc_team_games.home_game
                then game_lines_per_bookmaker.home_spread
            else game_lines_per_bookmaker.away_spread
        end is not null
    qualify row_number() over (
            partition by int_utgc_team_games.game_date, int_utgc_team_games.team_abbr
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

final as (

    select
        int_utgc_team_games.game_date,
        int_utgc_team_games.team_abbr,
        team_spreads.game_spread,
        team_spreads.opening_spread,
        team_spreads.bookmaker_key as game_spread_source,
        game_totals.game_total,
        game_totals.opening_total,
        game_totals.bookmaker_key as game_total_source,
        game_lines_tracking.rows_found,
        game_lines_tracking.last_updated
    from int_utgc_team_games
    inner join game_lines_tracking
        on game_lines_tracking.game_id = int_utgc_team_games.game_id
    left join team_spreads
        on team_spreads.game_date = int_utgc_team_games.game_date
        and team_spreads.team_abbr = int_utgc_team_games.team_abbr
    left join game_totals
        on game_totals.game_id = int_utgc_team_games.game_id

)

select * from final
