{#-
    Every raw Ball Don't Lie box-score row (played players only), cleaned and
    classified. Kept row per (game_id, player_lookup): latest processed_at.
    Column names follow the gamebook (rebounds → total_rebounds, *_pct →
    *_percentage, player_full_name → player_name). Rows of preseason and
    All-Star games are excluded; impossible rows are quarantined with the
    gamebook's rules (macros/staging/raw_row_rules.sql).
-#}
{%- set string = dbt.type_string() -%}
{%- set int64 = dbt.type_bigint() -%}
{%- set float64 = type_float64() -%}
{%- set bool = dbt.type_boolean() -%}
{%- set ts = dbt.type_timestamp() -%}
{%- set box_stats = [
    'points', 'field_goals_made', 'field_goals_attempted',
    'three_pointers_made', 'three_pointers_attempted',
    'free_throws_made', 'free_throws_attempted',
    'offensive_rebounds', 'defensive_rebounds',
    'assists', 'steals', 'blocks', 'turnovers', 'personal_fouls',
] -%}

with

source as (

    select * from {{ source('nba_raw', 'bdl_player_boxscores') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('game_id') }} as game_id,
        {{ row_game_key('game_date', 'game_id', 'away_team_abbr', 'home_team_abbr') }} as game_key,
        coalesce(
            {{ normalize_player_lookup('player_lookup') }},
            {{ normalize_player_lookup('player_full_name') }}
        ) as player_lookup,
        cast(bdl_player_id as {{ int64 }}) as bdl_player_id,

        -- player
        {{ clean_text('player_full_name') }} as player_name,
        {{ clean_text('jersey_number') }} as jersey_number,
        {{ clean_text('position') }} as position,

        -- game
        {{ clean_text('game_status') }} as game_status,
        cast(period as {{ int64 }}) as period,
        cast(is_postseason as {{ bool }}) as is_postseason,
        {{ to_tricode('team_abbr') }} as team_abbr,
        {{ to_tricode('home_team_abbr') }} as home_team_abbr,
        {{ to_tricode('away_team_abbr') }} as away_team_abbr,
        cast(home_team_score as {{ int64 }}) as home_team_score,
        cast(away_team_score as {{ int64 }}) as away_team_score,

        -- box score
        {{ parse_minutes('minutes') }} as minutes_played,
        {%- for stat in box_stats %}
        cast({{ stat }} as {{ int64 }}) as {{ stat }},
        {%- endfor %}
        cast(rebounds as {{ int64 }}) as total_rebounds,
        cast(field_goal_pct as {{ float64 }}) as field_goal_percentage,
        cast(three_point_pct as {{ float64 }}) as three_point_percentage,
        cast(free_throw_pct as {{ float64 }}) as free_throw_percentage,

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
            'negative_stat': rule_negative_stat(box_stats + ['total_rebounds']),
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
