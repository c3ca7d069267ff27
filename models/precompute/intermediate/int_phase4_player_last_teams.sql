{{ config(materialized='ephemeral') }}

{#-
    For each Phase 4 date D and each player with a player_game_summary row
    (any status) in D's season before D: his team in the most recent of those
    rows. The team of the player completeness block (domain.md §3: "the
    player's most recent team, found from PGS before D"), one place for
    player_shot_zone_analysis and int_phase4_player_context.
-#}

with

int_phase4_analysis_dates as (

    select
        analysis_date,
        season_year
    from {{ ref('int_phase4_analysis_dates') }}

),

player_game_summary as (

    select
        game_date,
        season_year,
        player_lookup,
        team_abbr
    from {{ ref('player_game_summary') }}
    where {{ in_run_window('game_date', lookback_days=var('season_lookback_days')) }}
        and team_abbr is not null

),

-- each player's PGS rows of the season in order, with the date of the next one
pgs_sequence as (

    select
        player_lookup,
        season_year,
        game_date,
        team_abbr,
        {{ next_game_date('player_lookup') }} as next_game_date
    from player_game_summary

),

-- each date's players: the row of the last game of the season strictly before
-- D (the game whose next one is on or after D), a scan of the rows instead of
-- every date joined with every earlier row and ranked
final as (

    select
        dates.analysis_date,
        dates.season_year,
        pgs.player_lookup,
        pgs.team_abbr as last_team_abbr
    from int_phase4_analysis_dates as dates
    inner join pgs_sequence as pgs
        on pgs.season_year = dates.season_year
        and {{ last_game_before('pgs', 'dates.analysis_date') }}

)

select * from final
