{#-
    Every raw BettingPros prop (every market: the 'points' filter belongs to the
    consumers), cleaned and classified. Kept row per (game_date, player_lookup,
    bookmaker, bet_side, market_type): latest processed_at. market_type and
    bet_side are lower-cased; bookmaker keeps its mixed case.
    Rows of a team's preseason or All-Star game are excluded; a line of zero
    or below, or of a team without a game on the schedule that date, is
    quarantined (macros/staging/raw_row_rules.sql).
-#}
{{ config(**staging_incremental_config('game_date')) }}
{%- set types = raw_column_types() -%}

with

source as (

    select * from {{ source('nba_raw', 'bettingpros_player_points_props') }}
    where {{ in_staging_window('game_date') }}

),

renamed as (

    select
        -- ids
        {{ raw_player_lookup('player_name') }} as player_lookup,
        {{ clean_text('bookmaker') }} as bookmaker,
        lower({{ clean_text('bet_side') }}) as bet_side,
        lower({{ clean_text('market_type') }}) as market_type,
        cast(bp_event_id as {{ types.int64 }}) as bp_event_id,
        {{ clean_text('offer_id') }} as offer_id,

        -- player
        {{ clean_text('player_name') }} as player_name,
        {{ to_tricode('player_team') }} as player_team_abbr,
        {{ team_day_key('game_date', 'player_team') }} as team_day_key,

        -- line
        cast(points_line as {{ types.float64 }}) as points_line,
        cast(odds_american as {{ types.int64 }}) as odds_american,
        cast(opening_line as {{ types.float64 }}) as opening_line,
        cast(opening_odds as {{ types.int64 }}) as opening_odds,
        cast(is_active as {{ types.bool }}) as is_active,
        cast(is_best_line as {{ types.bool }}) as is_best_line,

        -- dates and times
        cast(game_date as date) as game_date,
        cast(opening_timestamp as {{ types.ts }}) as opening_timestamp,
        cast(bookmaker_last_update as {{ types.ts }}) as bookmaker_last_update,

        -- lineage and checks
        {{ raw_lineage_and_check_columns(['player_team']) }}

    from source

),

{{ classify_base_rows(
    natural_key=['game_date', 'player_lookup', 'bookmaker', 'bet_side', 'market_type'],
    player_columns=['player_lookup'],
    date_rules=[],
    schedule={'by': 'team_day'},
    checks={
        'nonpositive_line': rule_nonpositive_line('points_line'),
        'game_not_on_schedule': 'player_team_abbr is not null and not is_on_schedule',
    },
) }}

select * from final
