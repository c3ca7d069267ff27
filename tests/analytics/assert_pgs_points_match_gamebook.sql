{#-
    Cross-layer consistency: for every player_game_summary row whose primary
    source is the gamebook, points equal the staged gamebook points of the same
    (game_date, player_lookup) (NULL = NULL counts as equal). Honours the run
    window (vars start_date / end_date). Returns the mismatched rows.
-#}

with

player_game_summary as (

    select
        game_date,
        player_lookup,
        game_id,
        points
    from {{ ref('player_game_summary') }}
    where primary_source_used = 'nbac_gamebook'
        and {{ in_run_window('game_date') }}

),

stg_nba_raw__nbac_gamebook_player_stats as (

    select
        game_date,
        player_lookup,
        points
    from {{ ref('stg_nba_raw__nbac_gamebook_player_stats') }}
    where {{ in_run_window('game_date') }}

),

validation_errors as (

    select
        player_game_summary.game_date,
        player_game_summary.player_lookup,
        player_game_summary.game_id,
        player_game_summary.points as pgs_points,
        stg_nba_raw__nbac_gamebook_player_stats.points as gamebook_points
    from player_game_summary
    left join stg_nba_raw__nbac_gamebook_player_stats
        on player_game_summary.game_date = stg_nba_raw__nbac_gamebook_player_stats.game_date
        and player_game_summary.player_lookup = stg_nba_raw__nbac_gamebook_player_stats.player_lookup
    where stg_nba_raw__nbac_gamebook_player_stats.player_lookup is null
        or not (
            player_game_summary.points = stg_nba_raw__nbac_gamebook_player_stats.points
            or (
                player_game_summary.points is null
                and stg_nba_raw__nbac_gamebook_player_stats.points is null
            )
        )

)

select * from validation_errors
