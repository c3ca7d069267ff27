{#-
    historical_completeness follows domain.md §4.1 on every row:
    games_found = length of contributing_game_dates ≤ 10, games_expected ≤ 10,
    is_complete = (games_found ≥ games_expected), is_bootstrap =
    (games_expected < 10), every contributing date is before game_date and
    within the 60 days before it, and placeholder rows (bootstrap days) carry
    {0, 0, true, true, []}. Returns the offending rows with the reason.
-#}

with

ml_feature_store_v2 as (

    select
        game_date,
        player_lookup,
        backfill_bootstrap_mode,
        {{ struct_field('historical_completeness', 'games_found') }} as games_found,
        {{ struct_field('historical_completeness', 'games_expected') }} as games_expected,
        {{ struct_field('historical_completeness', 'is_complete') }} as is_complete,
        {{ struct_field('historical_completeness', 'is_bootstrap') }} as is_bootstrap,
        {{ struct_field('historical_completeness', 'contributing_game_dates') }}
            as contributing_game_dates
    from {{ audited(ref('ml_feature_store_v2')) }}
    where {{ in_run_window('game_date') }}

),

validation_errors as (

    select
        game_date,
        player_lookup,
        'counts and flags' as reason
    from ml_feature_store_v2
    where not coalesce(
            games_found = {{ array_size('contributing_game_dates') }}
            and games_found between 0 and 10
            and games_expected between 0 and 10
            and is_complete = (games_found >= games_expected)
            and is_bootstrap = (games_expected < 10),
            false
        )

    union all

    select
        game_date,
        player_lookup,
        'placeholder row without the bootstrap struct' as reason
    from ml_feature_store_v2
    where backfill_bootstrap_mode
        and not coalesce(
            games_found = 0 and games_expected = 0 and is_complete and is_bootstrap
            and {{ array_size('contributing_game_dates') }} = 0,
            false
        )

    union all

    select
        ml_feature_store_v2.game_date,
        ml_feature_store_v2.player_lookup,
        'contributing date not in the 60 days before game_date' as reason
    from ml_feature_store_v2
    {{ unnest_join('ml_feature_store_v2.contributing_game_dates', 'contributing_date') }}
    where contributing_date >= ml_feature_store_v2.game_date
        or contributing_date
        < cast({{ dbt.dateadd('day', -60, 'ml_feature_store_v2.game_date') }} as date)

)

select * from validation_errors
