{{ config(materialized='ephemeral') }}

{#-
    The UPCG player universe (domain.md §2.4, BACKFILL mode): one row per
    (game_date, player_lookup) of the staged gamebook rows of the run window
    (active, dnp and inactive: production keeps all of them), joined to the
    schedule, with the team from the gamebook (else the ESPN roster's, when it
    plays in the game), the opponent and the home flag.
-#}

with

stg_nba_raw__nbac_gamebook_player_stats as (

    select
        game_id,
        game_date,
        season_year,
        player_lookup,
        player_name,
        team_abbr,
        player_status,
        processed_at
    from {{ ref('stg_nba_raw__nbac_gamebook_player_stats') }}
    where {{ in_run_window('game_date') }}

),

stg_nba_raw__nbac_schedule as (

    select
        game_id,
        standard_game_id,
        season_year,
        home_team_abbr,
        away_team_abbr,
        game_date,
        game_date_est
    from {{ ref('stg_nba_raw__nbac_schedule') }}
    where {{ in_run_window('game_date') }}

),

int_upcg_player_rosters as (

    select
        game_date,
        player_lookup,
        team_abbr,
        age
    from {{ ref('int_upcg_player_rosters') }}

),

games as (

    select
        standard_game_id as game_id,
        game_id as nba_game_id,
        game_date,
        season_year,
        home_team_abbr,
        away_team_abbr,
        game_date_est
    from stg_nba_raw__nbac_schedule

),

universe as (

    select
        games.game_id,
        games.nba_game_id,
        gamebook.game_date,
        coalesce(gamebook.season_year, games.season_year) as season_year,
        gamebook.player_lookup,
        gamebook.player_name,
        gamebook.player_status,
        coalesce(
            gamebook.team_abbr,
            case when player_rosters.team_abbr
                    in (games.home_team_abbr, games.away_team_abbr)
                    then player_rosters.team_abbr
            end
        ) as team_abbr,
        games.home_team_abbr,
        games.away_team_abbr,
        games.game_date_est,
        player_rosters.age as player_age,
        gamebook.processed_at as gamebook_processed_at
    from stg_nba_raw__nbac_gamebook_player_stats as gamebook
    inner join games
        on games.game_id = gamebook.game_id
    left join int_upcg_player_rosters as player_rosters
        on player_rosters.game_date = gamebook.game_date
        and player_rosters.player_lookup = gamebook.player_lookup
    qualify row_number() over (
            partition by gamebook.game_date, gamebook.player_lookup
            order by gamebook.processed_at desc, games.game_id asc
        ) = 1

),

final as (

    select
        universe.*,
        case
            when team_abbr = home_team_abbr then away_team_abbr
            when team_abbr = away_team_abbr then home_team_abbr
        end as opponent_team_abbr,
        team_abbr = home_team_abbr as home_game
    from universe

)

select * from final
