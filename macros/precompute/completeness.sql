{#-
    The Phase 4 completeness block (domain.md §3 "completeness checker"), one
    place for the four precompute tables.

    phase4_window_completeness(entities, entity_key, team_column, history,
                               history_key, window_games, lookback_days,
                               extra_lookback_column=none)
    renders a SELECT (use it as a CTE body) with one row per
    (analysis_date, entity_key) of `entities` that has expected games:
        expected_games_count = the final schedule dates of the entity's team
            (int_phase4_team_schedule_games) strictly before analysis_date, in the
            same season, within lookback_days (plus the value of the entities'
            column extra_lookback_column when given: PDC's day windows grow by
            the schedule break before the date), the most recent window_games
            of them (all of them when window_games is none, a day window);
        actual_games_count = how many of those dates `history` holds for the
            entity.
    `entities`: a relation / CTE with analysis_date, season_year, the entity
    key column and the team column, one team per (analysis_date, entity key).
    `history`: a relation / CTE with the entity's key column and game_date,
    one row per upstream row (a player's DNP row counts as found, which makes
    the count DNP-aware). Callers left join the result and treat a missing
    row as 0 expected games. The expected games are ranked once per (date,
    team) and handed to each entity of that team: the cost of the date x team
    schedule, not of every entity's.
-#}
{% macro phase4_window_completeness(entities, entity_key, team_column, history, history_key,
                                    window_games, lookback_days, extra_lookback_column=none) -%}
    {#- the expected games depend on the date, the team (and the extra look-back) only: they
        are ranked once per such key, then given to each entity of the key, instead of ranked
        again for every entity (a date x team's games, not a date x player's) -#}
    {%- set key_columns = ['analysis_date', 'season_year', 'team_abbr']
        + (['extra_lookback_days'] if extra_lookback_column is not none else []) -%}
    {%- if extra_lookback_column is none -%}
        {%- set days_back = -lookback_days -%}
    {%- else -%}
        {%- set days_back = '-(' ~ lookback_days ~ ' + team_keys.extra_lookback_days)' -%}
    {%- endif %}
    select
        entities.analysis_date,
        entities.entity_key,
        count(*) as expected_games_count,
        count(found.game_date) as actual_games_count
    from (
        select distinct
            analysis_date,
            season_year,
            {{ team_column }} as team_abbr,
            {%- if extra_lookback_column is not none %}
            {{ extra_lookback_column }} as extra_lookback_days,
            {%- endif %}
            {{ entity_key }} as entity_key
        from {{ entities }}
    ) as entities
    inner join (
        select
            {%- for column in key_columns %}
            team_keys.{{ column }},
            {%- endfor %}
            team_games.game_date
            {%- if window_games is not none %},
            row_number() over (
                partition by team_keys.{{ key_columns | join(', team_keys.') }}
                order by team_games.game_date desc
            ) as game_rank
            {%- endif %}
        from (
            select distinct
                analysis_date,
                season_year,
                {%- if extra_lookback_column is not none %}
                {{ extra_lookback_column }} as extra_lookback_days,
                {%- endif %}
                {{ team_column }} as team_abbr
            from {{ entities }}
        ) as team_keys
        inner join {{ ref('int_phase4_team_schedule_games') }} as team_games
            on team_games.team_abbr = team_keys.team_abbr
            and team_games.season_year = team_keys.season_year
            and team_games.game_date < team_keys.analysis_date
            and team_games.game_date
                >= cast({{ dbt.dateadd('day', days_back, 'team_keys.analysis_date') }} as date)
    ) as expected
        on expected.analysis_date = entities.analysis_date
        {%- for column in key_columns[1:] %}
        and expected.{{ column }} = entities.{{ column }}
        {%- endfor %}
    left join (
        select distinct {{ history_key }} as entity_key, game_date from {{ history }}
    ) as found
        on found.entity_key = entities.entity_key
        and found.game_date = expected.game_date
    {%- if window_games is not none %}
    where expected.game_rank <= {{ window_games }}
    {%- endif %}
    group by 1, 2
{%- endmacro %}


{#-
    The generic columns of the completeness block, from the expected / actual
    counts (NULL counts = no expected games = 0) and the date's calendar
    columns (int_phase4_analysis_dates: analysis_date, days_into_season):
    expected_games_count, actual_games_count, completeness_percentage (100
    when nothing is expected, capped at 100), missing_games_count,
    is_production_ready (completeness ≥ var production_ready_pct),
    season_boundary_detected (month in Oct, Nov, Apr: domain.md §0) and
    backfill_bootstrap_mode (the completeness checker's bootstrap: fewer than
    30 days after opening night). `ready_and`: an optional boolean SQL that
    is_production_ready also requires (PCF: all upstreams ready). Each table adds early_season_flag,
    insufficient_data_reason, data_quality_issues and
    processing_decision_reason itself.
-#}
{% macro phase4_completeness_columns(expected, actual, analysis_date, days_into_season, ready_and=none) -%}
        cast(coalesce({{ expected }}, 0) as {{ dbt.type_int() }}) as expected_games_count,
        cast(coalesce({{ actual }}, 0) as {{ dbt.type_int() }}) as actual_games_count,
        cast({{ phase4_completeness_pct(expected, actual) }} as {{ type_float64() }})
            as completeness_percentage,
        cast(case when coalesce({{ expected }}, 0) > coalesce({{ actual }}, 0)
            then coalesce({{ expected }}, 0) - coalesce({{ actual }}, 0) else 0 end
            as {{ dbt.type_int() }}) as missing_games_count,
        {{ phase4_completeness_pct(expected, actual) }} >= {{ var('production_ready_pct', 70) }}
            {%- if ready_and %} and ({{ ready_and }}){% endif %} as is_production_ready,
        extract(month from {{ analysis_date }}) in (10, 11, 4) as season_boundary_detected,
        {{ days_into_season }} < 30 as backfill_bootstrap_mode
{%- endmacro %}


{% macro phase4_completeness_pct(expected, actual) -%}
    case when coalesce({{ expected }}, 0) = 0 then 100.0
        else {{ capped_pct('100.0 * coalesce(' ~ actual ~ ', 0) / ' ~ expected) }} end
{%- endmacro %}
