{{ config(materialized='ephemeral') }}

{#-
    The points prop line of each player and date (domain.md §2.4): the first
    source of the cascade odds_api DraftKings → bettingpros DraftKings →
    odds_api FanDuel → bettingpros FanDuel → bettingpros consensus with a
    pre-game line, its current (latest pre-tip-off snapshot) and opening
    (earliest) line, and its rows and latest processed_at. Odds API snapshots
    count before the game's start; a bettingpros offer only if not updated
    after tip-off (decisions.md fix 16). One row per (game_date, player_lookup).
-#}

with

stg_nba_raw__odds_api_player_points_props as (

    select
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
        commence_time
    from {{ ref('stg_nba_raw__odds_api_game_lines') }}
    where {{ in_run_window('game_date') }}

),

int_upcg_universe as (

    select
        game_date,
        player_lookup,
        game_id
    from {{ ref('int_upcg_universe') }}

),

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
        {{ snapshot_ranks('game_date, player_lookup, bookmaker') }}
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
    left join int_upcg_universe as universe
        on universe.game_date = bettingpros.game_date
        and universe.player_lookup = bettingpros.player_lookup
    left join tipoff_times
        on tipoff_times.game_id = universe.game_id
    where bettingpros.bookmaker
        in ('DraftKings', 'FanDuel', 'BettingPros Consensus')
        and bettingpros.points_line is not null
        -- no offer updated after tip-off (decisions.md fix 16)
        and (
            tipoff_times.tipoff_at is null
            or bettingpros.bookmaker_last_update < tipoff_times.tipoff_at
        )
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

-- the cascade: the first source with a pre-game line wins
final as (

    select *
    from prop_lines
    where current_line is not null
    qualify row_number() over (
            partition by game_date, player_lookup order by cascade_rank
        ) = 1

)

select * from final
