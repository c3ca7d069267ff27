{#-
    Every player_game_summary game is a final game of the schedule on its date. A box score
    whose game the schedule does not hold (a stray or misdated feed file, a wrong game id)
    fails its date here instead of adding players to a game that was never played.
    Returns the offending rows (game_date, game_id, player_lookup, team_abbr).
-#}

with

player_game_summary as (

    select
        game_date,
        game_id,
        player_lookup,
        team_abbr
    from {{ audited(ref('player_game_summary')) }}
    where {{ in_run_window('game_date') }}

),

schedule as (

    select
        game_date,
        game_id as schedule_game_id,
        standard_game_id
    from {{ ref('stg_nba_raw__nbac_schedule') }}
    where is_final and {{ in_run_window('game_date') }}

),

final as (

    select
        player_game_summary.game_date,
        player_game_summary.game_id,
        player_game_summary.player_lookup,
        player_game_summary.team_abbr
    from player_game_summary
    left join schedule
        on player_game_summary.game_date = schedule.game_date
        and player_game_summary.game_id = schedule.standard_game_id
    where schedule.standard_game_id is null

)

select * from final
