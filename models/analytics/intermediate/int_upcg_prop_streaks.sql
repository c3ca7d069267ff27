{{ config(materialized='ephemeral') }}

{#-
    Prop streaks (domain.md §2.4): the player's played games of the 30 days
    before the date, newest first, against the date's chosen points line
    (int_upcg_prop_lines); a push (points = line) is skipped; the streak is the
    run of games on the newest game's side (over / under) until the first
    reversal. One row per (game_date, player_lookup) with a line and a game.
-#}

with

int_upcg_player_history as (

    select
        game_date,
        player_lookup,
        history_date,
        points,
        is_last_30_days
    from {{ ref('int_upcg_player_history') }}

),

int_upcg_prop_lines as (

    select
        game_date,
        player_lookup,
        current_line
    from {{ ref('int_upcg_prop_lines') }}

),

prop_streak_games as (

    select
        player_history.game_date,
        player_history.player_lookup,
        case
            when player_history.points > prop_lines.current_line
                then 'over'
            else 'under'
        end as direction,
        row_number() over (
            partition by player_history.game_date, player_history.player_lookup
            order by player_history.history_date desc
        ) as walk_rank
    from int_upcg_player_history as player_history
    inner join int_upcg_prop_lines as prop_lines
        on prop_lines.game_date = player_history.game_date
        and prop_lines.player_lookup = player_history.player_lookup
    where player_history.is_last_30_days
        and player_history.points <> prop_lines.current_line

),

prop_streak_breaks as (

    select
        prop_streak_games.game_date,
        prop_streak_games.player_lookup,
        max(first_game.direction) as streak_direction,
        count(*) as walked_games,
        min(case
            when prop_streak_games.direction <> first_game.direction
                then prop_streak_games.walk_rank
        end) as first_reversal_rank
    from prop_streak_games
    inner join prop_streak_games as first_game
        on first_game.game_date = prop_streak_games.game_date
        and first_game.player_lookup = prop_streak_games.player_lookup
        and first_game.walk_rank = 1
    group by 1, 2

),

final as (

    select
        game_date,
        player_lookup,
        streak_direction,
        coalesce(first_reversal_rank, walked_games + 1) - 1 as streak_length
    from prop_streak_breaks

)

select * from final
