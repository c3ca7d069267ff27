{{ config(
    tags=['phase4'],
    **phase_incremental_config(
        'analysis_date', ['player_lookup', 'universal_player_id', 'analysis_date'])
) }}

{#-
    player_shot_zone_analysis (PSZA), domain.md §3.2. One row per analysis
    date D (a non-bootstrap game date) and player with qualifying PGS games
    this season strictly before D (is_active, minutes > 0 or FGA > 0).
    Windows: the player's last 10 (primary) and last 20 (trend, computed with
    at least 15 games) qualifying games. Rates are percentages 0-100; the
    three-point counts prefer play-by-play (three_attempts_pbp /
    three_makes_pbp) over the box score. Players below the dynamic minimum
    keep their row with rates NULL and a reason.
-#}

{%- set sample_window = 10 -%}
{%- set trend_window = 20 -%}
{%- set season_lookback_days = var('season_lookback_days') -%}
{%- set completeness_lookback_days = [sample_window * 3, 30] | max -%}

with

int_phase4_analysis_dates as (

    select
        analysis_date,
        season_year,
        days_into_season,
        is_bootstrap_date
    from {{ ref('int_phase4_analysis_dates') }}
    where {{ in_run_window('analysis_date') }}

),

player_game_summary as (

    select
        game_date,
        season_year,
        player_lookup,
        universal_player_id,
        team_abbr,
        is_active,
        minutes_played,
        fg_attempts,
        fg_makes,
        paint_attempts,
        paint_makes,
        mid_range_attempts,
        mid_range_makes,
        coalesce(three_attempts_pbp, three_pt_attempts) as three_attempts,
        coalesce(three_makes_pbp, three_pt_makes) as three_makes,
        assisted_fg_makes,
        unassisted_fg_makes
    from {{ ref('player_game_summary') }}
    where {{ in_run_window('game_date', lookback_days=season_lookback_days) }}

),

qualifying_games as (

    select *
    from player_game_summary
    where is_active
        and (minutes_played > 0 or fg_attempts > 0)

),

-- each player's qualifying games of the season in order, with the sums over
-- the last 10 and 20 of them up to and including that game: one pass over the
-- games (a scan), not every date joined with every earlier game (a square)
game_sequence as (

    select
        player_lookup,
        season_year,
        game_date,
        team_abbr,
        max(universal_player_id) over ({{ season_frame('player_lookup') }}) as universal_player_id,
        {%- for n, suffix in [(sample_window, '10'), (trend_window, '20')] %}
            {%- set frame = season_frame('player_lookup', n) %}
            count(*) over ({{ frame }}) as games_{{ suffix }},
        {%- for column in ['paint_attempts', 'paint_makes', 'mid_range_attempts',
                           'mid_range_makes', 'three_attempts', 'three_makes'] %}
                sum({{ column }}) over ({{ frame }}) as {{ column }}_{{ suffix }},
            {%- endfor %}
            count(paint_attempts) over ({{ frame }}) > 0
            and count(mid_range_attempts) over ({{ frame }}) > 0
            and count(three_attempts) over ({{ frame }}) > 0
                as zones_complete_{{ suffix }},
            {%- if n == sample_window %}
                sum(fg_makes) over ({{ frame }}) as fg_makes_10,
                sum(assisted_fg_makes) over ({{ frame }}) as assisted_fg_makes_10,
                sum(unassisted_fg_makes) over ({{ frame }}) as unassisted_fg_makes_10,
            {%- endif %}
        {%- endfor %}
        {{ next_game_date('player_lookup') }} as next_game_date
    from qualifying_games

),

-- each date's players: the windows as of their last qualifying game of the
-- season strictly before D (the game whose next one is on or after D)
player_windows as (

    select
        dates.analysis_date,
        games.player_lookup,
        games.universal_player_id,
        games.season_year,
        dates.days_into_season,
        dates.is_bootstrap_date,
        games.team_abbr,
        {%- for suffix in ['10', '20'] %}
            games.games_{{ suffix }},
        {%- for column in ['paint_attempts', 'paint_makes', 'mid_range_attempts',
                           'mid_range_makes', 'three_attempts', 'three_makes'] %}
                games.{{ column }}_{{ suffix }},
            {%- endfor %}
            games.zones_complete_{{ suffix }},
        {%- endfor %}
        games.fg_makes_10,
        games.assisted_fg_makes_10,
        games.unassisted_fg_makes_10
    from int_phase4_analysis_dates as dates
    inner join game_sequence as games
        on games.season_year = dates.season_year
        and {{ last_game_before('games', 'dates.analysis_date') }}

),

