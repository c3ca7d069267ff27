{#-
    The schedule's games, one row per game key (date|away|home, macro
    game_key), for the row rules of the other raw tables: a box score, play or
    line of a game missing here is `game_not_on_schedule`; one of a preseason
    or All-Star game is excluded like the game itself. The kept snapshot of
    each game among the staged and excluded schedule rows (quarantined
    snapshots do not put a game on the schedule).
-#}
{{ config(**staging_incremental_config('game_date')) }}

with

schedule as (

    select * from {{ ref('base_nba_raw__nbac_schedule') }}
    where {{ in_staging_window('game_date') }}

),

games as (

    select
        game_key,
        game_id,
        game_date,
        season_year,
        season_type,
        is_final,
        home_team_code,
        away_team_code,
        row_number() over (
            partition by game_date, game_key
            order by game_status desc, processed_at desc, game_id asc
        ) as snapshot_rank
    from schedule
    where row_disposition in ('staged', 'excluded')
        and game_key is not null

),

final as (

    select {{ star_except(['snapshot_rank']) }}
    from games
    where snapshot_rank = 1

)

select * from final
