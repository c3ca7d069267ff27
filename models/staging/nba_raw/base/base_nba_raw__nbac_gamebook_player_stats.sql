{#-
    Every raw gamebook row (active, DNP and inactive players), cleaned and
    classified. Kept row per (game_id, player_lookup): latest processed_at.
    team_abbr may stay NULL on DNP / inactive rows; missing minutes are NULL
    (the null-rate gates of player_game_summary judge them), minutes that do
    not parse are quarantined. Rows of preseason and All-Star games are
    excluded; impossible rows (negative counts, made above attempted, points
    unequal to the shots, minutes above the game's length, a future date, a
    game not on the schedule, one player in two games on a day, ...) are
    quarantined (macros/staging/raw_row_rules.sql).
-#}
{%- set string = dbt.type_string() -%}
{%- set int64 = dbt.type_bigint() -%}
{%- set float64 = type_float64() -%}
{%- set ts = dbt.type_timestamp() -%}
{%- set box_stats = [
    'points', 'field_goals_made', 'field_goals_attempted',
    'three_pointers_made', 'three_pointers_attempted',
    'free_throws_made', 'free_throws_attempted',
    'offensive_rebounds', 'defensive_rebounds', 'total_rebounds',
    'assists', 'steals', 'blocks', 'turnovers', 'personal_fouls', 'plus_minus',
] -%}

with

source as (

    select * from {{ source('nba_raw', 'nbac_gamebook_player_stats') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('game_id') }} as game_id,
        {{ row_game_key('game_date', 'game_id', 'away_team_abbr', 'home_team_abbr') }} as game_key,
        {{ clean_text('game_code') }} as game_code,
        coalesce(
            {{ normalize_player_lookup('player_lookup') }},
            {{ normalize_player_lookup('player_name') }}
        ) as player_lookup,

        -- player
        {{ clean_text('player_name') }} as player_name,
        {{ clean_text('player_name_original') }} as player_name_original,
        lower({{ clean_text('name_resolution_status') }}) as name_resolution_status,

        -- teams (home / away fall back to the tokens of the standard game id)
        {{ to_tricode('team_abbr') }} as team_abbr,
        coalesce(
            {{ to_tricode('home_team_abbr') }},
            {{ to_tricode(dbt.split_part(clean_text('game_id'), "'_'", 3)) }}
        ) as home_team_abbr,
        coalesce(
            {{ to_tricode('away_team_abbr') }},
            {{ to_tricode(dbt.split_part(clean_text('game_id'), "'_'", 2)) }}
        ) as away_team_abbr,

        -- availability
        lower({{ clean_text('player_status') }}) as player_status,
        coalesce(lower({{ clean_text('player_status') }}) = 'active', false) as is_active,
        coalesce(lower({{ clean_text('player_status') }}) <> 'active', true)
            or coalesce({{ parse_minutes('minutes') }} = 0, false) as is_dnp,
        {{ clean_text('dnp_reason') }} as dnp_reason,
        {{ dnp_reason_category(
            'dnp_reason',
            "coalesce(lower(" ~ clean_text('player_status') ~ ") = 'active', false)",
        ) }} as dnp_reason_category,

        -- box score
        {{ parse_minutes('minutes') }} as minutes_played,
        {%- for stat in box_stats %}
        cast({{ stat }} as {{ int64 }}) as {{ stat }},
        {%- endfor %}
        cast(field_goal_percentage as {{ float64 }}) as field_goal_percentage,
        cast(three_point_percentage as {{ float64 }}) as three_point_percentage,
        cast(free_throw_percentage as {{ float64 }}) as free_throw_percentage,

        -- dates
        cast(coalesce(season_year, {{ season_year_from_date('game_date') }}) as {{ int64 }})
            as season_year,
        cast(game_date as date) as game_date,

        -- lineage
        source_file_path,
        data_hash,
        cast(processed_at as {{ ts }}) as processed_at,

        -- checks
        {{ has_unknown_team(['team_abbr', 'home_team_abbr', 'away_team_abbr']) }}
            as has_unknown_team,
        {{ is_malformed_minutes('minutes') }} as has_malformed_minutes,
        source as raw_record

    from source

),

matched as (

    {{ schedule_match('renamed', with_game_length=true) }}

),

final as (

    {{ classify_raw_rows(
        relation='matched',
        natural_key=['game_id', 'player_lookup'],
        date_column='game_date',
        player_columns=['player_lookup'],
        excluded=excluded_season_type('scheduled_season_type'),
        checks={
            'unknown_team': 'has_unknown_team',
            'malformed_minutes': 'has_malformed_minutes',
            'minutes_above_game_length': rule_minutes_above_game_length('minutes_played', 'game_minutes'),
            'negative_stat': rule_negative_stat(box_stats | reject('equalto', 'plus_minus') | list),
            'made_above_attempted': rule_made_above_attempted([
                ['field_goals_made', 'field_goals_attempted'],
                ['three_pointers_made', 'three_pointers_attempted'],
                ['free_throws_made', 'free_throws_attempted'],
            ]),
            'points_mismatch': rule_points_mismatch(
                'points', 'field_goals_made', 'three_pointers_made', 'free_throws_made'),
            'future_date': rule_future_date('game_date'),
            'date_outside_season': rule_date_outside_season('game_date', 'season_year'),
            'game_not_on_schedule': 'not is_on_schedule',
        },
        one_game_per_day={'player': 'player_lookup', 'game': 'game_id'},
    ) }}

)

select * from final