int_phase4_player_last_teams as (

    select
        analysis_date,
        season_year,
        player_lookup,
        last_team_abbr
    from {{ ref('int_phase4_player_last_teams') }}
    where {{ in_run_window('analysis_date') }}

),

completeness as (

    {{ phase4_window_completeness(
        entities='int_phase4_player_last_teams', entity_key='player_lookup',
        team_column='last_team_abbr',
        history='player_game_summary', history_key='player_lookup',
        window_games=sample_window, lookback_days=completeness_lookback_days) }}

),

rates as (

    select
        player_windows.*,
        {{ phase4_min_games('player_windows.days_into_season', 3, 9, sample_window) }}
            as min_games_required,
        coalesce(paint_attempts_10, 0) + coalesce(mid_range_attempts_10, 0)  -- noqa: RF02
        + coalesce(three_attempts_10, 0) as total_shots_10,  -- noqa: RF02
        coalesce(paint_attempts_20, 0) + coalesce(mid_range_attempts_20, 0)  -- noqa: RF02
        + coalesce(three_attempts_20, 0) as total_shots_20,  -- noqa: RF02
        completeness.expected_games_count,
        completeness.actual_games_count
    from player_windows
    left join completeness
        on completeness.analysis_date = player_windows.analysis_date
        and completeness.entity_key = player_windows.player_lookup

),

rated as (

    select
        *,
        games_10 >= min_games_required as has_enough_games,
        case when zones_complete_10 and total_shots_10 > 0
                then 100.0 * paint_attempts_10 / total_shots_10
        end as raw_paint_rate_10,
        case when zones_complete_10 and total_shots_10 > 0
                then 100.0 * mid_range_attempts_10 / total_shots_10
        end as raw_mid_range_rate_10,
        case when zones_complete_10 and total_shots_10 > 0
                then 100.0 * three_attempts_10 / total_shots_10
        end as raw_three_pt_rate_10,
        case when zones_complete_20 and total_shots_20 > 0 and games_20 >= 15
                then 100.0 * paint_attempts_20 / total_shots_20
        end as raw_paint_rate_20
    from rates

),

checked as (

    select
        *,
        has_enough_games
        and abs(raw_paint_rate_10 + raw_mid_range_rate_10 + raw_three_pt_rate_10 - 100) <= 2
            as rates_valid
    from rated

),

