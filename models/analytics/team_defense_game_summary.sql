{{
    config(
        tags=['phase3'],
        **phase_incremental_config('game_date', ['team_abbr', 'game_date', 'data_quality_tier'])
    )
}}

{#-
    team_defense_game_summary (TDGS), domain.md §2.2: one row per defending
    team per game, key (game_date, team_abbr). "Flip perspective": the allowed
    stats are the opponent's team_offense_game_summary row, so the source choice
    (box score, else reconstruction from players) is TOGS's, made once.
    Defensive actions (steals, blocks, defensive rebounds) are the team's own
    players summed: the gamebook's active players, else BDL's, the first whose
    points add up to the team's points (else the gamebook, flagged); zones allowed come from the
    opponent's TOGS zones and blocks by zone from int_shot_events (a block is
    credited to the team opposite the shooter). Fixed on purpose
    (decisions.md): win_flag = scored more than the opponent; opponent_pace is
    a real pace (opponent possessions × 48 / game minutes).
-#}

{#- data_hash: the row's source values, '|'-joined, NULL as '' -#}
{%- set hashed_columns = [
    'game_id',
    'team_abbr',
    'points_allowed',
    'opp_fg_attempts',
    'opp_fg_makes',
    'opp_three_pt_attempts',
    'opp_three_pt_makes',
    'opp_ft_attempts',
    'opp_ft_makes',
    'opp_offensive_rebounds',
    'opp_rebounds',
    'opp_assists',
    'opp_turnovers',
    'personal_fouls',
    'opp_paint_attempts',
    'opp_paint_makes',
    'opp_mid_range_attempts',
    'opp_mid_range_makes',
    'steals',
    'blocks_total',
    'blocks_paint',
    'blocks_mid_range',
    'blocks_three_pt',
    'defensive_rebounds',
    'points_scored',
    'game_minutes',
    'opp_primary_source_used',
    'defensive_actions_source',
] -%}


with

team_offense_game_summary as (

    select * from {{ ref('team_offense_game_summary') }}
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

blocks_by_team as (

    select
        game_date,
        blocker_team_abbr as team_abbr,
        cast(count(*) as {{ dbt.type_bigint() }}) as blocks_found,
        {{ shot_zone_counts([
            ('blocks_paint', 'paint', false),
            ('blocks_mid_range', 'mid_range', false),
            ('blocks_three_pt', 'three', false),
        ], as_bigint=true) }}
    from int_shot_events
    where blocker_lookup is not null
    group by game_date, blocker_team_abbr

),

shot_events_by_game as (

    select
        game_date,
        game_id,
        max(shot_source) as shot_source,
        max(case when shot_source = 'bigdataball' then 1 else 0 end) as has_block_roles
    from int_shot_events
    group by game_date, game_id

),

defensive_action_sources as (

    -- per team-game, the player rows whose points add up to the team's
    -- points (gamebook first, then BDL); when neither does, the preferred one
    -- (flagged defensive_actions_incomplete below)
    select players.*
    from int_team_stats_summed_from_players as players
    inner join team_offense_game_summary as team
        on players.game_date = team.game_date
        and players.team_abbr = team.team_abbr
    where true
    qualify row_number() over (
            partition by players.game_date, players.team_abbr
            order by
                case when players.points = team.points_scored then 0 else 1 end,
                case when players.is_preferred then 0 else 1 end,
                players.player_source desc
        ) = 1

),

defense_joined as (

    select
        own.game_id,
        own.nba_game_id,
        own.game_date,
        own.season_year,
        own.team_abbr,
        own.opponent_team_abbr,
        own.home_game,
        own.points_scored,
        own.personal_fouls,
        own.game_minutes,
        own.overtime_periods,
        own.quality_score as own_quality_score,
        opponent.points_scored as points_allowed,
        opponent.fg_attempts as opp_fg_attempts,
        opponent.fg_makes as opp_fg_makes,
        opponent.three_pt_attempts as opp_three_pt_attempts,
        opponent.three_pt_makes as opp_three_pt_makes,
        opponent.ft_attempts as opp_ft_attempts,
        opponent.ft_makes as opp_ft_makes,
        opponent.offensive_rebounds as opp_offensive_rebounds,
        opponent.rebounds as opp_rebounds,
        opponent.assists as opp_assists,
        opponent.turnovers as opp_turnovers,
        opponent.team_paint_attempts as opp_paint_attempts,
        opponent.team_paint_makes as opp_paint_makes,
        opponent.team_mid_range_attempts as opp_mid_range_attempts,
        opponent.team_mid_range_makes as opp_mid_range_makes,
        opponent.shot_zones_available as opp_shot_zones_available,
        opponent.shot_zones_source as opp_shot_zones_source,
        opponent.primary_source_used as opp_primary_source_used,
        opponent.quality_score as opp_quality_score,
        opponent.source_nbac_boxscore_last_updated,
        opponent.source_nbac_boxscore_rows_found,
        opponent.source_nbac_boxscore_completeness_pct,
        opponent.source_play_by_play_last_updated,
        opponent.source_play_by_play_rows_found,
        opponent.source_play_by_play_completeness_pct,
        opponent.fg_attempts + 0.44 * opponent.ft_attempts
        - opponent.offensive_rebounds + opponent.turnovers as opp_possessions_estimate,
        players.player_source as defensive_actions_source,
        players.players_found,
        players.player_minutes,
        players.source_last_updated as players_last_updated,
        players.points as players_points,
        players.steals,
        players.blocks as blocks_total,
        players.defensive_rebounds,
        blocks.blocks_paint,
        blocks.blocks_mid_range,
        blocks.blocks_three_pt,
        shot_events.has_block_roles
    from team_offense_game_summary as own
    left join team_offense_game_summary as opponent
        on own.game_date = opponent.game_date
        and own.game_id = opponent.game_id
        and own.opponent_team_abbr = opponent.team_abbr
    left join defensive_action_sources as players
        on own.game_date = players.game_date
        and own.team_abbr = players.team_abbr
    left join blocks_by_team as blocks
        on own.game_date = blocks.game_date
        and own.team_abbr = blocks.team_abbr
    left join shot_events_by_game as shot_events
        on own.game_date = shot_events.game_date
        and own.game_id = shot_events.game_id

),

with_quality as (

    select
        *,
        case
            when own_quality_score < coalesce(opp_quality_score, 0) then own_quality_score
            else coalesce(opp_quality_score, 0)
        end as team_stats_quality_score,
        coalesce(has_block_roles, 0) = 1 as has_blocks_by_zone,
        -- the summed players do not add up to the team's points: some player
        -- rows are missing or have NULL stats, so steals / blocks / rebounds
        -- are partial (kept, and flagged)
        (
            defensive_actions_source is not null
            and coalesce(players_points, -1) <> coalesce(points_scored, -1)
        ) as has_partial_defensive_actions
    from defense_joined

),

final as (

    select
        game_id,
        nba_game_id,
        game_date,
        season_year,
        team_abbr,
        opponent_team_abbr,
        home_game,

        points_allowed,
        opp_fg_attempts,
        opp_fg_makes,
        opp_three_pt_attempts,
        opp_three_pt_makes,
        opp_ft_attempts,
        opp_ft_makes,
        opp_offensive_rebounds,
        opp_rebounds,
        opp_assists,
        opp_turnovers as turnovers_forced,
        personal_fouls as fouls_committed,

        opp_paint_attempts,
        opp_paint_makes,
        opp_mid_range_attempts,
        opp_mid_range_makes,
        opp_paint_makes * 2 as points_in_paint_allowed,
        opp_mid_range_makes * 2 as mid_range_points_allowed,
        opp_three_pt_makes * 3 as three_pt_points_allowed,

        steals,
        blocks_total,
        case when has_blocks_by_zone then coalesce(blocks_paint, 0) end as blocks_paint,
        case when has_blocks_by_zone then coalesce(blocks_mid_range, 0) end as blocks_mid_range,
        case when has_blocks_by_zone then coalesce(blocks_three_pt, 0) end as blocks_three_pt,
        defensive_rebounds,

        -- the nearest integer; ratings and pace from the unrounded estimate
        -- (decisions.md fix 14, as team_offense_game_summary)
        cast(round(opp_possessions_estimate, 0) as {{ dbt.type_bigint() }}) as opponent_possessions,
        round(100.0 * points_allowed / nullif(opp_possessions_estimate, 0), 2) as defensive_rating,
        round(opp_possessions_estimate * 48 / nullif(game_minutes, 0), 1) as opponent_pace,
        round(points_allowed / nullif(2 * (opp_fg_attempts + 0.44 * opp_ft_attempts), 0), 3)
            as opponent_ts_pct,
        game_minutes,
        overtime_periods,

        points_scored > points_allowed as win_flag,
        points_scored - points_allowed as margin_of_victory,

        coalesce(opp_shot_zones_available, false) as shot_zones_available,
        opp_shot_zones_source as shot_zones_source,
        defensive_actions_source,

        coalesce(opp_primary_source_used, 'none') as primary_source_used,
        {{ team_data_quality_tier('opp_primary_source_used', 'opp_shot_zones_available') }} as data_quality_tier,
        {{ quality_tier('team_stats_quality_score') }} as quality_tier,
        team_stats_quality_score as quality_score,
        rtrim(
            {{ team_source_issues("coalesce(opp_primary_source_used, 'none')") }}
            || case
                when opp_primary_source_used <> 'none' and points_scored is null
                    then 'own_row_missing,'
                else ''
            end
            || case when not coalesce(opp_shot_zones_available, false) then 'shot_zones_missing,' else '' end
            || case when not has_blocks_by_zone then 'blocks_by_zone_missing,' else '' end
            || case when defensive_actions_source is null then 'defensive_actions_missing,' else '' end
            || case when has_partial_defensive_actions then 'defensive_actions_incomplete,' else '' end,
            ','
        ) as quality_issues,
        team_stats_quality_score >= {{ var('production_ready_pct', 70) }} as is_production_ready,
        (
            coalesce(opp_primary_source_used, 'none') <> 'nbac_team_boxscore'
            or points_scored is null
            or not coalesce(opp_shot_zones_available, false)
            or not has_blocks_by_zone
            or defensive_actions_source is null
            or has_partial_defensive_actions
        ) as processed_with_issues,

        {{ row_data_hash(hashed_columns) }} as data_hash,
        source_nbac_boxscore_last_updated as source_team_boxscore_last_updated,
        source_nbac_boxscore_rows_found as source_team_boxscore_rows_found,
        source_nbac_boxscore_completeness_pct as source_team_boxscore_completeness_pct,
        case
            when defensive_actions_source = 'nbac_gamebook' then players_last_updated
        end as source_gamebook_players_last_updated,
        case
            when defensive_actions_source = 'nbac_gamebook' then players_found else 0
        end as source_gamebook_players_rows_found,
        case
            when defensive_actions_source = 'nbac_gamebook'
                then {{ capped_pct('100.0 * player_minutes / (game_minutes * 5)') }}
            else 0.0
        end as source_gamebook_players_completeness_pct,
        case
            when defensive_actions_source = 'bdl' then players_last_updated
        end as source_bdl_players_last_updated,
        case when defensive_actions_source = 'bdl' then players_found end as source_bdl_players_rows_found,
        case
            when defensive_actions_source = 'bdl'
                then {{ capped_pct('100.0 * player_minutes / (game_minutes * 5)') }}
        end as source_bdl_players_completeness_pct,
        source_play_by_play_last_updated,
        source_play_by_play_rows_found,
        source_play_by_play_completeness_pct
    from with_quality
    where {{ in_run_window('game_date') }}

)

select * from final
