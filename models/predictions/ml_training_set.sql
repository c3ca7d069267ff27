{{ config(materialized='view', tags=['features']) }}

{#-
    ml_training_set: the feature store, wide, for people who train models.
    One row per player-date of ml_feature_store_v2 that holds real features
    (placeholder rows of bootstrap days are left out), one named column per
    feature (NaN in the array → NULL here), the label and the prop result.
    The label is the actual points of D from player_game_summary: it is the
    target, not a feature, so it may (and must) read D. NULL when the player
    did not play on D (DNP, inactive or no row).
-#}

{%- set features = feature_store_features() -%}

with

ml_feature_store_v2 as (

    select *
    from {{ ref('ml_feature_store_v2') }}
    where not backfill_bootstrap_mode

),

player_game_summary as (

    select
        game_date,
        player_lookup,
        points,
        minutes_played,
        is_dnp
    from {{ ref('player_game_summary') }}

),

labelled as (

    select
        ml_feature_store_v2.*,
        case when {{ is_played_game('player_game_summary') }}
                then player_game_summary.points
        end as actual_points,
        case when {{ is_played_game('player_game_summary') }}
                then player_game_summary.minutes_played
        end as actual_minutes
    from ml_feature_store_v2
    left join player_game_summary
        on player_game_summary.game_date = ml_feature_store_v2.game_date
        and player_game_summary.player_lookup = ml_feature_store_v2.player_lookup

),

final as (

    select
        player_lookup,
        game_date,
        season_year,
        team_abbr,
        opponent_team_abbr,
        is_home,
        days_rest,
        {%- for f in features %}
            case when {{ is_nan(array_at('features', f.index)) }} then null
                else {{ array_at('features', f.index) }}
            end as {{ f.name }},
        {%- endfor %}
        cast(actual_points as {{ type_float64() }}) as actual_points,
        cast(actual_minutes as {{ type_float64() }}) as actual_minutes,
        case when {{ is_nan(array_at('features', 25)) }} then null
            else {{ array_at('features', 25) }}
        end as prop_line,
        case
            when actual_points is null or {{ is_nan(array_at('features', 25)) }} then null
            when actual_points > {{ array_at('features', 25) }} then 'OVER'
            when actual_points < {{ array_at('features', 25) }} then 'UNDER'
            else 'PUSH'
        end as prop_result,
        feature_quality_score,
        quality_tier,
        is_quality_ready,
        is_training_ready,
        default_feature_count,
        required_default_count,
        data_source,
        {{ struct_field('historical_completeness', 'is_complete') }} as history_is_complete,
        {{ struct_field('historical_completeness', 'is_bootstrap') }} as history_is_bootstrap,
        feature_version
    from labelled

)

select * from final
