{#-
    One row per season: its opening night (the first regular-season game of
    the schedule) and the first date after the bootstrap period
    (var bootstrap_days, default 14: days 0-13 are bootstrap, domain.md §0).
    Every model that needs a season start or a bootstrap flag joins this one
    place instead of recomputing it.
-#}

with

stg_nba_raw__nbac_schedule as (

    select
        season_year,
        season_type,
        game_date
    from {{ ref('stg_nba_raw__nbac_schedule') }}

),

season_starts as (

    select
        season_year,
        min(game_date) as season_start_date
    from stg_nba_raw__nbac_schedule
    where season_type = 'regular_season'
    group by 1

),

final as (

    select
        season_year,
        season_start_date,
        cast({{ dbt.dateadd('day', var('bootstrap_days', 14), 'season_start_date') }} as date)
            as first_post_bootstrap_date
    from season_starts

)

select * from final
