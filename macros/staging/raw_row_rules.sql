{#-
    The row-validity rules of staging: the one definition of why a raw row is
    not used. Every base model classifies its rows with these (through
    classify_raw_rows), the quarantine and the raw-row accounting count them by
    reason, the data tests of later layers call the same rule macros on their
    own columns, and `nba-pipeline validate` / `status` report the reasons by
    these names.

    raw_row_reasons() lists every reason, in the order classify_raw_rows()
    tests them (the first that matches wins), with its disposition:
      - excluded:    a valid row of a game the pipeline does not process
                     (preseason, All-Star); kept in the base model, counted in
                     the accounting, never staged, never quarantined;
      - quarantined: a row that cannot be true or cannot be used; kept in
                     nba_orchestration.raw_quarantine with its reason.
    A row without a reason is staged (the kept row of its natural key) or
    superseded (an older or lower-status version of it).
-#}
{% macro raw_row_reasons() -%}
    {{ return([
        {'reason': 'preseason_game', 'disposition': 'excluded',
         'description': 'a row of a preseason game (schedule season type pre_season, NBA game id 001...): valid, not processed'},
        {'reason': 'all_star_game', 'disposition': 'excluded',
         'description': 'a row of the All-Star game (season type all_star, NBA game id 003...): valid, not processed'},
        {'reason': 'null_key', 'disposition': 'quarantined',
         'description': 'a natural-key column is NULL or blank'},
        {'reason': 'unresolvable_player', 'disposition': 'quarantined',
         'description': 'the player name and lookup both normalise to nothing'},
        {'reason': 'unknown_team', 'disposition': 'quarantined',
         'description': 'a team code that is neither an NBA tricode nor a known variant'},
        {'reason': 'malformed_minutes', 'disposition': 'quarantined',
         'description': 'minutes text that does not parse (4O:12, 61:75)'},
        {'reason': 'minutes_above_game_length', 'disposition': 'quarantined',
         'description': "a player's minutes exceed the game's length (48 + 5 per overtime)"},
        {'reason': 'negative_stat', 'disposition': 'quarantined',
         'description': 'a counting stat below zero'},
        {'reason': 'made_above_attempted', 'disposition': 'quarantined',
         'description': 'field goals, threes or free throws made above attempted'},
        {'reason': 'points_mismatch', 'disposition': 'quarantined',
         'description': 'points differ from 2 x FGM + 3PM + FTM'},
        {'reason': 'nonpositive_line', 'disposition': 'quarantined',
         'description': 'a props points line of zero or below'},
        {'reason': 'future_date', 'disposition': 'quarantined',
         'description': 'a played game, box score or report dated after today'},
        {'reason': 'date_outside_season', 'disposition': 'quarantined',
         'description': 'the date lies outside the season the row names'},
        {'reason': 'game_not_on_schedule', 'disposition': 'quarantined',
         'description': 'the game (date, away, home) is not on the schedule'},
        {'reason': 'player_on_two_teams', 'disposition': 'quarantined',
         'description': 'one player in two games on the same day (every such row)'},
        {'reason': 'duplicate_row', 'disposition': 'quarantined',
         'description': 'an exact re-load of the kept row (same natural key and processed_at)'},
    ]) }}
{%- endmacro %}


{#- The names of the reasons with a given disposition, in checking order. -#}
{% macro raw_row_reason_names(disposition) -%}
    {%- set names = [] -%}
    {%- for r in nba_pipeline.raw_row_reasons() if r.disposition == disposition -%}
        {%- do names.append(r.reason) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}


{#- The quarantine reasons, in the order classify_raw_rows() tests them. -#}
{% macro quarantine_reasons() -%}
    {{ return(nba_pipeline.raw_row_reason_names('quarantined')) }}
{%- endmacro %}


{#- The exclusion reasons (valid rows of games the pipeline does not process). -#}
{% macro exclusion_reasons() -%}
    {{ return(nba_pipeline.raw_row_reason_names('excluded')) }}
{%- endmacro %}


{#-
    Rule conditions. Each returns a boolean SQL expression, true when the row
    breaks the rule (NULL inputs never break it). Staging uses them on the raw
    columns; tests of later layers on theirs.
-#}

{#- negative_stat: any of the counting columns below zero. -#}
{% macro rule_negative_stat(columns) -%}
    ({% for column in columns -%}
        coalesce({{ column }} < 0, false){{ ' or ' if not loop.last }}
    {%- endfor %})
{%- endmacro %}


{#- made_above_attempted: pairs = [[made, attempted], ...]. -#}
{% macro rule_made_above_attempted(pairs) -%}
    ({% for pair in pairs -%}
        coalesce({{ pair[0] }} > {{ pair[1] }}, false){{ ' or ' if not loop.last }}
    {%- endfor %})
{%- endmacro %}


{#- points_mismatch: points <> 2·FGM + 3PM + FTM, where all four are present. -#}
{% macro rule_points_mismatch(points, fg_made, three_made, ft_made) -%}
    coalesce({{ points }} <> 2 * {{ fg_made }} + {{ three_made }} + {{ ft_made }}, false)
{%- endmacro %}


{#- nonpositive_line: a points line of zero or below. -#}
{% macro rule_nonpositive_line(line) -%}
    coalesce({{ line }} <= 0, false)
{%- endmacro %}


{#- future_date: a date after today (the warehouse's current date). -#}
{% macro rule_future_date(date_expr) -%}
    coalesce({{ date_expr }} > {{ nba_pipeline.warehouse_today() }}, false)
{%- endmacro %}


{#-
    date_outside_season: the date is not within the season the row names.
    Season S runs from September 1 of S to October 31 of S + 1: wide enough
    for a preseason in early October, a season that starts in December
    (2020-21) and Finals that end in October (2019-20); an offseason date of
    the wrong year is outside.
-#}
{% macro rule_date_outside_season(date_expr, season_year) -%}
    coalesce(
        {{ date_expr }} < cast(cast({{ season_year }} as {{ dbt.type_string() }}) || '-09-01' as date)
        or {{ date_expr }} > cast(cast({{ season_year }} + 1 as {{ dbt.type_string() }}) || '-10-31' as date),
        false
    )
{%- endmacro %}


{#- minutes_above_game_length: minutes above the game's length in minutes. -#}
{% macro rule_minutes_above_game_length(minutes, game_minutes) -%}
    coalesce({{ minutes }} > {{ game_minutes }}, false)
{%- endmacro %}


{#-
    The length of a game in minutes when no team box score gives it: the
    longest game the NBA has played (6 overtimes). A player above it is
    impossible whatever the game.
-#}
{% macro max_game_minutes() -%}
    {{ return(48 + 5 * 6) }}
{%- endmacro %}


{#- Today's date in the warehouse (DuckDB current_date, BigQuery current_date()). -#}
{% macro warehouse_today() -%}
    {{ return(adapter.dispatch('warehouse_today', 'nba_pipeline')()) }}
{%- endmacro %}

{% macro default__warehouse_today() -%}
    current_date
{%- endmacro %}

{% macro bigquery__warehouse_today() -%}
    current_date()
{%- endmacro %}


{#-
    A team code as a join key: the NBA tricode when it maps to one, else the
    code itself upper-cased (the All-Star game's non-franchise teams keep
    their own codes), NULL when blank.
-#}
{% macro team_code_key(expr) -%}
    coalesce({{ nba_pipeline.to_tricode(expr) }}, nullif(upper(trim({{ expr }})), ''))
{%- endmacro %}


{#- The schedule's key of a game: 'YYYY-MM-DD|AWAY|HOME' with team_code_key codes. -#}
{% macro game_key(date_expr, away_expr, home_expr) -%}
    (
        cast(cast({{ date_expr }} as date) as {{ dbt.type_string() }})
        || '|' || {{ nba_pipeline.team_code_key(away_expr) }}
        || '|' || {{ nba_pipeline.team_code_key(home_expr) }}
    )
{%- endmacro %}


{#-
    The game_key of a raw row that names its game by a standard game id
    (YYYYMMDD_AWAY_HOME) and, maybe, by home / away team columns: the columns
    when present, else the id's tokens.
-#}
{% macro row_game_key(date_expr, game_id_expr, away_expr=none, home_expr=none) -%}
    {%- set away_token = dbt.split_part(nba_pipeline.clean_text(game_id_expr), "'_'", 2) -%}
    {%- set home_token = dbt.split_part(nba_pipeline.clean_text(game_id_expr), "'_'", 3) -%}
    {{ nba_pipeline.game_key(
        date_expr,
        ("coalesce(nullif(trim(" ~ away_expr ~ "), ''), " ~ away_token ~ ")") if away_expr else away_token,
        ("coalesce(nullif(trim(" ~ home_expr ~ "), ''), " ~ home_token ~ ")") if home_expr else home_token,
    ) }}
{%- endmacro %}


{#- The schedule's key of one team's game on a date: 'YYYY-MM-DD|TEAM'. -#}
{% macro team_day_key(date_expr, team_expr) -%}
    (
        cast(cast({{ date_expr }} as date) as {{ dbt.type_string() }})
        || '|' || {{ nba_pipeline.team_code_key(team_expr) }}
    )
{%- endmacro %}


{#-
    The exclusion of a row from its game's season type ('pre_season' or
    'all_star' on the schedule): the reason, or NULL for a processed game.
-#}
{% macro excluded_season_type(season_type) -%}
    case {{ season_type }}
        when 'pre_season' then 'preseason_game'
        when 'all_star' then 'all_star_game'
    end
{%- endmacro %}
