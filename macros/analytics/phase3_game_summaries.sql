{#-
    Helpers shared by the Phase 3 game summaries (player_game_summary,
    team_offense_game_summary, team_defense_game_summary and their
    intermediate models), one place for each rule.
-#}

{#-
    Counts of int_shot_events rows by shot zone, one column per
    (alias, zone, made_only) triple: sum of the rows whose shot_zone is the
    zone (and, with made_only, whose shot was made). as_bigint casts each
    count (the team tables store BIGINT).
-#}
{% macro shot_zone_counts(counts, as_bigint=false) -%}
    {%- for alias, zone, made_only in counts %}
        {%- set count_expr -%}
            sum(case when shot_zone = '{{ zone }}'{{ ' and shot_made' if made_only else '' }} then 1 else 0 end)
        {%- endset %}
        {% if as_bigint -%}
            cast({{ count_expr }} as {{ dbt.type_bigint() }})
        {%- else -%}
            {{ count_expr }}
        {%- endif %} as {{ alias }}{{ ',' if not loop.last else '' }}
    {%- endfor %}
{%- endmacro %}


{#-
    quality_tier of a 0-100 quality score (domain.md §0): gold ≥ 95,
    silver ≥ 75, bronze ≥ 50, poor ≥ 25, else unusable.
-#}
{% macro quality_tier(score) -%}
    case
        when {{ score }} >= 95 then 'gold'
        when {{ score }} >= 75 then 'silver'
        when {{ score }} >= 50 then 'bronze'
        when {{ score }} >= 25 then 'poor'
        else 'unusable'
    end
{%- endmacro %}


{#-
    Rows per game of a same-day source (its game_id), with the latest
    processed_at; with fg_attempts, also its field-goal-attempt events.
-#}
{% macro rows_per_game(relation, fg_attempts=false) -%}
    select
        game_id,
        count(*) as rows_found,
        {%- if fg_attempts %}
        sum(case when is_field_goal_attempt then 1 else 0 end) as fg_attempts_found,
        {%- endif %}
        max(processed_at) as last_updated
    from {{ relation }}
    group by 1
{%- endmacro %}


{#-
    The team tables' legacy data_quality_tier (domain.md §2.1): 'high' for the
    team box score with shot zones, 'medium' for the box score alone, else
    'low'. source / has_shot_zones: SQL for the row's primary source and its
    zones flag (for team_defense_game_summary, the opponent's).
-#}
{% macro team_data_quality_tier(source, has_shot_zones) -%}
    case
        when {{ source }} = 'nbac_team_boxscore' and {{ has_shot_zones }} then 'high'
        when {{ source }} = 'nbac_team_boxscore' then 'medium'
        else 'low'
    end
{%- endmacro %}


{#-
    The team tables' source issues, each ending in a comma (the caller
    concatenates the rest and trims the last comma): 'no_source_rows,' for a
    placeholder row (source 'none'), 'boxscore_missing_or_incomplete,' for a
    row rebuilt from the players.
-#}
{% macro team_source_issues(source) -%}
    case when {{ source }} = 'none' then 'no_source_rows,' else '' end
            || case
                when {{ source }} like 'reconstructed%' then 'boxscore_missing_or_incomplete,'
                else ''
            end
{%- endmacro %}
