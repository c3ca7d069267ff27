{#-
    player_game_summary (PGS): one row per player per game date (domain.md §2.3),
    active, DNP and inactive players. The concerns live in ephemeral models:

    - int_player_game_box_rows: the core stats (the gamebook first; Ball Don't
      Lie only for players the gamebook lacks on that date) and the team of a
      row without one (BDL, else the ESPN roster of the date).
    - int_player_game_shot_zones: zones, and-ones, assists, blocks by zone
      from int_shot_events (BigDataBall, else NBA.com pbp).
    - int_player_game_props: the pre-game points line and opening line.
    - int_player_game_source_tracking: the per-game source_* columns.

    Here: usage_rate from TOGS team stats (production's 48 is team minutes
    / 5, i.e. the game's minutes, so overtime uses TOGS game_minutes:
    decisions.md fix 10), TS% / eFG%, the prop result (a tie with the line is
    a PUSH: decisions.md fix 3), quality and data_hash.
    All inputs are same-day, so every import uses lookback 0.
-#}
-- Phase 3 order (domain.md §5.2): team offense AND defense before this model.
-- depends_on: {{ ref('team_defense_game_summary') }}

{{ config(
    tags=['phase3'],
    **phase_incremental_config(
        'game_date',
        ['universal_player_id', 'player_lookup', 'team_abbr', 'game_date']
    )
) }}

{#- quality issues: name → condition (on the formulas_applied columns) -#}
{%- set quality_issue_conditions = {
    'backup_source_used': "primary_source_used <> 'nbac_gamebook'",
    'plus_minus_missing': "not is_dnp and plus_minus is null",
    'shot_zones_missing': "not is_dnp and not has_complete_shot_zones",
    'team_abbr_unresolved': "team_abbr is null",
    'team_stats_missing':
        "not is_dnp and minutes_played > 0 and usage_rate_raw is null",
    'usage_rate_above_100': "usage_rate_raw > 100",
    'shooting_stats_inconsistent': "ts_pct_raw > 1.5 or efg_pct_raw > 1.5",
} -%}
{%- set quality_issue_parts = [] -%}
{%- for issue, condition in quality_issue_conditions.items() -%}
    {%- do quality_issue_parts.append(
        "case when " ~ condition ~ " then '" ~ issue ~ ",' else '' end") -%}
{%- endfor -%}
{#- data_hash: the row's core values -#}
{%- set hash_columns = [
    'player_lookup', 'game_id', 'team_abbr', 'player_status',
    'minutes_played', 'points', 'assists', 'offensive_rebounds',
    'defensive_rebounds', 'steals', 'blocks', 'turnovers', 'fg_attempts',
    'fg_makes', 'three_pt_attempts', 'three_pt_makes', 'ft_attempts',
    'ft_makes', 'plus_minus', 'personal_fouls', 'paint_attempts',
    'mid_range_attempts', 'three_attempts_pbp', 'usage_rate', 'points_line',
    'primary_source_used',
] -%}

with

int_player_game_box_rows as (

    select * from {{ ref('int_player_game_box_rows') }}

),

int_player_game_shot_zones as (

    select * from {{ ref('int_player_game_shot_zones') }}

),

int_player_game_props as (

    select * from {{ ref('int_player_game_props') }}

),

int_player_game_source_tracking as (

    select * from {{ ref('int_player_game_source_tracking') }}

),

team_offense_game_summary as (

    select
        game_date,
        team_abbr,
        fg_attempts,
        ft_attempts,
        turnovers,
        game_minutes,
        win_flag
    from {{ ref('team_offense_game_summary') }}
    where {{ in_run_window('game_date') }}

),

team_points_from_players as (

    select
        game_id,
        resolved_team_abbr as team_abbr,
        sum(points) as team_points
    from int_player_game_box_rows
    where resolved_team_abbr is not null
    group by 1, 2

),

players_joined as (

    select
        player_rows.game_id,
        player_rows.game_date,
        player_rows.season_year,
        player_rows.player_lookup,
        player_rows.player_full_name,
        player_rows.resolved_team_abbr as team_abbr,
        case
            when player_rows.resolved_team_abbr = player_rows.home_abbr
                then player_rows.away_abbr
            when player_rows.resolved_team_abbr = player_rows.away_abbr
                then player_rows.home_abbr
        end as opponent_team_abbr,
        case
            when player_rows.resolved_team_abbr is not null
                then player_rows.resolved_team_abbr = player_rows.home_abbr
        end as home_game,
        player_rows.team_abbr_source,
        player_rows.player_status,
        player_rows.is_active,
        player_rows.is_dnp,
        player_rows.dnp_reason,
        player_rows.dnp_reason_category,
        player_rows.minutes_played,
        player_rows.points,
        player_rows.assists,
        player_rows.offensive_rebounds,
        player_rows.defensive_rebounds,
        player_rows.steals,
        player_rows.blocks,
        player_rows.turnovers,
        player_rows.personal_fouls,
        player_rows.fg_attempts,
        player_rows.fg_makes,
        player_rows.box_three_pt_attempts,
        player_rows.box_three_pt_makes,
        player_rows.ft_attempts,
        player_rows.ft_makes,
        player_rows.plus_minus,
        player_rows.primary_source_used,
        zones.shot_zones_source,
        zones.paint_attempts,
        zones.paint_makes,
        zones.mid_range_attempts,
        zones.mid_range_makes,
        zones.three_attempts_pbp,
        zones.three_makes_pbp,
        zones.and1_count,
        zones.assisted_fg_makes,
        zones.unassisted_fg_makes,
        zones.paint_blocks,
        zones.mid_range_blocks,
        zones.three_pt_blocks,
        zones.has_complete_shot_zones,
        team.fg_attempts as team_fg_attempts,
        team.ft_attempts as team_ft_attempts,
        team.turnovers as team_turnovers,
        team.game_minutes as team_game_minutes,
        coalesce(
            team.win_flag,
            case
                when own_points.team_points is not null
                    and opp_points.team_points is not null
                    then own_points.team_points > opp_points.team_points
            end
        ) as team_win_flag,
        props.points_line,
        props.opening_line,
        props.points_line_source,
        props.odds_rows_found,
        props.odds_last_updated,
        source_tracking.source_nbac_last_updated,
        source_tracking.source_nbac_rows_found,
        source_tracking.source_nbac_completeness_pct,
        source_tracking.source_bdl_last_updated,
        source_tracking.source_bdl_rows_found,
        source_tracking.source_bdl_completeness_pct,
        source_tracking.source_bbd_last_updated,
        source_tracking.source_bbd_rows_found,
        source_tracking.source_bbd_completeness_pct,
        source_tracking.source_nbac_pbp_last_updated,
        source_tracking.source_nbac_pbp_rows_found,
        source_tracking.source_nbac_pbp_completeness_pct,
        source_tracking.source_team_last_updated,
        source_tracking.source_team_rows_found,
        source_tracking.source_team_completeness_pct
    from int_player_game_box_rows as player_rows
    left join int_player_game_shot_zones as zones
        on player_rows.game_date = zones.game_date
        and player_rows.player_lookup = zones.player_lookup
    left join team_offense_game_summary as team
        on player_rows.game_date = team.game_date
        and player_rows.resolved_team_abbr = team.team_abbr
    left join team_points_from_players as own_points
        on player_rows.game_id = own_points.game_id
        and player_rows.resolved_team_abbr = own_points.team_abbr
    left join team_points_from_players as opp_points
        on player_rows.game_id = opp_points.game_id
        and player_rows.resolved_team_abbr <> opp_points.team_abbr
    left join int_player_game_props as props
        on player_rows.game_date = props.game_date
        and player_rows.player_lookup = props.player_lookup
    left join int_player_game_source_tracking as source_tracking
        on player_rows.game_id = source_tracking.game_id

),

formulas_applied as (

    select
        players_joined.*,
        coalesce(three_attempts_pbp, box_three_pt_attempts) as three_pt_attempts,
        coalesce(three_makes_pbp, box_three_pt_makes) as three_pt_makes,
        case when fg_attempts > 0
                then (fg_makes + 0.5 * box_three_pt_makes)
                    / cast(fg_attempts as {{ type_float64() }})
        end as efg_pct_raw,
        case when fg_attempts > 0 and ft_attempts is not null
                then points / (2 * (fg_attempts + 0.44 * ft_attempts))
        end as ts_pct_raw,
        case
            when minutes_played > 0
                and team_fg_attempts is not null
                and team_ft_attempts is not null
                and team_turnovers is not null
                and team_game_minutes is not null
                and (team_fg_attempts + 0.44 * team_ft_attempts + team_turnovers) > 0
                then 100.0 * (fg_attempts + 0.44 * ft_attempts + turnovers)
                    * team_game_minutes
                    / (
                        minutes_played
                        * (team_fg_attempts + 0.44 * team_ft_attempts + team_turnovers)
                    )
        end as usage_rate_raw,
        case when is_active and not is_dnp then points end as prop_points
    from players_joined

),

quality_scored as (

    select
        formulas_applied.*,
        case when usage_rate_raw <= 100 then round(usage_rate_raw, 1) end as usage_rate,
        -- above 1.5 the points cannot come from these shots (a 3 on one FGA
        -- is 1.5): an inconsistent source row, stored NULL with an issue
        case when ts_pct_raw <= 1.5 then round(ts_pct_raw, 3) end as ts_pct,
        case when efg_pct_raw <= 1.5 then round(efg_pct_raw, 3) end as efg_pct,
        case
            when prop_points is null or points_line is null then null
            when prop_points > points_line then 'OVER'
            when prop_points < points_line then 'UNDER'
            else 'PUSH'
        end as over_under_result,
        case when prop_points is not null and points_line is not null
                then round(prop_points - points_line, 2)
        end as margin,
        (case when primary_source_used = 'nbac_gamebook' then 100 else 85 end)
        - (case when not is_dnp and plus_minus is null then 5 else 0 end)
        - (case when not is_dnp and not has_complete_shot_zones then 5 else 0 end)
        - (case when team_abbr is null then 10 else 0 end) as quality_score,
        nullif({{ dbt.concat(quality_issue_parts) }}, '') as quality_issues_text
    from formulas_applied

),

final as (

    select
        -- identity
        player_lookup,
        {{ dbt.concat(['player_lookup', "'_001'"]) }} as universal_player_id,
        player_full_name,
        game_id,
        game_date,
        team_abbr,
        opponent_team_abbr,
        season_year,
        home_game,
        team_abbr_source,
        -- box score
        points,
        round(minutes_played, 1) as minutes_played,
        assists,
        offensive_rebounds,
        defensive_rebounds,
        steals,
        blocks,
        turnovers,
        fg_attempts,
        fg_makes,
        three_pt_attempts,
        three_pt_makes,
        ft_attempts,
        ft_makes,
        plus_minus,
        personal_fouls,
        -- shot zones
        paint_attempts,
        paint_makes,
        mid_range_attempts,
        mid_range_makes,
        three_attempts_pbp,
        three_makes_pbp,
        has_complete_shot_zones,
        shot_zones_source,
        paint_blocks,
        mid_range_blocks,
        three_pt_blocks,
        and1_count,
        assisted_fg_makes,
        unassisted_fg_makes,
        -- efficiency
        usage_rate,
        ts_pct,
        efg_pct,
        coalesce(minutes_played, 0) > 20 as starter_flag,
        team_win_flag as win_flag,
        -- props
        points_line,
        over_under_result,
        margin,
        opening_line,
        case when points_line is not null and opening_line is not null
                then points_line - opening_line
        end as line_movement,
        points_line_source,
        points_line_source as opening_line_source,
        -- availability
        is_active,
        player_status,
        is_dnp,
        dnp_reason,
        dnp_reason_category,
        -- source tracking (per game; completeness capped at 100)
        source_nbac_last_updated,
        source_nbac_rows_found,
        source_nbac_completeness_pct,
        source_bdl_last_updated,
        source_bdl_rows_found,
        source_bdl_completeness_pct,
        source_bbd_last_updated,
        source_bbd_rows_found,
        source_bbd_completeness_pct,
        source_nbac_pbp_last_updated,
        source_nbac_pbp_rows_found,
        source_nbac_pbp_completeness_pct,
        odds_last_updated as source_odds_last_updated,
        coalesce(odds_rows_found, 0) as source_odds_rows_found,
        case when points_line is not null then 100.0 else 0.0 end as source_odds_completeness_pct,
        source_team_last_updated,
        source_team_rows_found,
        source_team_completeness_pct,
        -- quality
        {{ quality_tier('quality_score') }} as quality_tier,
        quality_score,
        case when quality_issues_text is not null
                then substr(quality_issues_text, 1, length(quality_issues_text) - 1)
            else ''
        end as quality_issues,
        quality_score >= {{ var('production_ready_pct', 70) }} and team_abbr is not null
            as is_production_ready,
        primary_source_used,
        quality_issues_text is not null as processed_with_issues,
        -- 16 hex chars of an md5 over the row's core values (production: the
        -- record's HASH_FIELDS), for smart reprocessing
        {{ row_data_hash(hash_columns) }} as data_hash
    from quality_scored
    where {{ in_run_window('game_date') }}

)

select * from final
