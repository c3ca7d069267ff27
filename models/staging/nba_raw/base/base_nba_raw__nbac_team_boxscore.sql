{#-
    Every raw team box-score row (two per game), cleaned and classified. Kept
    row per (game_id, team_abbr): latest processed_at. `minutes` is the team's
    total player-minutes ("240:00", "265:00" with one OT) and is required.
    Rows of preseason and All-Star games are excluded; impossible rows
    (negative counts, made above attempted, points unequal to the shots, a
    future date, a game not on the schedule, ...) are quarantined
    (macros/staging/raw_row_rules.sql).
-#}
{%- set string = dbt.type_string() -%}
{%- set int64 = dbt.type_bigint() -%}
{%- set float64 = type_float64() -%}
{%- set bool = dbt.type_boolean() -%}
{%- set ts = dbt.type_timestamp() -%}
{%- set counts = [
    'fg_made', 'fg_attempted', 'three_pt_made', 'three_pt_attempted',
    'ft_made', 'ft_attempted', 'offensive_rebounds', 'defensive_rebounds',
    'total_rebounds', 'assists', 'steals', 'blocks', 'turnovers',
    'personal_fouls', 'points', 'plus_minus',
] -%}

with

source as (

    select * from {{ source('nba_raw', 'nbac_team_boxscore') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('game_id') }} as game_id,
        {{ row_game_key('game_date', 'game_id') }} as game_key,
        {{ clean_text('nba_game_id') }} as nba_game_id,
        {{ to_tricode('team_abbr') }} as team_abbr,
        cast(team_id as {{ int64 }}) as team_id,

        -- team
        {{ clean_text('team_name') }} as team_name,
        {{ clean_text('team_city') }} as team_city,
        cast(is_home as {{ bool }}) as is_home,

        -- box score
        cast(round({{ parse_minutes('minutes') }}) as {{ int64 }}) as total_player_minutes,
        {%- for stat in counts %}
        cast({{ stat }} as {{ int64 }}) as {{ stat }},
        {%- endfor %}
        cast(fg_percentage as {{ float64 }}) as fg_percentage,
        cast(three_pt_percentage as {{ float64 }}) as three_pt_percentage,
        cast(ft_percentage as {{ float64 }}) as ft_percentage,

        -- dates
        cast(coalesce(season_year, {{ season_year_from_date('game_date') }}) as {{ int64 }})
            as season_year,
        cast(game_date as date) as game_date,

        -- lineage
        source_file_path,
        data_hash,
        cast(processed_at as {{ ts }}) as processed_at,

        -- checks
        {{ has_unknown_team(['team_abbr']) }} as has_unknown_team,
        (
            {{ is_malformed_minutes('minutes') }}
            or {{ is_missing_minutes('minutes') }}
        ) as has_malformed_minutes,
        source as raw_record

    from source

),

matched as (

    {{ schedule_match('renamed') }}

),

final as (

    {{ classify_raw_rows(
        relation='matched',
        natural_key=['game_id', 'team_abbr'],
        date_column='game_date',
        excluded=excluded_season_type('scheduled_season_type'),
        checks={
            'unknown_team': 'has_unknown_team',
            'malformed_minutes': 'has_malformed_minutes',
            'negative_stat': rule_negative_stat(counts | reject('equalto', 'plus_minus') | list),
            'made_above_attempted': rule_made_above_attempted([
                ['fg_made', 'fg_attempted'],
                ['three_pt_made', 'three_pt_attempted'],
                ['ft_made', 'ft_attempted'],
            ]),
            'points_mismatch': rule_points_mismatch('points', 'fg_made', 'three_pt_made', 'ft_made'),
            'future_date': rule_future_date('game_date'),
            'date_outside_season': rule_date_outside_season('game_date', 'season_year'),
            'game_not_on_schedule': 'not is_on_schedule',
        },
    ) }}

)

select * from final
