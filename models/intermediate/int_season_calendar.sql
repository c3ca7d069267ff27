{#-
    One row per season of the schedule: its opening night and the first date
    after the bootstrap period (var bootstrap_days, default 14: days 0-13 are
    bootstrap, domain.md §0). Opening night is the first regular-season game
    of the schedule; a season without regular-season rows (a schedule loaded
    from the playoffs on, say) takes production's fallback: the known opener
    of the season, otherwise October 22 of its start year
    (shared/config/nba_season_dates.py, domain.md §0). Every model that needs
    a season start or a bootstrap flag joins this one place instead of
    recomputing it.
-#}

{#- production's known openers (domain.md §0; 2026 is provisional) -#}
{%- set known_openers = {
    2021: '2021-10-19',
    2022: '2022-10-18',
    2023: '2023-10-24',
    2024: '2024-10-22',
    2025: '2025-10-21',
    2026: '2026-10-21',
} -%}

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
        min(case when season_type = 'regular_season' then game_date end)
            as first_regular_season_date
    from stg_nba_raw__nbac_schedule
    where season_year is not null
    group by 1

),

with_fallback as (

    select
        season_year,
        coalesce(
            first_regular_season_date,
            case season_year
                {%- for season, opener in known_openers.items() %}
                    when {{ season }} then cast('{{ opener }}' as date)
                {%- endfor %}
                else cast({{ dbt.concat(["cast(season_year as " ~ dbt.type_string() ~ ")", "'-10-22'"]) }} as date)
            end
        ) as season_start_date
    from season_starts

),

final as (

    select
        season_year,
        season_start_date,
        cast({{ dbt.dateadd('day', var('bootstrap_days', 14), 'season_start_date') }} as date)
            as first_post_bootstrap_date
    from with_fallback

)

select * from final
