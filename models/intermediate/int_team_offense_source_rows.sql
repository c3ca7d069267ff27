{#-
    The source row of each team_offense_game_summary row (domain.md §2.1),
    key (game_date, team_abbr), with its standard game_id. Per game: the
    NBA.com team box score when both of its rows are complete (points > 0 and
    FGA > 0); otherwise the team's player rows summed (gamebook active
    players, BDL for team-games the gamebook lacks, at least 5 players:
    int_team_stats_summed_from_players.is_preferred); a final schedule game
    with neither gets a placeholder row (primary_source_used 'none', quality
    score 0) so nothing is dropped silently (decisions.md fix 8). Also the
    game's complete box-score rows found and their last processed_at (source
    tracking). Ephemeral; same-day inputs, lookback 0.
-#}

with

stg_nba_raw__nbac_schedule as (

    select * from {{ ref('stg_nba_raw__nbac_schedule') }}
    where {{ in_run_window('game_date') }}

),

stg_nba_raw__nbac_team_boxscore as (

    select * from {{ ref('stg_nba_raw__nbac_team_boxscore') }}
    where {{ in_run_window('game_date') }}

),

int_team_stats_summed_from_players as (

    select * from {{ ref('int_team_stats_summed_from_players') }}
    where {{ in_run_window('game_date') }}

),

boxscore_valid_rows as (

    select *
    from stg_nba_raw__nbac_team_boxscore
    where points > 0 and fg_attempted > 0

),

boxscore_complete_games as (

    select
        game_id,
        cast(count(*) as {{ dbt.type_bigint() }}) as boxscore_rows,
        max(case when is_home then team_abbr end) as home_team_abbr,
        max(case when not is_home then team_abbr end) as away_team_abbr,
        max(processed_at) as boxscore_last_updated
    from boxscore_valid_rows
    group by game_id
    having count(*) = 2 and count(distinct is_home) = 2

),

teams_from_boxscore as (

    select
        boxscore_valid_rows.game_date,
        boxscore_valid_rows.season_year,
        boxscore_valid_rows.team_abbr,
        boxscore_valid_rows.is_home,
        boxscore_complete_games.home_team_abbr,
        boxscore_complete_games.away_team_abbr,
        boxscore_valid_rows.nba_game_id,
        coalesce(boxscore_valid_rows.total_player_minutes, 240) as total_player_minutes,
        boxscore_valid_rows.points,
        boxscore_valid_rows.fg_attempted as fg_attempts,
        boxscore_valid_rows.fg_made as fg_makes,
        boxscore_valid_rows.three_pt_attempted as three_pt_attempts,
        boxscore_valid_rows.three_pt_made as three_pt_makes,
        boxscore_valid_rows.ft_attempted as ft_attempts,
        boxscore_valid_rows.ft_made as ft_makes,
        boxscore_valid_rows.offensive_rebounds,
        boxscore_valid_rows.defensive_rebounds,
        boxscore_valid_rows.total_rebounds as rebounds,
        boxscore_valid_rows.assists,
        boxscore_valid_rows.turnovers,
        boxscore_valid_rows.personal_fouls,
        'nbac_team_boxscore' as primary_source_used,
        100 as quality_score
    from boxscore_valid_rows
    inner join boxscore_complete_games
        on boxscore_valid_rows.game_id = boxscore_complete_games.game_id

),

