{#-
    Point in time, checkable cheaply: a PSZA row of date D never counts more
    games than the player has qualifying player_game_summary games (active,
    minutes > 0 or FGA > 0) strictly before D in D's season. A window that
    read D itself (or later) could exceed it.
-#}

with

player_shot_zone_analysis as (

    select
        analysis_date,
        season_year,
        player_lookup,
        games_in_sample_20
    from {{ audited(ref('player_shot_zone_analysis')) }}
    where {{ in_run_window('analysis_date') }}

),

player_game_summary as (

    select
        game_date,
        season_year,
        player_lookup
    from {{ audited(ref('player_game_summary')) }}
    where {{ in_run_window('game_date', lookback_days=var('season_lookback_days')) }}
        and is_active
        and (minutes_played > 0 or fg_attempts > 0)

),

games_before as (

    select
        psza.analysis_date,
        psza.player_lookup,
        max(psza.games_in_sample_20) as games_in_sample_20,
        count(pgs.game_date) as games_before_date
    from player_shot_zone_analysis as psza
    left join player_game_summary as pgs
        on pgs.player_lookup = psza.player_lookup
        and pgs.season_year = psza.season_year
        and pgs.game_date < psza.analysis_date
    group by 1, 2

),

validation_errors as (

    select *
    from games_before
    where games_in_sample_20 > games_before_date
        or games_in_sample_20 < case when games_before_date < 20 then games_before_date else 20 end

)

select * from validation_errors