shaped as (

    select
        player_lookup,
        universal_player_id,
        analysis_date,
        season_year,
        team_abbr,

        -- last 10 qualifying games (percentages 0-100)
        cast(
            case when rates_valid then round(raw_paint_rate_10, 2) end
            as {{ type_float64() }}
        ) as paint_rate_last_10,
        cast(
            case when rates_valid then round(raw_mid_range_rate_10, 2) end
            as {{ type_float64() }}
        ) as mid_range_rate_last_10,
        cast(
            case when rates_valid then round(raw_three_pt_rate_10, 2) end
            as {{ type_float64() }}
        ) as three_pt_rate_last_10,
        cast(case when has_enough_games
                then round(1.0 * paint_makes_10 / nullif(paint_attempts_10, 0), 3)
        end
        as {{ type_float64() }}) as paint_pct_last_10,
        cast(case when has_enough_games
                then round(1.0 * mid_range_makes_10 / nullif(mid_range_attempts_10, 0), 3)
        end
        as {{ type_float64() }}) as mid_range_pct_last_10,
        cast(case when has_enough_games
                then round(1.0 * three_makes_10 / nullif(three_attempts_10, 0), 3)
        end
        as {{ type_float64() }}) as three_pt_pct_last_10,
        cast(case when has_enough_games
                then round(1.0 * paint_attempts_10 / games_10, 2)
        end
        as {{ type_float64() }}) as paint_attempts_per_game,
        cast(case when has_enough_games
                then round(1.0 * mid_range_attempts_10 / games_10, 2)
        end
        as {{ type_float64() }}) as mid_range_attempts_per_game,
        cast(case when has_enough_games
                then round(1.0 * three_attempts_10 / games_10, 2)
        end
        as {{ type_float64() }}) as three_pt_attempts_per_game,
        cast(
            case when has_enough_games then total_shots_10 end
            as {{ dbt.type_int() }}
        ) as total_shots_last_10,
        cast(case when has_enough_games and zones_complete_10
                then round(100.0 * assisted_fg_makes_10 / nullif(fg_makes_10, 0), 2)
        end
        as {{ type_float64() }}) as assisted_rate_last_10,
        cast(case when has_enough_games and zones_complete_10
                then round(100.0 * unassisted_fg_makes_10 / nullif(fg_makes_10, 0), 2)
        end
        as {{ type_float64() }}) as unassisted_rate_last_10,
        case when rates_valid then
                {{ psza_primary_scoring_zone('raw_paint_rate_10', 'raw_mid_range_rate_10', 'raw_three_pt_rate_10') }}
        end as primary_scoring_zone,

        -- last 20 qualifying games (with at least 15)
        cast(
            case when has_enough_games then round(raw_paint_rate_20, 2) end
            as {{ type_float64() }}
        ) as paint_rate_last_20,
        cast(case when has_enough_games and games_20 >= 15
                then round(1.0 * paint_makes_20 / nullif(paint_attempts_20, 0), 3)
        end
        as {{ type_float64() }}) as paint_pct_last_20,

        -- sample
        cast(games_10 as {{ dbt.type_int() }}) as games_in_sample_10,
        cast(games_20 as {{ dbt.type_int() }}) as games_in_sample_20,
        {{ sample_quality('games_10', sample_window) }} as sample_quality_10,
        {{ sample_quality('games_20', trend_window) }} as sample_quality_20,
        cast(min_games_required as {{ dbt.type_int() }}) as min_games_required,
        case
            when games_10 >= min_games_required then 'high'
            when games_10 >= 7 then 'medium'
            else 'low'
        end as data_quality_tier,

        -- completeness block
        {{ phase4_completeness_columns(
            'expected_games_count', 'actual_games_count', 'analysis_date', 'days_into_season') }},
        min_games_required < {{ sample_window }} as early_season_flag,
        {{ insufficient_games_reason('games_10', 'min_games_required') }}
            as insufficient_data_reason,
        nullif(rtrim({{ dbt.concat([
            "case when not has_enough_games then 'insufficient_games,' else '' end",
            "case when not zones_complete_10 then 'incomplete_shot_zones,' else '' end",
            "case when has_enough_games and zones_complete_10 and total_shots_10 = 0 then 'no_zone_shots,' else '' end",
            "case when coalesce(actual_games_count, 0) < coalesce(expected_games_count, 0) then 'missing_upstream_games,' else '' end",
        ]) }}, ','), '') as data_quality_issues,
        case
            when not has_enough_games and coalesce(expected_games_count, 0) < min_games_required
                then 'expected_incomplete'
            when not has_enough_games then 'incomplete_upstream'
            when is_bootstrap_date then 'processed_bootstrap_included'
            when min_games_required < {{ sample_window }} then 'processed_early_season'
            else 'processed'
        end as processing_decision_reason
    from checked

),

{%- set hash_fields = [
        'player_lookup',
        'analysis_date',
        'paint_rate_last_10',
        'mid_range_rate_last_10',
        'three_pt_rate_last_10',
        'paint_pct_last_10',
        'mid_range_pct_last_10',
        'three_pt_pct_last_10',
        'paint_attempts_per_game',
        'mid_range_attempts_per_game',
        'three_pt_attempts_per_game',
        'total_shots_last_10',
        'assisted_rate_last_10',
        'unassisted_rate_last_10',
        'primary_scoring_zone',
        'paint_rate_last_20',
        'paint_pct_last_20',
        'games_in_sample_10',
        'games_in_sample_20',
        'data_quality_tier',
] %}

final as (

    select
        shaped.*,
        {{ row_data_hash(hash_fields) }} as data_hash
    from shaped

)

select * from final
