{#-
    Cross-layer consistency checks: each macro returns the mismatching rows
    (a complete select). The singular tests in tests/analytics/ call them (a
    failing row fails the build) and `nba-pipeline validate` counts them and
    shows examples: one definition for both. Honour the run window (vars
    start_date / end_date). The SQL is the same on every engine (no dispatch).
-#}

{#-
    Cross-layer consistency: for every player_game_summary row whose primary
    source is the gamebook, points equal the staged gamebook points of the same
    (game_date, player_lookup) (NULL = NULL counts as equal). Honours the run
    window (vars start_date / end_date). Returns the mismatched rows.
-#}
{% macro consistency_pgs_points_vs_gamebook() %}
    with

    player_game_summary as (

        select
            game_date,
            player_lookup,
            game_id,
            points
        from {{ audited(ref('player_game_summary')) }}
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
{% endmacro %}

{#-
    Cross-layer consistency: per team-game, team_offense_game_summary
    points_scored equals the sum of player_game_summary points of that team
    on that date (DNP / inactive rows carry NULL points and add nothing).
    A team-game present on one side only is also a failure (except TOGS
    placeholder rows, primary_source_used 'none', which have no points).
    Honours the run window (vars start_date / end_date). Returns the
    mismatching team-games with both totals.
-#}
{% macro consistency_team_points_vs_player_points() %}
    with

    team_offense_game_summary as (

        select * from {{ audited(ref('team_offense_game_summary')) }}
        where {{ in_run_window('game_date') }}
            and primary_source_used <> 'none'

    ),

    player_game_summary as (

        select * from {{ audited(ref('player_game_summary')) }}
        where {{ in_run_window('game_date') }}

    ),

    player_points_by_team as (

        select
            game_date,
            team_abbr,
            sum(points) as player_points
        from player_game_summary
        group by game_date, team_abbr

    ),

    validation_errors as (

        select
            coalesce(team_offense_game_summary.game_date, player_points_by_team.game_date) as game_date,
            coalesce(team_offense_game_summary.team_abbr, player_points_by_team.team_abbr) as team_abbr,
            team_offense_game_summary.primary_source_used,
            team_offense_game_summary.points_scored,
            player_points_by_team.player_points
        from team_offense_game_summary
        full outer join player_points_by_team
            on team_offense_game_summary.game_date = player_points_by_team.game_date
            and team_offense_game_summary.team_abbr = player_points_by_team.team_abbr
        where
            team_offense_game_summary.points_scored is null
            or player_points_by_team.player_points is null
            or team_offense_game_summary.points_scored <> player_points_by_team.player_points

    )

    select * from validation_errors
{% endmacro %}

{#-
    Cross-layer consistency: for every team_offense_game_summary row sourced
    from the team box score, points_scored equals the staged
    nbac_team_boxscore points of that team-game (and the row exists there).
    Honours the run window (vars start_date / end_date). Returns the
    mismatching team-games with both values.
-#}
{% macro consistency_team_points_vs_boxscore() %}
    with

    team_offense_game_summary as (

        select * from {{ audited(ref('team_offense_game_summary')) }}
        where {{ in_run_window('game_date') }}
            and primary_source_used = 'nbac_team_boxscore'

    ),

    stg_nba_raw__nbac_team_boxscore as (

        select * from {{ ref('stg_nba_raw__nbac_team_boxscore') }}
        where {{ in_run_window('game_date') }}

    ),

    validation_errors as (

        select
            team_offense_game_summary.game_date,
            team_offense_game_summary.game_id,
            team_offense_game_summary.team_abbr,
            team_offense_game_summary.points_scored,
            stg_nba_raw__nbac_team_boxscore.points as boxscore_points
        from team_offense_game_summary
        left join stg_nba_raw__nbac_team_boxscore
            on team_offense_game_summary.game_date = stg_nba_raw__nbac_team_boxscore.game_date
            and team_offense_game_summary.team_abbr = stg_nba_raw__nbac_team_boxscore.team_abbr
        where
            stg_nba_raw__nbac_team_boxscore.points is null
            or team_offense_game_summary.points_scored <> stg_nba_raw__nbac_team_boxscore.points

    )

    select * from validation_errors
{% endmacro %}
