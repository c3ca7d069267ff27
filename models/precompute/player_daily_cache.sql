-- depends_on: {{ ref('player_composite_factors') }}
{{ config(
    tags=['phase4'],
    **phase_incremental_config(
        'cache_date', ['player_lookup', 'universal_player_id'])
) }}

{#-
    player_daily_cache (PDC), domain.md §3.3. One row per cache date D
    (= analysis date, a non-bootstrap game date) and player of D's upcoming
    context (int_phase4_player_context: UPCG, or the PGS fallback) plus the
    roster expansion (players whose latest played game of the last 30 days
    was for a team playing on D, without a context row; their fatigue fields
    are NULL), written only with at least 3 played games this season before
    D. Stats over the player's played games strictly before D in D's season
    (newest first); team pace / offensive rating over the team's last 10 TOGS
    games before D; shot zones from PSZA of D. Completeness over four windows
    against player_game_summary (DNP-aware), domain.md §3.3: the last 5 and 10
    team games (L5 is the headline block) and the last 7 and 14 days, the day
    windows extended by the schedule break before D (All-Star break);
    is_production_ready needs all four at >= var production_ready_pct. The
    depends_on comment orders PDC after player_composite_factors (domain.md
    §5.2), which it does not read.
-#}

{%- set season_lookback_days = 400 -%}
{%- set expansion_days = 30 -%}
{%- set min_games = 3 -%}
{%- set headline_window = 5 -%}
{%- set completeness_lookback_days = 30 -%}
{#- the longest day window: 14 days plus a break of at most 30 days -#}
{%- set history_lookback_days = 45 -%}
{#- the windows over a player's (team's) games of the season, newest last -#}
{%- set player_sequence = 'partition by player_lookup, season_year order by game_date' -%}
{%- set team_sequence = 'partition by team_abbr, season_year order by game_date' -%}
{%- set season_to_date = 'rows between unbounded preceding and current row' -%}
{%- set last_5 = 'rows between 4 preceding and current row' -%}
{%- set last_10 = 'rows between 9 preceding and current row' -%}

with

int_phase4_analysis_dates as (

    select
        analysis_date,
        season_year,
        days_into_season,
        is_bootstrap_date,
        schedule_break_days
    from {{ ref('int_phase4_analysis_dates') }}
    where {{ in_run_window('analysis_date') }}

),

int_phase4_player_context as (

    select *
    from {{ ref('int_phase4_player_context') }}
    where {{ in_run_window('analysis_date') }}

),

int_phase4_played_games as (

    select
        game_date,
        season_year,
        player_lookup,
        universal_player_id,
        team_abbr,
        points,
        minutes_played,
        usage_rate,
        ts_pct,
        fg_makes,
        assisted_fg_makes
    from {{ ref('int_phase4_played_games') }}

),

player_game_summary as (

    select
        player_lookup,
        game_date
    from {{ ref('player_game_summary') }}
    where {{ in_run_window('game_date', lookback_days=history_lookback_days) }}

),

team_offense_game_summary as (

    select
        game_date,
        season_year,
        team_abbr,
        pace,
        offensive_rating
    from {{ ref('team_offense_game_summary') }}
    where {{ in_run_window('game_date', lookback_days=season_lookback_days) }}
        and primary_source_used <> 'none'

),

player_shot_zone_analysis as (

    select
        analysis_date,
        player_lookup,
        primary_scoring_zone,
        paint_rate_last_10,
        three_pt_rate_last_10,
        insufficient_data_reason
    from {{ ref('player_shot_zone_analysis') }}
    where {{ in_run_window('analysis_date') }}

),

-- ---------------------------------------------------------------- sequences

-- each player's played games of the season in order, with the stats over the
-- season, the last 5 and the last 10 of them up to and including that game:
-- one pass over the games (a scan), not every date joined with every earlier
-- game (a square). A date D reads the row of the player's last game before D.
played_sequence as (

    select
        player_lookup,
        season_year,
        game_date,
        universal_player_id,
        team_abbr,
        count(*) over ({{ player_sequence }} {{ season_to_date }}) as games_played_season,
        count(*) over ({{ player_sequence }} {{ last_5 }}) as games_last_5,
        count(*) over ({{ player_sequence }} {{ last_10 }}) as games_last_10,
        {{ exact_avg('points', 0, over=player_sequence ~ ' ' ~ last_5) }} as points_avg_last_5,
        {{ exact_avg('points', 0, over=player_sequence ~ ' ' ~ last_10) }} as points_avg_last_10,
        {{ exact_avg('points', 0, over=player_sequence ~ ' ' ~ season_to_date) }} as points_avg_season,
        {{ exact_stddev_samp('points', over=player_sequence ~ ' ' ~ last_10) }} as points_std_last_10,
        {{ sum_tenths('minutes_played', over=player_sequence ~ ' ' ~ last_10) }}
            / nullif(count(minutes_played) over ({{ player_sequence }} {{ last_10 }}), 0)
            as minutes_avg_last_10,
        {{ exact_avg('usage_rate', over=player_sequence ~ ' ' ~ last_10) }} as usage_rate_last_10,
        {{ exact_avg('ts_pct', over=player_sequence ~ ' ' ~ last_10) }} as ts_pct_last_10,
        {{ exact_avg('usage_rate', over=player_sequence ~ ' ' ~ season_to_date) }}
            as player_usage_rate_season,
        sum(assisted_fg_makes) over ({{ player_sequence }} {{ last_10 }}) as assisted_fg_makes_10,
        sum(fg_makes) over ({{ player_sequence }} {{ last_10 }}) as fg_makes_10,
        lead(game_date) over ({{ player_sequence }}) as next_game_date
    from int_phase4_played_games

),

-- each team's TOGS games of the season in order, with the averages over the
-- last 10 of them up to and including that game
team_sequence as (

    select
        team_abbr,
        season_year,
        game_date,
        {{ exact_avg('pace', over=team_sequence ~ ' ' ~ last_10) }} as team_pace_last_10,
        {{ exact_avg('offensive_rating', over=team_sequence ~ ' ' ~ last_10) }}
            as team_off_rating_last_10,
        lead(game_date) over ({{ team_sequence }}) as next_game_date
    from team_offense_game_summary

),

-- ---------------------------------------------------------------- universe

context_players as (

    select
        analysis_date,
        season_year,
        player_lookup,
        universal_player_id,
        team_abbr,
        last_team_abbr,
        true as has_context_row,
        games_in_last_7_days,
        games_in_last_14_days,
        minutes_in_last_7_days,
        minutes_in_last_14_days,
        back_to_backs_last_14_days,
        avg_minutes_per_game_last_7,
        player_age,
        context_source
    from int_phase4_player_context

),

date_teams as (

    select distinct
        analysis_date,
        team_abbr,
        context_source
    from context_players
    where team_abbr is not null

),

-- players whose latest played game of the last 30 days was for a team of D
expansion_players as (

    select
        date_teams.analysis_date,
        dates.season_year,
        played.player_lookup,
        played.universal_player_id,
        played.team_abbr,
        played.team_abbr as last_team_abbr,
        false as has_context_row,
        cast(null as {{ dbt.type_int() }}) as games_in_last_7_days,
        cast(null as {{ dbt.type_int() }}) as games_in_last_14_days,
        cast(null as {{ type_float64() }}) as minutes_in_last_7_days,
        cast(null as {{ type_float64() }}) as minutes_in_last_14_days,
        cast(null as {{ dbt.type_int() }}) as back_to_backs_last_14_days,
        cast(null as {{ type_float64() }}) as avg_minutes_per_game_last_7,
        cast(null as {{ dbt.type_int() }}) as player_age,
        date_teams.context_source
    from (
        -- the player's last played game of the season before D (the game whose
        -- next one is on or after D), when it is one of the last 30 days
        select
            dates.analysis_date,
            played.player_lookup,
            played.universal_player_id,
            played.team_abbr
        from int_phase4_analysis_dates as dates
        inner join played_sequence as played
            on played.season_year = dates.season_year
            and {{ last_game_before('played', 'dates.analysis_date') }}
        where played.game_date
            >= cast({{ dbt.dateadd('day', -expansion_days, 'dates.analysis_date') }} as date)
    ) as played
    inner join int_phase4_analysis_dates as dates
        on dates.analysis_date = played.analysis_date
    inner join date_teams
        on date_teams.analysis_date = played.analysis_date
        and date_teams.team_abbr = played.team_abbr
    left join context_players
        on context_players.analysis_date = played.analysis_date
        and context_players.player_lookup = played.player_lookup
    where context_players.player_lookup is null

),

universe as (

    select * from context_players
    union all
    select * from expansion_players

),

-- ---------------------------------------------------------------- stats

-- each universe row: the player's stats as of his last played game of the
-- season strictly before D (the game whose next one is on or after D)
player_stats as (

    select
        universe.analysis_date,
        universe.player_lookup,
        played.games_played_season,
        played.games_last_5,
        played.games_last_10,
        played.points_avg_last_5,
        played.points_avg_last_10,
        played.points_avg_season,
        played.points_std_last_10,
        played.minutes_avg_last_10,
        played.usage_rate_last_10,
        played.ts_pct_last_10,
        played.player_usage_rate_season,
        played.assisted_fg_makes_10,
        played.fg_makes_10
    from universe
    inner join played_sequence as played
        on played.player_lookup = universe.player_lookup
        and played.season_year = universe.season_year
        and {{ last_game_before('played', 'universe.analysis_date') }}

),

-- each date's teams: the averages as of the team's last TOGS game of the
-- season strictly before D
team_stats as (

    select
        date_teams.analysis_date,
        date_teams.team_abbr,
        togs.team_pace_last_10,
        togs.team_off_rating_last_10
    from (select distinct analysis_date, team_abbr from universe where team_abbr is not null) as date_teams
    inner join int_phase4_analysis_dates as dates
        on dates.analysis_date = date_teams.analysis_date
    inner join team_sequence as togs
        on togs.team_abbr = date_teams.team_abbr
        and togs.season_year = dates.season_year
        and {{ last_game_before('togs', 'date_teams.analysis_date') }}

),

-- ---------------------------------------------------------------- completeness

completeness_entities as (

    select
        universe.analysis_date,
        universe.season_year,
        universe.player_lookup,
        universe.last_team_abbr,
        dates.schedule_break_days
    from universe
    inner join int_phase4_analysis_dates as dates
        on dates.analysis_date = universe.analysis_date

),

-- the headline window: the last 5 team games
completeness as (

    {{ phase4_window_completeness(
        entities='completeness_entities', entity_key='player_lookup', team_column='last_team_abbr',
        history='player_game_summary', history_key='player_lookup',
        window_games=headline_window, lookback_days=completeness_lookback_days) }}

),

completeness_l10 as (

    {{ phase4_window_completeness(
        entities='completeness_entities', entity_key='player_lookup', team_column='last_team_abbr',
        history='player_game_summary', history_key='player_lookup',
        window_games=10, lookback_days=completeness_lookback_days) }}

),

-- day windows: 7 and 14 days, plus the schedule break before D
completeness_l7d as (

    {{ phase4_window_completeness(
        entities='completeness_entities', entity_key='player_lookup', team_column='last_team_abbr',
        history='player_game_summary', history_key='player_lookup',
        window_games=none, lookback_days=7, extra_lookback_column='schedule_break_days') }}

),

completeness_l14d as (

    {{ phase4_window_completeness(
        entities='completeness_entities', entity_key='player_lookup', team_column='last_team_abbr',
        history='player_game_summary', history_key='player_lookup',
        window_games=none, lookback_days=14, extra_lookback_column='schedule_break_days') }}

),

joined as (

    select
        universe.*,
        dates.days_into_season,
        dates.is_bootstrap_date,
        player_stats.games_played_season,
        player_stats.games_last_5,
        player_stats.games_last_10,
        player_stats.points_avg_last_5,
        player_stats.points_avg_last_10,
        player_stats.points_avg_season,
        player_stats.points_std_last_10,
        player_stats.minutes_avg_last_10,
        player_stats.usage_rate_last_10,
        player_stats.ts_pct_last_10,
        player_stats.player_usage_rate_season,
        player_stats.assisted_fg_makes_10,
        player_stats.fg_makes_10,
        team_stats.team_pace_last_10,
        team_stats.team_off_rating_last_10,
        -- a PSZA row below its minimum games stands for production's missing row
        player_shot_zone_analysis.player_lookup is not null
            and player_shot_zone_analysis.insufficient_data_reason is null as shot_zone_data_available,
        player_shot_zone_analysis.primary_scoring_zone,
        player_shot_zone_analysis.paint_rate_last_10,
        player_shot_zone_analysis.three_pt_rate_last_10,
        dates.schedule_break_days,
        completeness.expected_games_count,
        completeness.actual_games_count,
        {{ phase4_completeness_pct('completeness_l10.expected_games_count',
                                   'completeness_l10.actual_games_count') }} as l10_completeness_pct,
        {{ phase4_completeness_pct('completeness_l7d.expected_games_count',
                                   'completeness_l7d.actual_games_count') }} as l7d_completeness_pct,
        {{ phase4_completeness_pct('completeness_l14d.expected_games_count',
                                   'completeness_l14d.actual_games_count') }} as l14d_completeness_pct
    from universe
    inner join int_phase4_analysis_dates as dates
        on dates.analysis_date = universe.analysis_date
    inner join player_stats
        on player_stats.analysis_date = universe.analysis_date
        and player_stats.player_lookup = universe.player_lookup
    left join team_stats
        on team_stats.analysis_date = universe.analysis_date
        and team_stats.team_abbr = universe.team_abbr
    left join player_shot_zone_analysis
        on player_shot_zone_analysis.analysis_date = universe.analysis_date
        and player_shot_zone_analysis.player_lookup = universe.player_lookup
    left join completeness
        on completeness.analysis_date = universe.analysis_date
        and completeness.entity_key = universe.player_lookup
    left join completeness_l10
        on completeness_l10.analysis_date = universe.analysis_date
        and completeness_l10.entity_key = universe.player_lookup
    left join completeness_l7d
        on completeness_l7d.analysis_date = universe.analysis_date
        and completeness_l7d.entity_key = universe.player_lookup
    left join completeness_l14d
        on completeness_l14d.analysis_date = universe.analysis_date
        and completeness_l14d.entity_key = universe.player_lookup
    where player_stats.games_played_season >= {{ min_games }}

),

shaped as (

    select
        player_lookup,
        universal_player_id,
        analysis_date as cache_date,
        season_year,
        team_abbr,

        -- player performance (played games of the season before D)
        cast(round(points_avg_last_5, 2) as {{ type_float64() }}) as points_avg_last_5,
        cast(round(points_avg_last_10, 2) as {{ type_float64() }}) as points_avg_last_10,
        cast(round(points_avg_season, 2) as {{ type_float64() }}) as points_avg_season,
        cast(round(points_std_last_10, 2) as {{ type_float64() }}) as points_std_last_10,
        cast(round(minutes_avg_last_10, 2) as {{ type_float64() }}) as minutes_avg_last_10,
        cast(round(usage_rate_last_10, 2) as {{ type_float64() }}) as usage_rate_last_10,
        cast(round(ts_pct_last_10, 3) as {{ type_float64() }}) as ts_pct_last_10,
        cast(games_played_season as {{ dbt.type_int() }}) as games_played_season,
        cast(round(player_usage_rate_season, 2) as {{ type_float64() }})
            as player_usage_rate_season,
        cast(round(1.0 * assisted_fg_makes_10 / nullif(fg_makes_10, 0), 3)
            as {{ type_float64() }}) as assisted_rate_last_10,

        -- team (last 10 TOGS games before D)
        cast(round(team_pace_last_10, 2) as {{ type_float64() }}) as team_pace_last_10,
        cast(round(team_off_rating_last_10, 2) as {{ type_float64() }})
            as team_off_rating_last_10,

        -- fatigue (copied from the upcoming context; NULL for roster expansion)
        cast(games_in_last_7_days as {{ dbt.type_int() }}) as games_in_last_7_days,
        cast(games_in_last_14_days as {{ dbt.type_int() }}) as games_in_last_14_days,
        cast(minutes_in_last_7_days as {{ type_float64() }}) as minutes_in_last_7_days,
        cast(minutes_in_last_14_days as {{ type_float64() }}) as minutes_in_last_14_days,
        cast(back_to_backs_last_14_days as {{ dbt.type_int() }}) as back_to_backs_last_14_days,
        cast(avg_minutes_per_game_last_7 as {{ type_float64() }}) as avg_minutes_per_game_last_7,
        cast(null as {{ type_float64() }}) as fourth_quarter_minutes_last_7,
        cast(player_age as {{ dbt.type_int() }}) as player_age,

        -- shot zones (PSZA of D)
        primary_scoring_zone,
        cast(paint_rate_last_10 as {{ type_float64() }}) as paint_rate_last_10,
        cast(three_pt_rate_last_10 as {{ type_float64() }}) as three_pt_rate_last_10,
        shot_zone_data_available,

        -- universe
        has_context_row,
        context_source,
        'v1' as cache_version,

        -- completeness block (headline window: the last 5 team games; production
        -- readiness needs all four windows)
        {{ phase4_completeness_columns(
            'expected_games_count', 'actual_games_count', 'analysis_date', 'days_into_season',
            ready_and='l10_completeness_pct >= ' ~ var('production_ready_pct', 70)
                ~ ' and l7d_completeness_pct >= ' ~ var('production_ready_pct', 70)
                ~ ' and l14d_completeness_pct >= ' ~ var('production_ready_pct', 70)) }},
        cast(l10_completeness_pct as {{ type_float64() }}) as l10_completeness_pct,
        cast(l7d_completeness_pct as {{ type_float64() }}) as l7d_completeness_pct,
        cast(l14d_completeness_pct as {{ type_float64() }}) as l14d_completeness_pct,
        cast(schedule_break_days as {{ dbt.type_int() }}) as schedule_break_days,
        cast({{ phase4_completeness_pct('expected_games_count', 'actual_games_count') }}
            as {{ type_float64() }}) as cache_quality_score,
        case
            when {{ phase4_completeness_pct('expected_games_count', 'actual_games_count') }} >= 95 then 'gold'
            when {{ phase4_completeness_pct('expected_games_count', 'actual_games_count') }} >= 75 then 'silver'
            when {{ phase4_completeness_pct('expected_games_count', 'actual_games_count') }} >= 50 then 'bronze'
            when {{ phase4_completeness_pct('expected_games_count', 'actual_games_count') }} >= 25 then 'poor'
            else 'unusable'
        end as quality_tier,
        games_played_season < 10 as early_season_flag,
        case when games_played_season < 10 then
            {{ dbt.concat(["'Only '", "cast(games_played_season as " ~ dbt.type_string() ~ ")",
                           "' games played this season, need 10'"]) }}
        end as insufficient_data_reason,
        nullif(rtrim({{ dbt.concat([
            "case when context_source <> 'upcoming_player_game_context' then 'upcg_fallback_context,' else '' end",
            "case when not has_context_row then 'roster_expansion_no_context,' else '' end",
            "case when not shot_zone_data_available then 'missing_player_shot_zone,' else '' end",
            "case when team_pace_last_10 is null then 'missing_team_offense,' else '' end",
            "case when coalesce(actual_games_count, 0) < coalesce(expected_games_count, 0) then 'missing_upstream_games,' else '' end",
        ]) }}, ','), '') as data_quality_issues,
        case
            when context_source <> 'upcoming_player_game_context' then 'processed_with_pgs_fallback_context'
            when is_bootstrap_date then 'processed_bootstrap_included'
            when games_played_season < 10 then 'processed_early_season'
            else 'processed'
        end as processing_decision_reason
    from joined

),

{%- set hash_fields = [
        'player_lookup',
        'cache_date',
        'team_abbr',
        'points_avg_last_5',
        'points_avg_last_10',
        'points_avg_season',
        'points_std_last_10',
        'minutes_avg_last_10',
        'usage_rate_last_10',
        'ts_pct_last_10',
        'games_played_season',
        'player_usage_rate_season',
        'assisted_rate_last_10',
        'team_pace_last_10',
        'team_off_rating_last_10',
        'games_in_last_7_days',
        'games_in_last_14_days',
        'minutes_in_last_7_days',
        'minutes_in_last_14_days',
        'back_to_backs_last_14_days',
        'avg_minutes_per_game_last_7',
        'player_age',
        'primary_scoring_zone',
        'paint_rate_last_10',
        'three_pt_rate_last_10',
        'context_source',
] %}

final as (

    select
        shaped.*,
        {{ row_data_hash(hash_fields) }} as data_hash
    from shaped

)

select * from final
