{#-
    The steps every base model (models/staging/nba_raw/base) repeats, in one
    place: the engine's column types, the lineage and season/date columns of
    the `renamed` CTE, and its last CTEs (schedule match and classification).
-#}


{#-
    The engine's types of the staged columns, as a dict to `set` once per
    model: string, int64, float64, bool, ts.
-#}
{% macro raw_column_types() -%}
    {{ return({
        'string': dbt.type_string(),
        'int64': dbt.type_bigint(),
        'float64': nba_pipeline.type_float64(),
        'bool': dbt.type_boolean(),
        'ts': dbt.type_timestamp(),
    }) }}
{%- endmacro %}


{#-
    The last columns of a base model's `renamed` CTE: the lineage
    (source_file_path, data_hash, processed_at), has_unknown_team over
    `team_columns` (has_unknown_team, raw_row_rules.sql), the model's other
    check columns (`checks`: {column: boolean SQL}, in order) and raw_record
    (the source row as a struct, for classify_raw_rows' raw_row).
-#}
{% macro raw_lineage_and_check_columns(team_columns, checks={}) -%}
    source_file_path,
        data_hash,
        cast(processed_at as {{ dbt.type_timestamp() }}) as processed_at,
        {{ nba_pipeline.has_unknown_team(team_columns) }} as has_unknown_team,
        {%- for column, sql in checks.items() %}
        {{ sql }} as {{ column }},
        {%- endfor %}
        source as raw_record
{%- endmacro %}


{#-
    The row's player_lookup: its own, normalised, else the normalised
    `name_expr` (a name column, or SQL such as first_last_name(...)).
-#}
{% macro raw_player_lookup(name_expr) -%}
    coalesce(
            {{ nba_pipeline.normalize_player_lookup('player_lookup') }},
            {{ nba_pipeline.normalize_player_lookup(name_expr) }}
        )
{%- endmacro %}


{#- Each column of `columns` cast to `type` under its own name, comma-separated. -#}
{% macro cast_columns(columns, type) -%}
    {%- for column in columns -%}
        cast({{ column }} as {{ type }}) as {{ column }}{{ ',\n        ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}


{#-
    season_year (the row's own, else the season of its date, domain.md §0)
    and the date column cast to a date, under the date column's name.
-#}
{% macro raw_season_and_date_columns(date_column) -%}
    cast(coalesce(season_year, {{ nba_pipeline.season_year_from_date(date_column) }}) as {{ dbt.type_bigint() }})
            as season_year,
        cast({{ date_column }} as date) as {{ date_column }}
{%- endmacro %}


{#-
    The last CTEs of a base model, after its `renamed` CTE (which must hold
    has_unknown_team): with `schedule` (the keyword arguments of
    schedule_match, {} for the defaults) `matched` (the rows with their game
    on the schedule) and `final`, else `final` only; the model ends with
    `select * from final`.

    final is classify_raw_rows over the rows with the checks every base model
    shares added to `checks` (a check of the same reason in `checks` wins):
      unknown_team          has_unknown_team (every base model)
      future_date           rule_future_date(date_column), if in date_rules
      date_outside_season   rule_date_outside_season(date_column, season_year),
                            if in date_rules
      game_not_on_schedule  `not is_on_schedule` (with schedule)
    and, with schedule, the exclusion of preseason and All-Star rows
    (excluded_season_type of the scheduled season type) unless `excluded`
    is given. The other arguments are classify_raw_rows'.
-#}
{% macro classify_base_rows(
    natural_key,
    date_column='game_date',
    player_columns=[],
    checks={},
    date_rules=['future_date', 'date_outside_season'],
    schedule=none,
    excluded=none,
    one_game_per_day=none,
    order_by=['processed_at desc']
) -%}
    {%- set all_checks = {'unknown_team': 'has_unknown_team'} -%}
    {%- if 'future_date' in date_rules -%}
        {%- do all_checks.update({'future_date': nba_pipeline.rule_future_date(date_column)}) -%}
    {%- endif -%}
    {%- if 'date_outside_season' in date_rules -%}
        {%- do all_checks.update({
            'date_outside_season': nba_pipeline.rule_date_outside_season(date_column, 'season_year'),
        }) -%}
    {%- endif -%}
    {%- if schedule is not none -%}
        {%- do all_checks.update({'game_not_on_schedule': 'not is_on_schedule'}) -%}
    {%- endif -%}
    {%- do all_checks.update(checks) -%}
    {%- if schedule is not none %}
matched as (

    {{ nba_pipeline.schedule_match('renamed', **schedule) }}

),
    {%- endif %}

final as (

    {{ nba_pipeline.classify_raw_rows(
        relation='renamed' if schedule is none else 'matched',
        natural_key=natural_key,
        date_column=date_column,
        player_columns=player_columns,
        checks=all_checks,
        excluded=excluded if excluded is not none or schedule is none
                 else nba_pipeline.excluded_season_type('scheduled_season_type'),
        one_game_per_day=one_game_per_day,
        order_by=order_by,
    ) }}

)
{%- endmacro %}


{#-
    The row checks of a box score (raw_row_rules.sql), for classify_base_rows'
    `checks`: malformed_minutes (the model's has_malformed_minutes),
    negative_stat over `stats`, made_above_attempted over the three
    [made, attempted] pairs of `shots` (field goals, threes, free throws),
    points_mismatch of `points` against them, and with `minutes_played`
    minutes_above_game_length against the matched game_minutes.
-#}
{% macro box_score_checks(stats, shots, points='points', minutes_played=none) -%}
    {%- set checks = {
        'malformed_minutes': 'has_malformed_minutes',
        'negative_stat': nba_pipeline.rule_negative_stat(stats),
        'made_above_attempted': nba_pipeline.rule_made_above_attempted(shots),
        'points_mismatch': nba_pipeline.rule_points_mismatch(
            points, shots[0][0], shots[1][0], shots[2][0]),
    } -%}
    {%- if minutes_played is not none -%}
        {%- do checks.update({
            'minutes_above_game_length':
                nba_pipeline.rule_minutes_above_game_length(minutes_played, 'game_minutes'),
        }) -%}
    {%- endif -%}
    {{ return(checks) }}
{%- endmacro %}


{#-
    classify_base_rows of a player box score (the gamebook and Ball Don't
    Lie, one set of rules): one row per (game_id, player_lookup), the player
    must resolve, the game must be on the schedule, box_score_checks over
    `stats` with the field_goals / three_pointers / free_throws made and
    attempted and minutes_played bounded by the game's length, and a player
    in two games on one day is player_on_two_teams.
-#}
{% macro classify_player_box_score_rows(stats) -%}
    {{ nba_pipeline.classify_base_rows(
        natural_key=['game_id', 'player_lookup'],
        player_columns=['player_lookup'],
        schedule={'with_game_length': true},
        checks=nba_pipeline.box_score_checks(
            stats,
            [
                ['field_goals_made', 'field_goals_attempted'],
                ['three_pointers_made', 'three_pointers_attempted'],
                ['free_throws_made', 'free_throws_attempted'],
            ],
            minutes_played='minutes_played',
        ),
        one_game_per_day={'player': 'player_lookup', 'game': 'game_id'},
    ) }}
{%- endmacro %}
