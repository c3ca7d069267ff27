{{ config(materialized='ephemeral') }}

{#-
    Fatigue and recent performance of each universe row (domain.md §2.4), from
    the played games before the date (int_upcg_player_history): the last game,
    games and minutes in the last 7 / 14 / 30 days, back-to-backs in the last
    14 days, the rest before the last game (decisions.md fix 2), usage over the
    last 7 games (decisions.md fix 5) and the points averages of the last 5 /
    10 games inside the 30 days. One row per (game_date, player_lookup) with at
    least one such game.
-#}

with

int_upcg_player_history as (

    select
        game_date,
        player_lookup,
        history_date,
        previous_game_date,
        points,
        minutes_played,
        usage_rate,
        last_game_after_2_plus_days_rest,
        is_last_7_days,
        is_last_14_days,
        is_last_30_days,
        game_rank
    from {{ ref('int_upcg_player_history') }}

),

final as (

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
                and {{ dbt.datediff('previous_game_date', 'history_date', 'day') }}                                 = 1  -- noqa: LT05
                then 1
            else 0
        end) as back_to_backs_last_14_days,
        {{ exact_avg('case when game_rank <= 7 then usage_rate end') }}
            as avg_usage_rate_last_7_games,
        avg(case when game_rank <= 5 and is_last_30_days then points end)
            as points_avg_last_5,
        avg(case when game_rank <= 10 and is_last_30_days then points end)
            as points_avg_last_10,
        sum(case when game_rank <= 5 and is_last_30_days then 1 else 0 end)
            as games_last_5,
        sum(case when game_rank <= 10 and is_last_30_days then 1 else 0 end)
            as games_last_10
    from int_upcg_player_history
    group by 1, 2

)

select * from final
