{{
    config(
        tags=['phase3'],
        **phase_incremental_config('game_date', ['team_abbr', 'game_date', 'home_game'])
    )
}}

{#-
    team_offense_game_summary (TOGS), domain.md §2.1: one row per team per game,
    key (game_date, team_abbr).
    Source per game: the NBA.com team box score when both of its rows are
    complete (points > 0 and FGA > 0); otherwise the team's player rows summed
    (gamebook active players, BDL for team-games the gamebook lacks, at least
    5 players: int_team_stats_summed_from_players.is_preferred); a final
    schedule game with neither gets a placeholder row (primary_source_used
    'none', quality unusable) so nothing is dropped silently.
    Shot zones from int_shot_events (BigDataBall, else NBA.com play-by-play;
    production reads NBA.com only: decisions.md fix 15).
-#}

{#- data_hash: the row's source values, '|'-joined, NULL as '' -#}
{%- set hashed_columns = [
    'game_id',
    'team_abbr',
    'home_team_abbr',
    'away_team_abbr',
    'points',
    'fg_attempts',
    'fg_makes',
    'three_pt_attempts',
    'three_pt_makes',
    'ft_attempts',
    'ft_makes',
    'offensive_rebounds',
    'defensive_rebounds',
    'rebounds',
    'assists',
    'turnovers',
    'personal_fouls',
    'total_player_minutes',
    'paint_attempts',
    'paint_makes',
    'mid_range_attempts',
    'mid_range_makes',
    'primary_source_used',
] -%}


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

int_shot_events as (

    select * from {{ ref('int_shot_events') }}
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

shot_zones_by_team as (

    select
        game_date,
        shooter_team_abbr as team_abbr,
        max(shot_source) as shot_source,
        cast(count(*) as {{ dbt.type_bigint() }}) as events_found,
        cast(
            sum(case when is_field_goal_attempt then 1 else 0 end)
            as {{ dbt.type_bigint() }}
        ) as fg_events,
        cast(
            sum(case when shot_zone = 'paint' then 1 else 0 end)
            as {{ dbt.type_bigint() }}
        ) as paint_attempts,
        cast(
            sum(case when shot_zone = 'paint' and shot_made then 1 else 0 end)
            as {{ dbt.type_bigint() }}
        ) as paint_makes,
        cast(
            sum(case when shot_zone = 'mid_range' then 1 else 0 end)
            as {{ dbt.type_bigint() }}
        ) as mid_range_attempts,
        cast(
            sum(case when shot_zone = 'mid_range' and shot_made then 1 else 0 end)
            as {{ dbt.type_bigint() }}
        ) as mid_range_makes,
        max(processed_at) as events_last_updated
    from int_shot_events
    group by game_date, shooter_team_abbr

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

team_games_joined as (

    select
        team_games.*,
        opponent.points as opponent_points,
        {{ dbt.safe_cast('team_games.total_player_minutes', type_float64()) }} / 5.0
            as game_minutes_exact,
        team_games.fg_attempts + 0.44 * team_games.ft_attempts
            + team_games.turnovers - team_games.offensive_rebounds as possessions_estimate,
        shot_zones.shot_source,
        shot_zones.events_found,
        shot_zones.fg_events,
        shot_zones.paint_attempts,
        shot_zones.paint_makes,
        shot_zones.mid_range_attempts,
        shot_zones.mid_range_makes,
        shot_zones.events_last_updated,
        boxscore_rows.rows_found as boxscore_rows_found,
        boxscore_rows.last_updated as boxscore_last_updated,
        gamebook.players_found as gamebook_players_found,
        gamebook.player_minutes as gamebook_player_minutes,
        gamebook.source_last_updated as gamebook_last_updated,
        bdl.players_found as bdl_players_found,
        bdl.player_minutes as bdl_player_minutes,
        bdl.source_last_updated as bdl_last_updated
    from team_games
    left join team_games as opponent
        on team_games.game_date = opponent.game_date
        and team_games.game_id = opponent.game_id
        and team_games.team_abbr <> opponent.team_abbr
    left join shot_zones_by_team as shot_zones
        on team_games.game_date = shot_zones.game_date
        and team_games.team_abbr = shot_zones.team_abbr
    left join boxscore_rows_by_game as boxscore_rows
        on team_games.game_date = boxscore_rows.game_date
        and team_games.game_id = boxscore_rows.game_id
    left join int_team_stats_summed_from_players as gamebook
        on team_games.game_date = gamebook.game_date
        and team_games.team_abbr = gamebook.team_abbr
        and gamebook.player_source = 'nbac_gamebook'
    left join int_team_stats_summed_from_players as bdl
        on team_games.game_date = bdl.game_date
        and team_games.team_abbr = bdl.team_abbr
        and bdl.player_source = 'bdl'

),

with_formulas as (

    select
        *,
        coalesce(fg_events, 0) > 0 as has_shot_zones,
        case
            when total_player_minutes > 240
                then cast(floor((total_player_minutes - 240) / 25.0) as {{ dbt.type_bigint() }})
            else 0
        end as overtime_periods_calc
    from team_games_joined

),

final as (

    select
        game_id,
        nba_game_id,
        game_date,
        season_year,
        team_abbr,
        case when is_home then away_team_abbr else home_team_abbr end as opponent_team_abbr,
        is_home as home_game,

        points as points_scored,
        fg_attempts,
        fg_makes,
        three_pt_attempts,
        three_pt_makes,
        ft_attempts,
        ft_makes,
        offensive_rebounds,
        defensive_rebounds,
        rebounds,
        assists,
        turnovers,
        personal_fouls,

        case when has_shot_zones then paint_attempts end as team_paint_attempts,
        case when has_shot_zones then paint_makes end as team_paint_makes,
        case when has_shot_zones then mid_range_attempts end as team_mid_range_attempts,
        case when has_shot_zones then mid_range_makes end as team_mid_range_makes,
        case when has_shot_zones then paint_makes * 2 end as points_in_paint_scored,

        -- possessions: the nearest integer of the estimate, and pace / rating from the
        -- unrounded estimate; production stores the 1-decimal estimate as an integer
        -- and rates from it (decisions.md fix 14)
        cast(round(possessions_estimate, 0) as {{ dbt.type_bigint() }}) as possessions,
        round(possessions_estimate * 48 / nullif(game_minutes_exact, 0), 1) as pace,
        round(100.0 * points / nullif(possessions_estimate, 0), 2) as offensive_rating,
        round(points / nullif(2 * (fg_attempts + 0.44 * ft_attempts), 0), 3) as ts_pct,
        total_player_minutes,
        game_minutes_exact as game_minutes,
        overtime_periods_calc as overtime_periods,

        points > opponent_points as win_flag,
        points - opponent_points as margin_of_victory,

        has_shot_zones as shot_zones_available,
        case when has_shot_zones then shot_source end as shot_zones_source,

        primary_source_used,
        case
            when primary_source_used = 'nbac_team_boxscore' and has_shot_zones then 'high'
            when primary_source_used = 'nbac_team_boxscore' then 'medium'
            else 'low'
        end as data_quality_tier,
        case
            when quality_score >= 95 then 'gold'
            when quality_score >= 75 then 'silver'
            when quality_score >= 50 then 'bronze'
            when quality_score >= 25 then 'poor'
            else 'unusable'
        end as quality_tier,
        quality_score,
        rtrim(
            case when primary_source_used = 'none' then 'no_source_rows,' else '' end
            || case
                when primary_source_used like 'reconstructed%' then 'boxscore_missing_or_incomplete,'
                else ''
            end
            || case
                when primary_source_used <> 'none' and opponent_points is null
                    then 'opponent_row_missing,'
                else ''
            end
            || case when not has_shot_zones then 'shot_zones_missing,' else '' end,
            ','
        ) as quality_issues,
        quality_score >= {{ var('production_ready_pct', 70) }} as is_production_ready,
        (
            primary_source_used <> 'nbac_team_boxscore'
            or not has_shot_zones
            or opponent_points is null
        ) as processed_with_issues,

        {{ row_data_hash(hashed_columns) }} as data_hash,
        boxscore_last_updated as source_nbac_boxscore_last_updated,
        coalesce(boxscore_rows_found, 0) as source_nbac_boxscore_rows_found,
        {{ capped_pct('100.0 * coalesce(boxscore_rows_found, 0) / 2') }}
            as source_nbac_boxscore_completeness_pct,
        events_last_updated as source_play_by_play_last_updated,
        coalesce(events_found, 0) as source_play_by_play_rows_found,
        {{ capped_pct('100.0 * coalesce(events_found, 0) / nullif(fg_attempts + ft_attempts, 0)') }}
            as source_play_by_play_completeness_pct,
        gamebook_last_updated as source_gamebook_players_last_updated,
        coalesce(gamebook_players_found, 0) as source_gamebook_players_rows_found,
        {{ capped_pct('100.0 * coalesce(gamebook_player_minutes, 0) / coalesce(total_player_minutes, 240)') }}
            as source_gamebook_players_completeness_pct,
        bdl_last_updated as source_bdl_players_last_updated,
        bdl_players_found as source_bdl_players_rows_found,
        {{ capped_pct('100.0 * bdl_player_minutes / coalesce(total_player_minutes, 240)') }}
            as source_bdl_players_completeness_pct
    from with_formulas
    where {{ in_run_window('game_date') }}

)

select * from final
