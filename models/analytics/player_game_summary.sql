{#-
    player_game_summary (PGS): one row per player per game date (domain.md §2.3),
    active, DNP and inactive players.

    - Core stats: the gamebook first; Ball Don't Lie only for players the
      gamebook lacks on that date (player-level merge) → primary_source_used.
    - team_abbr of a DNP row without one: the player's BDL row of the game,
      else the ESPN roster snapshot of the date (home or away team), else NULL
      with the issue 'team_abbr_unresolved'.
    - usage_rate uses TOGS team stats; production's 48 is team minutes / 5,
      i.e. the game's minutes, so overtime uses TOGS game_minutes.
    - Shot zones from int_shot_events (BigDataBall, else NBA.com pbp).
    - Props: odds_api snapshots before tip-off only; book draftkings, then
      fanduel, then alphabetical; latest snapshot = points_line, earliest =
      opening_line; a tie with the line is a PUSH (decisions.md fix 3).
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

{%- set shot_zone_columns = [
    'paint_attempts', 'paint_makes', 'mid_range_attempts', 'mid_range_makes',
    'three_attempts_pbp', 'three_makes_pbp', 'and1_count',
] -%}
{%- set bigdataball_role_columns = [
    'shooter_zones.assisted_fg_makes', 'shooter_zones.unassisted_fg_makes',
    'blocker_zones.paint_blocks', 'blocker_zones.mid_range_blocks',
    'blocker_zones.three_pt_blocks',
] -%}
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

stg_nba_raw__nbac_gamebook_player_stats as (

    select * from {{ ref('stg_nba_raw__nbac_gamebook_player_stats') }}
    where {{ in_run_window('game_date') }}

),

stg_nba_raw__bdl_player_boxscores as (

    select * from {{ ref('stg_nba_raw__bdl_player_boxscores') }}
    where {{ in_run_window('game_date') }}

),

stg_nba_raw__espn_team_rosters as (

    select
        roster_date,
        team_abbr,
        player_lookup
    from {{ ref('stg_nba_raw__espn_team_rosters') }}
    where {{ in_run_window('roster_date') }}

),

stg_nba_raw__odds_api_player_points_props as (

    select
        game_date,
        player_lookup,
        bookmaker,
        snapshot_timestamp,
        minutes_before_tipoff,
        points_line,
        processed_at
    from {{ ref('stg_nba_raw__odds_api_player_points_props') }}
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

int_shot_events as (

    select * from {{ ref('int_shot_events') }}
    where {{ in_run_window('game_date') }}

),

team_offense_game_summary as (

    select
        game_date,
        team_abbr,
        points_scored,
        fg_attempts,
        ft_attempts,
        turnovers,
        game_minutes,
        win_flag,
        coalesce(
            source_nbac_boxscore_last_updated,
            source_gamebook_players_last_updated
        ) as team_last_updated
    from {{ ref('team_offense_game_summary') }}
    where {{ in_run_window('game_date') }}

),

-- 1. core stats: gamebook rows, then BDL rows for players the gamebook lacks

gamebook_rows as (

    select
        game_id,
        game_date,
        season_year,
        player_lookup,
        player_name as player_full_name,
        team_abbr as reported_team_abbr,
        home_team_abbr,
        away_team_abbr,
        player_status,
        is_active,
        is_dnp,
        dnp_reason,
        dnp_reason_category,
        minutes_played,
        points,
        assists,
        offensive_rebounds,
        defensive_rebounds,
        steals,
        blocks,
        turnovers,
        personal_fouls,
        field_goals_attempted as fg_attempts,
        field_goals_made as fg_makes,
        three_pointers_attempted as box_three_pt_attempts,
        three_pointers_made as box_three_pt_makes,
        free_throws_attempted as ft_attempts,
        free_throws_made as ft_makes,
        plus_minus,
        'nbac_gamebook' as primary_source_used
    from stg_nba_raw__nbac_gamebook_player_stats

),

bdl_fallback_rows as (

    select
        bdl.game_id,
        bdl.game_date,
        bdl.season_year,
        bdl.player_lookup,
        bdl.player_name as player_full_name,
        bdl.team_abbr as reported_team_abbr,
        bdl.home_team_abbr,
        bdl.away_team_abbr,
        'active' as player_status,
        true as is_active,
        coalesce(bdl.minutes_played, 0) = 0 as is_dnp,
        cast(null as {{ dbt.type_string() }}) as dnp_reason,
        cast(null as {{ dbt.type_string() }}) as dnp_reason_category,
        bdl.minutes_played,
        bdl.points,
        bdl.assists,
        bdl.offensive_rebounds,
        bdl.defensive_rebounds,
        bdl.steals,
        bdl.blocks,
        bdl.turnovers,
        bdl.personal_fouls,
        bdl.field_goals_attempted as fg_attempts,
        bdl.field_goals_made as fg_makes,
        bdl.three_pointers_attempted as box_three_pt_attempts,
        bdl.three_pointers_made as box_three_pt_makes,
        bdl.free_throws_attempted as ft_attempts,
        bdl.free_throws_made as ft_makes,
        cast(null as {{ dbt.type_int() }}) as plus_minus,
        'bdl_boxscores' as primary_source_used
    from stg_nba_raw__bdl_player_boxscores as bdl
    left join stg_nba_raw__nbac_gamebook_player_stats as gamebook
        on bdl.game_date = gamebook.game_date
        and bdl.player_lookup = gamebook.player_lookup
    where gamebook.player_lookup is null

),

player_rows_unioned as (

    select * from gamebook_rows
    union all
    select * from bdl_fallback_rows

),

-- 2. teams: home/away from the row or the standard game_id; NULL team_abbr
--    from the player's BDL row, else the ESPN roster of the date

player_rows_with_sides as (

    select
        player_rows_unioned.*,
        coalesce(
            player_rows_unioned.home_team_abbr,
            {{ dbt.split_part('player_rows_unioned.game_id', "'_'", 3) }}
        ) as home_abbr,
        coalesce(
            player_rows_unioned.away_team_abbr,
            {{ dbt.split_part('player_rows_unioned.game_id', "'_'", 2) }}
        ) as away_abbr
    from player_rows_unioned

),

roster_teams as (

    select
        player_rows_with_sides.game_date,
        player_rows_with_sides.player_lookup,
        min(stg_nba_raw__espn_team_rosters.team_abbr) as roster_team_abbr,
        count(distinct stg_nba_raw__espn_team_rosters.team_abbr) as n_roster_teams
    from player_rows_with_sides
    inner join stg_nba_raw__espn_team_rosters
        on player_rows_with_sides.game_date = stg_nba_raw__espn_team_rosters.roster_date
        and player_rows_with_sides.player_lookup = stg_nba_raw__espn_team_rosters.player_lookup
        and stg_nba_raw__espn_team_rosters.team_abbr in (
            player_rows_with_sides.home_abbr, player_rows_with_sides.away_abbr
        )
    where player_rows_with_sides.reported_team_abbr is null
    group by 1, 2

),

player_rows_with_teams as (

    select
        player_rows_with_sides.*,
        coalesce(
            player_rows_with_sides.reported_team_abbr,
            case
                when bdl.team_abbr in (
                    player_rows_with_sides.home_abbr, player_rows_with_sides.away_abbr
                ) then bdl.team_abbr
            end,
            case when roster_teams.n_roster_teams = 1 then roster_teams.roster_team_abbr end
        ) as resolved_team_abbr,
        case
            when player_rows_with_sides.reported_team_abbr is not null then 'reported'
            when bdl.team_abbr in (
                player_rows_with_sides.home_abbr, player_rows_with_sides.away_abbr
            ) then 'bdl_boxscores'
            when roster_teams.n_roster_teams = 1 then 'espn_roster'
        end as team_abbr_source
    from player_rows_with_sides
    left join stg_nba_raw__bdl_player_boxscores as bdl
        on player_rows_with_sides.game_date = bdl.game_date
        and player_rows_with_sides.player_lookup = bdl.player_lookup
        and player_rows_with_sides.reported_team_abbr is null
    left join roster_teams
        on player_rows_with_sides.game_date = roster_teams.game_date
        and player_rows_with_sides.player_lookup = roster_teams.player_lookup

),

-- 3. shot zones: per player (shooter, blocker) and per game (source, FGAs)

shooter_zones as (

    select
        game_id,
        shooter_lookup as player_lookup,
        sum(case when shot_zone = 'paint' then 1 else 0 end) as paint_attempts,
        sum(case when shot_zone = 'paint' and shot_made then 1 else 0 end) as paint_makes,
        sum(case when shot_zone = 'mid_range' then 1 else 0 end) as mid_range_attempts,
        sum(case when shot_zone = 'mid_range' and shot_made then 1 else 0 end) as mid_range_makes,
        sum(case when shot_zone = 'three' then 1 else 0 end) as three_attempts_pbp,
        sum(case when shot_zone = 'three' and shot_made then 1 else 0 end) as three_makes_pbp,
        sum(case when is_and_one_free_throw then 1 else 0 end) as and1_count,
        sum(case when is_assisted_make then 1 else 0 end) as assisted_fg_makes,
        sum(case when is_unassisted_make then 1 else 0 end) as unassisted_fg_makes
    from int_shot_events
    group by 1, 2

),

blocker_zones as (

    select
        game_id,
        blocker_lookup as player_lookup,
        sum(case when shot_zone = 'paint' then 1 else 0 end) as paint_blocks,
        sum(case when shot_zone = 'mid_range' then 1 else 0 end) as mid_range_blocks,
        sum(case when shot_zone = 'three' then 1 else 0 end) as three_pt_blocks
    from int_shot_events
    where blocker_lookup is not null
        and is_field_goal_attempt
    group by 1, 2

),

game_shot_sources as (

    select
        game_id,
        max(shot_source) as shot_zones_source
    from int_shot_events
    group by 1

),

bigdataball_games as (

    select
        game_id,
        count(*) as rows_found,
        sum(case when is_field_goal_attempt then 1 else 0 end) as fg_attempts_found,
        max(processed_at) as last_updated
    from stg_nba_raw__bigdataball_play_by_play
    group by 1

),

nbac_pbp_games as (

    select
        game_id,
        count(*) as rows_found,
        sum(case when is_field_goal_attempt then 1 else 0 end) as fg_attempts_found,
        max(processed_at) as last_updated
    from stg_nba_raw__nbac_play_by_play
    group by 1

),

-- 4. per-game source tracking of the player box scores

gamebook_games as (

    select
        game_id,
        count(*) as rows_found,
        max(processed_at) as last_updated
    from stg_nba_raw__nbac_gamebook_player_stats
    group by 1

),

bdl_games as (

    select
        game_id,
        count(*) as rows_found,
        max(processed_at) as last_updated
    from stg_nba_raw__bdl_player_boxscores
    group by 1

),

game_player_counts as (

    select
        game_id,
        count(*) as players_expected,
        sum(case when is_dnp then 0 else 1 end) as played_expected,
        sum(case when is_dnp then 0 else coalesce(fg_attempts, 0) end) as box_fg_attempts
    from player_rows_with_teams
    group by 1

),

games as (

    select distinct
        game_id,
        game_date,
        home_abbr,
        away_abbr
    from player_rows_with_teams

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

team_points_from_players as (

    select
        game_id,
        resolved_team_abbr as team_abbr,
        sum(points) as team_points
    from player_rows_with_teams
    where resolved_team_abbr is not null
    group by 1, 2

),

-- 5. props: preferred book, pre-game snapshots only

pregame_props as (

    select
        game_date,
        player_lookup,
        bookmaker,
        snapshot_timestamp,
        points_line,
        processed_at,
        case bookmaker when 'draftkings' then 1 when 'fanduel' then 2 else 3 end
            as bookmaker_rank
    from stg_nba_raw__odds_api_player_points_props
    where minutes_before_tipoff > 0
        and points_line is not null

),

pregame_props_ranked as (

    select
        pregame_props.*,
        dense_rank() over (
            partition by game_date, player_lookup
            order by bookmaker_rank, bookmaker
        ) as book_preference,
        row_number() over (
            partition by game_date, player_lookup, bookmaker
            order by snapshot_timestamp desc
        ) as latest_rank,
        row_number() over (
            partition by game_date, player_lookup, bookmaker
            order by snapshot_timestamp
        ) as earliest_rank,
        count(*) over (partition by game_date, player_lookup) as snapshots_found,
        max(processed_at) over (partition by game_date, player_lookup) as props_last_updated
    from pregame_props

),

player_lines as (

    select
        game_date,
        player_lookup,
        bookmaker as points_line_source,
        max(case when latest_rank = 1 then points_line end) as points_line,
        max(case when earliest_rank = 1 then points_line end) as opening_line,
        max(snapshots_found) as odds_rows_found,
        max(props_last_updated) as odds_last_updated
    from pregame_props_ranked
    where book_preference = 1
    group by 1, 2, 3

),

-- 6. everything joined, formulas

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
        -- zones count for active players of games with shot events (0 when
        -- the player has none); assist and block roles only in BigDataBall
        game_shot_sources.shot_zones_source,
        {% for column in shot_zone_columns -%}
        case when player_rows.is_active and game_shot_sources.game_id is not null
            then coalesce(shooter_zones.{{ column }}, 0) end as {{ column }},
        {% endfor -%}
        {% for column in bigdataball_role_columns -%}
        case
            when player_rows.is_active
                and game_shot_sources.shot_zones_source = 'bigdataball'
                then coalesce({{ column }}, 0)
        end as {{ column.split('.')[1] }},
        {% endfor -%}
        -- team
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
        -- props
        player_lines.points_line,
        player_lines.opening_line,
        player_lines.points_line_source,
        player_lines.odds_rows_found,
        player_lines.odds_last_updated,
        -- source tracking
        gamebook_games.rows_found as nbac_rows_found,
        gamebook_games.last_updated as nbac_last_updated,
        bdl_games.rows_found as bdl_rows_found,
        bdl_games.last_updated as bdl_last_updated,
        bigdataball_games.rows_found as bbd_rows_found,
        bigdataball_games.fg_attempts_found as bbd_fg_attempts_found,
        bigdataball_games.last_updated as bbd_last_updated,
        nbac_pbp_games.rows_found as nbac_pbp_rows_found,
        nbac_pbp_games.fg_attempts_found as nbac_pbp_fg_attempts_found,
        nbac_pbp_games.last_updated as nbac_pbp_last_updated,
        game_player_counts.players_expected,
        game_player_counts.played_expected,
        game_player_counts.box_fg_attempts,
        coalesce(team_rows_per_game.team_rows_found, 0) as team_rows_found,
        team_rows_per_game.team_last_updated
    from player_rows_with_teams as player_rows
    left join shooter_zones
        on player_rows.game_id = shooter_zones.game_id
        and player_rows.player_lookup = shooter_zones.player_lookup
    left join blocker_zones
        on player_rows.game_id = blocker_zones.game_id
        and player_rows.player_lookup = blocker_zones.player_lookup
    left join game_shot_sources
        on player_rows.game_id = game_shot_sources.game_id
    left join team_offense_game_summary as team
        on player_rows.game_date = team.game_date
        and player_rows.resolved_team_abbr = team.team_abbr
    left join team_points_from_players as own_points
        on player_rows.game_id = own_points.game_id
        and player_rows.resolved_team_abbr = own_points.team_abbr
    left join team_points_from_players as opp_points
        on player_rows.game_id = opp_points.game_id
        and player_rows.resolved_team_abbr <> opp_points.team_abbr
    left join player_lines
        on player_rows.game_date = player_lines.game_date
        and player_rows.player_lookup = player_lines.player_lookup
    left join gamebook_games
        on player_rows.game_id = gamebook_games.game_id
    left join bdl_games
        on player_rows.game_id = bdl_games.game_id
    left join bigdataball_games
        on player_rows.game_id = bigdataball_games.game_id
    left join nbac_pbp_games
        on player_rows.game_id = nbac_pbp_games.game_id
    left join game_player_counts
        on player_rows.game_id = game_player_counts.game_id
    left join team_rows_per_game
        on player_rows.game_id = team_rows_per_game.game_id

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
        case when is_active and not is_dnp then points end as prop_points,
        paint_attempts is not null
            and mid_range_attempts is not null
            and three_attempts_pbp is not null as has_complete_shot_zones
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
            then round(prop_points - points_line, 2) end as margin,
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
            then points_line - opening_line end as line_movement,
        points_line_source,
        points_line_source as opening_line_source,
        -- availability
        is_active,
        player_status,
        is_dnp,
        dnp_reason,
        dnp_reason_category,
        -- source tracking (per game; completeness capped at 100)
        nbac_last_updated as source_nbac_last_updated,
        coalesce(nbac_rows_found, 0) as source_nbac_rows_found,
        {{ capped_pct('100.0 * coalesce(nbac_rows_found, 0) / players_expected') }}
            as source_nbac_completeness_pct,
        bdl_last_updated as source_bdl_last_updated,
        coalesce(bdl_rows_found, 0) as source_bdl_rows_found,
        case when played_expected > 0
            then {{ capped_pct('100.0 * coalesce(bdl_rows_found, 0) / played_expected') }}
        end as source_bdl_completeness_pct,
        bbd_last_updated as source_bbd_last_updated,
        coalesce(bbd_rows_found, 0) as source_bbd_rows_found,
        case when box_fg_attempts > 0
            then {{ capped_pct('100.0 * coalesce(bbd_fg_attempts_found, 0) / box_fg_attempts') }}
        end as source_bbd_completeness_pct,
        nbac_pbp_last_updated as source_nbac_pbp_last_updated,
        coalesce(nbac_pbp_rows_found, 0) as source_nbac_pbp_rows_found,
        case when box_fg_attempts > 0
            then {{ capped_pct('100.0 * coalesce(nbac_pbp_fg_attempts_found, 0) / box_fg_attempts') }}
        end as source_nbac_pbp_completeness_pct,
        odds_last_updated as source_odds_last_updated,
        coalesce(odds_rows_found, 0) as source_odds_rows_found,
        case when points_line is not null then 100.0 else 0.0 end as source_odds_completeness_pct,
        team_last_updated as source_team_last_updated,
        team_rows_found as source_team_rows_found,
        {{ capped_pct('100.0 * team_rows_found / 2') }} as source_team_completeness_pct,
        -- quality
        case
            when quality_score >= 95 then 'gold'
            when quality_score >= 75 then 'silver'
            when quality_score >= 50 then 'bronze'
            when quality_score >= 25 then 'poor'
            else 'unusable'
        end as quality_tier,
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
