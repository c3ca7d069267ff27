{#-
    Every raw team box-score row (two per game), cleaned and classified. Kept
    row per (game_id, team_abbr): latest processed_at. `minutes` is the team's
    total player-minutes ("240:00", "265:00" with one OT) and is required.
    Rows of preseason and All-Star games are excluded; impossible rows
    (negative counts, made above attempted, points unequal to the shots, a
    future date, a game not on the schedule, ...) are quarantined
    (macros/staging/raw_row_rules.sql).
-#}
{{ config(**staging_incremental_config('game_date')) }}
{%- set types = raw_column_types() -%}
{%- set counts = [
    'fg_made', 'fg_attempted', 'three_pt_made', 'three_pt_attempted',
    'ft_made', 'ft_attempted', 'offensive_rebounds', 'defensive_rebounds',
    'total_rebounds', 'assists', 'steals', 'blocks', 'turnovers',
    'personal_fouls', 'points', 'plus_minus',
] -%}

with

source as (

    select * from {{ source('nba_raw', 'nbac_team_boxscore') }}
    where {{ in_staging_window('game_date') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('game_id') }} as game_id,
        {{ row_game_key('game_date', 'game_id') }} as game_key,
        {{ clean_text('nba_game_id') }} as nba_game_id,
        {{ to_tricode('team_abbr') }} as team_abbr,
        cast(team_id as {{ types.int64 }}) as team_id,

        -- team
        {{ clean_text('team_name') }} as team_name,
        {{ clean_text('team_city') }} as team_city,
        cast(is_home as {{ types.bool }}) as is_home,

        -- box score
        cast(round({{ parse_minutes('minutes') }}) as {{ types.int64 }}) as total_player_minutes,
        {{ cast_columns(counts, types.int64) }},
        cast(fg_percentage as {{ types.float64 }}) as fg_percentage,
        cast(three_pt_percentage as {{ types.float64 }}) as three_pt_percentage,
        cast(ft_percentage as {{ types.float64 }}) as ft_percentage,

        -- dates
        {{ raw_season_and_date_columns('game_date') }},

        -- lineage and checks
        {{ raw_lineage_and_check_columns(
            ['team_abbr'],
            checks={
                'has_malformed_minutes':
                    '(' ~ is_malformed_minutes('minutes') ~ ' or ' ~ is_missing_minutes('minutes') ~ ')',
            },
        ) }}

    from source

),

{{ classify_base_rows(
    natural_key=['game_id', 'team_abbr'],
    schedule={},
    checks=box_score_checks(
        counts | reject('equalto', 'plus_minus') | list,
        [['fg_made', 'fg_attempted'], ['three_pt_made', 'three_pt_attempted'], ['ft_made', 'ft_attempted']],
    ),
) }}

select * from final
