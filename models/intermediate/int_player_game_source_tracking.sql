{#-
    Per-game source tracking of player_game_summary (domain.md §2.3, the
    standard source columns of domain.md §0), key game_id: for each source,
    its rows of the game, last processed_at and completeness capped at 100:
    gamebook rows / players expected (the game's player rows), BDL rows /
    played players, BigDataBall and NBA.com play-by-play field-goal attempts
    / the played players' box-score FGA, TOGS rows / the game's 2 teams.
    Ephemeral; same-day inputs, lookback 0.
-#}

with

stg_nba_raw__nbac_gamebook_player_stats as (

    select
        game_id,
        processed_at
    from {{ ref('stg_nba_raw__nbac_gamebook_player_stats') }}
    where {{ in_run_window('game_date') }}

),

stg_nba_raw__bdl_player_boxscores as (

    select
        game_id,
        processed_at
    from {{ ref('stg_nba_raw__bdl_player_boxscores') }}
    where {{ in_run_window('game_date') }}

),

stg_nba_raw__bigdataball_play_by_play as (

    select
        game_id,
        is_field_goal_attempt,
        processed_at
    from {{ ref('stg_nba_raw__bigdataball_play_by_play') }}
    where {{ in_run_window('game_date') }}

),

stg_nba_raw__nbac_play_by_play as (

    select
        game_id,
        is_field_goal_attempt,
        processed_at
    from {{ ref('stg_nba_raw__nbac_play_by_play') }}
    where {{ in_run_window('game_date') }}

),

team_offense_game_summary as (

    select
        game_date,
        team_abbr,
        coalesce(
            source_nbac_boxscore_last_updated,
            source_gamebook_players_last_updated
        ) as team_last_updated
    from {{ ref('team_offense_game_summary') }}
    where {{ in_run_window('game_date') }}

),

int_player_game_box_rows as (

    select
        game_id,
        game_date,
        home_abbr,
        away_abbr,
        is_dnp,
        fg_attempts
    from {{ ref('int_player_game_box_rows') }}

),

gamebook_games as (

    {{ rows_per_game('stg_nba_raw__nbac_gamebook_player_stats') }}

),

bdl_games as (

    {{ rows_per_game('stg_nba_raw__bdl_player_boxscores') }}

),

bigdataball_games as (

    {{ rows_per_game('stg_nba_raw__bigdataball_play_by_play', fg_attempts=true) }}

),

nbac_pbp_games as (

    {{ rows_per_game('stg_nba_raw__nbac_play_by_play', fg_attempts=true) }}

),

game_player_counts as (

    select
        game_id,
        count(*) as players_expected,
        sum(case when is_dnp then 0 else 1 end) as played_expected,
        sum(case when is_dnp then 0 else coalesce(fg_attempts, 0) end) as box_fg_attempts
    from int_player_game_box_rows
    group by 1

),

games as (

    select distinct
        game_id,
        game_date,
        home_abbr,
        away_abbr
    from int_player_game_box_rows

),

team_rows_per_game as (

    select
        games.game_id,
        count(distinct team_offense_game_summary.team_abbr) as team_rows_found,
        max(team_offense_game_summary.team_last_updated) as team_last_updated
    from games
    inner join team_offense_game_summary
        on games.game_date = team_offense_game_summary.game_date
        and team_offense_game_summary.team_abbr in (games.home_abbr, games.away_abbr)
    group by 1

),

final as (

    select
        game_player_counts.game_id,
        gamebook_games.last_updated as source_nbac_last_updated,
        coalesce(gamebook_games.rows_found, 0) as source_nbac_rows_found,
        {{ capped_pct(
            '100.0 * coalesce(gamebook_games.rows_found, 0) / game_player_counts.players_expected'
        ) }} as source_nbac_completeness_pct,
        bdl_games.last_updated as source_bdl_last_updated,
        coalesce(bdl_games.rows_found, 0) as source_bdl_rows_found,
        case when game_player_counts.played_expected > 0
                then {{ capped_pct(
                '100.0 * coalesce(bdl_games.rows_found, 0) / game_player_counts.played_expected'
            ) }}
        end as source_bdl_completeness_pct,
        {% for source, games in [('bbd', 'bigdataball_games'), ('nbac_pbp', 'nbac_pbp_games')] -%}
            {{ games }}.last_updated as source_{{ source }}_last_updated,
            coalesce({{ games }}.rows_found, 0) as source_{{ source }}_rows_found,
            case when game_player_counts.box_fg_attempts > 0
                    then {{ capped_pct(
                '100.0 * coalesce(' ~ games ~ '.fg_attempts_found, 0) / game_player_counts.box_fg_attempts'
            ) }}
            end as source_{{ source }}_completeness_pct,
        {% endfor -%}
        team_rows_per_game.team_last_updated as source_team_last_updated,
        coalesce(team_rows_per_game.team_rows_found, 0) as source_team_rows_found,
        {{ capped_pct('100.0 * coalesce(team_rows_per_game.team_rows_found, 0) / 2') }}
            as source_team_completeness_pct
    from game_player_counts
    left join gamebook_games
        on game_player_counts.game_id = gamebook_games.game_id
    left join bdl_games
        on game_player_counts.game_id = bdl_games.game_id
    left join bigdataball_games
        on game_player_counts.game_id = bigdataball_games.game_id
    left join nbac_pbp_games
        on game_player_counts.game_id = nbac_pbp_games.game_id
    left join team_rows_per_game
        on game_player_counts.game_id = team_rows_per_game.game_id

)

select * from final
