{#-
    The rows of a base model's `relation` CTE with their game on the schedule
    (base_nba_raw__nbac_schedule_games), for the rules game_not_on_schedule
    and minutes_above_game_length and for the exclusion of preseason and
    All-Star rows. Returns a complete select to wrap in a CTE; adds:

      is_on_schedule         the row's game is on the schedule
      scheduled_season_type  its season type there (pre_season, regular_season,
                             all_star, playoffs, play_in), NULL when not on it
      game_minutes           (with_game_length) the game's length from its team
                             box score, else max_game_minutes()

    The join is on the game's date as well as its key (date_column of
    relation), so that a date filter on the calling view reaches the lookups.

    by='game'      relation has `game_key` (macro game_key: date|away|home)
    by='team_day'  relation has `team_day_key` (macro team_day_key: date|team),
                   for rows that name a team but no game (BettingPros props)
-#}
{% macro schedule_match(relation, by='game', with_game_length=false, date_column='game_date') -%}
    {%- if by not in ['game', 'team_day'] -%}
        {{ exceptions.raise_compiler_error("schedule_match: by must be 'game' or 'team_day', got " ~ by) }}
    {%- endif -%}
    {%- set games = ref('base_nba_raw__nbac_schedule_games') -%}

    select
        {{ relation }}.*,
        scheduled.season_type is not null as is_on_schedule,
        scheduled.season_type as scheduled_season_type
        {%- if with_game_length %},
        coalesce(game_lengths.game_minutes, {{ nba_pipeline.max_game_minutes() }}) as game_minutes
        {%- endif %}
    from {{ relation }}
    {%- if by == 'game' %}
    left join {{ games }} as scheduled
        on {{ relation }}.{{ date_column }} = scheduled.game_date
        and {{ relation }}.game_key = scheduled.game_key
    {%- else %}
    left join (
        select game_date, team_day_key, max(season_type) as season_type
        from (
            select
                game_date,
                {{ nba_pipeline.team_day_key('game_date', 'home_team_code') }} as team_day_key,
                season_type
            from {{ games }}
            union all
            select
                game_date,
                {{ nba_pipeline.team_day_key('game_date', 'away_team_code') }} as team_day_key,
                season_type
            from {{ games }}
        ) as team_days
        group by game_date, team_day_key
    ) as scheduled
        on {{ relation }}.{{ date_column }} = scheduled.game_date
        and {{ relation }}.team_day_key = scheduled.team_day_key
    {%- endif %}
    {%- if with_game_length %}
    left join {{ ref('base_nba_raw__nbac_team_boxscore_game_lengths') }} as game_lengths
        on {{ relation }}.{{ date_column }} = game_lengths.game_date
        and {{ relation }}.game_key = game_lengths.game_key
    {%- endif %}
{%- endmacro %}
