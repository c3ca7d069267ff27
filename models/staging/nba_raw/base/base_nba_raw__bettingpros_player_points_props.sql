{#-
    Every raw BettingPros prop (every market: the 'points' filter belongs to the
    consumers), cleaned and classified. Kept row per (game_date, player_lookup,
    bookmaker, bet_side, market_type): latest processed_at. market_type and
    bet_side are lower-cased; bookmaker keeps its mixed case.
    Rows of a team's preseason or All-Star game are excluded; a line of zero
    or below, or of a team without a game on the schedule that date, is
    quarantined (macros/staging/raw_row_rules.sql).
-#}
{%- set string = dbt.type_string() -%}
{%- set int64 = dbt.type_bigint() -%}
{%- set float64 = type_float64() -%}
{%- set bool = dbt.type_boolean() -%}
{%- set ts = dbt.type_timestamp() -%}

with

source as (

    select * from {{ source('nba_raw', 'bettingpros_player_points_props') }}

),

renamed as (

    select
        -- ids
        coalesce(
            {{ normalize_player_lookup('player_lookup') }},
            {{ normalize_player_lookup('player_name') }}
        ) as player_lookup,
        {{ clean_text('bookmaker') }} as bookmaker,
        lower({{ clean_text('bet_side') }}) as bet_side,
        lower({{ clean_text('market_type') }}) as market_type,
        cast(bp_event_id as {{ int64 }}) as bp_event_id,
        {{ clean_text('offer_id') }} as offer_id,

        -- player
        {{ clean_text('player_name') }} as player_name,
        {{ to_tricode('player_team') }} as player_team_abbr,
        {{ team_day_key('game_date', 'player_team') }} as team_day_key,

        -- line
        cast(points_line as {{ float64 }}) as points_line,
        cast(odds_american as {{ int64 }}) as odds_american,
        cast(opening_line as {{ float64 }}) as opening_line,
        cast(opening_odds as {{ int64 }}) as opening_odds,
        cast(is_active as {{ bool }}) as is_active,
        cast(is_best_line as {{ bool }}) as is_best_line,

        -- dates and times
        cast(game_date as date) as game_date,
        cast(opening_timestamp as {{ ts }}) as opening_timestamp,
        cast(bookmaker_last_update as {{ ts }}) as bookmaker_last_update,

        -- lineage
        source_file_path,
        data_hash,
        cast(processed_at as {{ ts }}) as processed_at,

        -- checks
        {{ has_unknown_team(['player_team']) }} as has_unknown_team,
        source as raw_record

    from source

),

matched as (

    {{ schedule_match('renamed', by='team_day') }}

),

final as (

    {{ classify_raw_rows(
        relation='matched',
        natural_key=['game_date', 'player_lookup', 'bookmaker', 'bet_side', 'market_type'],
        date_column='game_date',
        player_columns=['player_lookup'],
        excluded=excluded_season_type('scheduled_season_type'),
        checks={
            'unknown_team': 'has_unknown_team',
            'nonpositive_line': rule_nonpositive_line('points_line'),
            'game_not_on_schedule': 'player_team_abbr is not null and not is_on_schedule',
        },
    ) }}

)

select * from final
