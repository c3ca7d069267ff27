{#-
    Staged nba_raw.nbac_schedule: one row per natural key (game_id),
    the rows of the base model whose disposition is 'staged' (cleaned columns
    and processed_at only). Quarantined and superseded rows stay in the base
    model; the quarantined ones are also in nba_orchestration.raw_quarantine.
    Source: NBA.com schedule, one row per game per snapshot (a scheduled snapshot and a final one).
-#}

with

base as (

    select * from {{ ref('base_nba_raw__nbac_schedule') }}

),

final as (

    select
        game_id,
        standard_game_id,
        game_code,
        season,
        season_nba_format,
        season_year,
        season_type,
        game_status,
        game_status_text,
        is_final,
        home_team_id,
        home_team_abbr,
        home_team_name,
        away_team_id,
        away_team_abbr,
        away_team_name,
        arena_name,
        arena_timezone,
        is_primetime,
        has_national_tv,
        is_regular_season,
        is_playoffs,
        is_all_star,
        is_emirates_cup,
        playoff_round,
        home_team_score,
        away_team_score,
        winning_team_abbr,
        game_date,
        game_date_est,
        data_source,
        processed_at
    from base
    where row_disposition = 'staged'

)

select * from final