teams_reconstructed as (

    select
        players.game_date,
        players.season_year,
        players.team_abbr,
        players.is_home,
        {{ dbt.split_part('players.game_id', "'_'", 3) }} as home_team_abbr,
        {{ dbt.split_part('players.game_id', "'_'", 2) }} as away_team_abbr,
        schedule.game_id as nba_game_id,
        greatest(240, cast(round(coalesce(players.player_minutes, 0), 0) as {{ dbt.type_bigint() }}))
            as total_player_minutes,
        players.points,
        players.fg_attempts,
        players.fg_makes,
        players.three_pt_attempts,
        players.three_pt_makes,
        players.ft_attempts,
        players.ft_makes,
        players.offensive_rebounds,
        players.defensive_rebounds,
        players.rebounds,
        players.assists,
        players.turnovers,
        players.personal_fouls,
        case
            when players.player_source = 'nbac_gamebook' then 'reconstructed_gamebook'
            else 'reconstructed_bdl'
        end as primary_source_used,
        85 as quality_score
    from int_team_stats_summed_from_players as players
    left join boxscore_complete_games
        on players.game_id = boxscore_complete_games.game_id
    left join stg_nba_raw__nbac_schedule as schedule
        on players.game_id = schedule.standard_game_id
    where boxscore_complete_games.game_id is null and players.is_preferred

),

teams_with_data as (

    select * from teams_from_boxscore
    union all
    select * from teams_reconstructed

),

scheduled_teams as (

    select
        game_date,
        season_year,
        home_team_abbr as team_abbr,
        true as is_home,
        home_team_abbr,
        away_team_abbr,
        game_id as nba_game_id
    from stg_nba_raw__nbac_schedule
    where is_final

    union all

    select
        game_date,
        season_year,
        away_team_abbr as team_abbr,
        false as is_home,
        home_team_abbr,
        away_team_abbr,
        game_id as nba_game_id
    from stg_nba_raw__nbac_schedule
    where is_final

),

teams_without_data as (

    select
        scheduled_teams.game_date,
        scheduled_teams.season_year,
        scheduled_teams.team_abbr,
        scheduled_teams.is_home,
        scheduled_teams.home_team_abbr,
        scheduled_teams.away_team_abbr,
        scheduled_teams.nba_game_id,
        cast(null as {{ dbt.type_bigint() }}) as total_player_minutes,
        cast(null as {{ dbt.type_bigint() }}) as points,
        cast(null as {{ dbt.type_bigint() }}) as fg_attempts,
        cast(null as {{ dbt.type_bigint() }}) as fg_makes,
        cast(null as {{ dbt.type_bigint() }}) as three_pt_attempts,
        cast(null as {{ dbt.type_bigint() }}) as three_pt_makes,
        cast(null as {{ dbt.type_bigint() }}) as ft_attempts,
        cast(null as {{ dbt.type_bigint() }}) as ft_makes,
        cast(null as {{ dbt.type_bigint() }}) as offensive_rebounds,
        cast(null as {{ dbt.type_bigint() }}) as defensive_rebounds,
        cast(null as {{ dbt.type_bigint() }}) as rebounds,
        cast(null as {{ dbt.type_bigint() }}) as assists,
        cast(null as {{ dbt.type_bigint() }}) as turnovers,
        cast(null as {{ dbt.type_bigint() }}) as personal_fouls,
        'none' as primary_source_used,
        0 as quality_score
    from scheduled_teams
    left join teams_with_data
        on scheduled_teams.game_date = teams_with_data.game_date
        and scheduled_teams.team_abbr = teams_with_data.team_abbr
    where teams_with_data.team_abbr is null

),

team_games as (

    select
        {{ dbt.concat([
            "replace(cast(game_date as " ~ dbt.type_string() ~ "), '-', '')",
            "'_'", "away_team_abbr", "'_'", "home_team_abbr",
        ]) }} as game_id,
        *
    from (
        select * from teams_with_data
        union all
        select * from teams_without_data
    ) as unioned

),

boxscore_rows_by_game as (

    select
        game_date,
        game_id,
        cast(count(*) as {{ dbt.type_bigint() }}) as rows_found,
        max(processed_at) as last_updated
    from boxscore_valid_rows
    group by game_date, game_id

),

final as (

    select
        team_games.*,
        boxscore_rows.rows_found as boxscore_rows_found,
        boxscore_rows.last_updated as boxscore_last_updated
    from team_games
    left join boxscore_rows_by_game as boxscore_rows
        on team_games.game_date = boxscore_rows.game_date
        and team_games.game_id = boxscore_rows.game_id

)

select * from final
