{{
    config(
        tags=['phase3'],
        **phase_incremental_config('game_date', ['team_abbr', 'game_date', 'home_game'])
    )
}}

{#-
    team_offense_game_summary (TOGS), domain.md §2.1: one row per team per game,
    key (game_date, team_abbr). The source row of each team-game (box score,
    else the players summed, else a placeholder) is chosen in
    int_team_offense_source_rows. Here: the opponent, shot zones from
    int_shot_events (BigDataBall, else NBA.com play-by-play; production reads
    NBA.com only: decisions.md fix 15), possessions, pace and ratings
    (decisions.md fix 14), quality and the source-tracking columns.
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

int_team_offense_source_rows as (

    select * from {{ ref('int_team_offense_source_rows') }}

),

int_team_stats_summed_from_players as (

    select * from {{ ref('int_team_stats_summed_from_players') }}
    where {{ in_run_window('game_date') }}

),

int_shot_events as (

    select * from {{ ref('int_shot_events') }}
    where {{ in_run_window('game_date') }}

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
        {{ shot_zone_counts([
            ('paint_attempts', 'paint', false),
            ('paint_makes', 'paint', true),
            ('mid_range_attempts', 'mid_range', false),
            ('mid_range_makes', 'mid_range', true),
        ], as_bigint=true) }},
        max(processed_at) as events_last_updated
    from int_shot_events
    group by game_date, shooter_team_abbr

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
        gamebook.players_found as gamebook_players_found,
        gamebook.player_minutes as gamebook_player_minutes,
        gamebook.source_last_updated as gamebook_last_updated,
        bdl.players_found as bdl_players_found,
        bdl.player_minutes as bdl_player_minutes,
        bdl.source_last_updated as bdl_last_updated
    from int_team_offense_source_rows as team_games
    left join int_team_offense_source_rows as opponent
        on team_games.game_date = opponent.game_date
        and team_games.game_id = opponent.game_id
        and team_games.team_abbr <> opponent.team_abbr
    left join shot_zones_by_team as shot_zones
        on team_games.game_date = shot_zones.game_date
        and team_games.team_abbr = shot_zones.team_abbr
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
        {{ team_data_quality_tier('primary_source_used', 'has_shot_zones') }} as data_quality_tier,
        {{ quality_tier('quality_score') }} as quality_tier,
        quality_score,
        rtrim(
            {{ team_source_issues('primary_source_used') }}
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
