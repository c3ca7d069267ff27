{{ config(materialized='ephemeral') }}

{#-
    Star teammates out (domain.md §2.4): for each universe row, the number of
    other players of his team who are out or doubtful on the date's injury
    report (int_upcg_injuries), on that team's ESPN roster
    (int_upcg_player_rosters), and stars: at least 10 played games this season
    before the date, and over the last 10 of them >= 18 points a game, or
    >= 28 minutes and >= 12 points. One row per (game_date, player_lookup)
    with at least one.
-#}

with

int_upcg_universe as (

    select
        game_date,
        player_lookup,
        team_abbr
    from {{ ref('int_upcg_universe') }}

),

int_upcg_injuries as (

    select
        game_date,
        player_lookup,
        team_abbr,
        injury_status
    from {{ ref('int_upcg_injuries') }}

),

int_upcg_player_rosters as (

    select
        game_date,
        player_lookup,
        team_abbr
    from {{ ref('int_upcg_player_rosters') }}

),

int_upcg_played_games as (

    select
        player_lookup,
        season_year,
        game_date,
        points,
        minutes_played
    from {{ ref('int_upcg_played_games') }}

),

-- out / doubtful players on their team's latest roster (within 90 days)
injured_rostered_players as (

    select
        injuries.game_date,
        injuries.player_lookup,
        player_rosters.team_abbr
    from int_upcg_injuries as injuries
    inner join int_upcg_player_rosters as player_rosters
        on player_rosters.game_date = injuries.game_date
        and player_rosters.player_lookup = injuries.player_lookup
        and player_rosters.team_abbr = injuries.team_abbr
    where injuries.injury_status in ('out', 'doubtful')

),

injured_player_form as (

    select
        injured_rostered_players.game_date,
        injured_rostered_players.player_lookup,
        injured_rostered_players.team_abbr,
        played_games.points,
        played_games.minutes_played,
        count(*) over (
            partition by
                injured_rostered_players.game_date,
                injured_rostered_players.player_lookup
        ) as season_games,
        row_number() over (
            partition by
                injured_rostered_players.game_date,
                injured_rostered_players.player_lookup
            order by played_games.game_date desc
        ) as game_rank
    from injured_rostered_players
    inner join int_upcg_played_games as played_games
        on played_games.player_lookup = injured_rostered_players.player_lookup
        and played_games.season_year
        = {{ season_year_from_date('injured_rostered_players.game_date') }}
        and played_games.game_date < injured_rostered_players.game_date

),

star_players_out as (

    select
        game_date,
        player_lookup,
        team_abbr
    from injured_player_form
    where game_rank <= 10
        and season_games >= 10
    group by 1, 2, 3
    having avg(points) >= 18
        or ({{ exact_avg('minutes_played') }} >= 28 and avg(points) >= 12)

),

final as (

    select
        universe.game_date,
        universe.player_lookup,
        count(*) as star_teammates_out
    from int_upcg_universe as universe
    inner join star_players_out
        on star_players_out.game_date = universe.game_date
        and star_players_out.team_abbr = universe.team_abbr
        and star_players_out.player_lookup <> universe.player_lookup
    group by 1, 2

)

select * from final
