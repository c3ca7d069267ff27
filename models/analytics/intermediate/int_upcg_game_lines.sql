{{ config(materialized='ephemeral') }}

{#-
    Game lines of each game for the player context (domain.md §2.4): the median
    across bookmakers of the latest (current) and earliest (opening)
    pre-tip-off snapshot, spreads on the favourite side only (point <= 0, one
    value per bookmaker: a pick'em has two sides at 0), totals on the Over
    side; with the rows of the latest snapshots and their latest processed_at.
    One row per game_id (the standard id) with a pre-tip-off line.
-#}

with

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

game_line_snapshots as (

    select
        game_id,
        bookmaker_key,
        market_key,
        outcome_point,
        processed_at,
        {{ snapshot_ranks('game_id, bookmaker_key, market_key, outcome_name') }}
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
                then outcome_point
        end) as game_spread,
        avg(case
            when market_key = 'totals' and line_kind = 'current'
                then outcome_point
        end) as game_total,
        avg(case
            when market_key = 'spreads' and line_kind = 'opening'
                then outcome_point
        end) as opening_spread,
        avg(case
            when market_key = 'totals' and line_kind = 'opening'
                then outcome_point
        end) as opening_total
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

final as (

    select
        game_line_tracking.game_id,
        game_line_medians.game_spread,
        game_line_medians.game_total,
        game_line_medians.opening_spread,
        game_line_medians.opening_total,
        game_line_tracking.rows_found,
        game_line_tracking.last_updated
    from game_line_tracking
    left join game_line_medians
        on game_line_medians.game_id = game_line_tracking.game_id

)

select * from final
