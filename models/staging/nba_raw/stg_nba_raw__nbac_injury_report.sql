{#-
    Staged nba_raw.nbac_injury_report: one row per natural key (report_date, report_hour, game_id, player_lookup),
    the rows of the base model whose disposition is 'staged' (cleaned columns
    and processed_at only). Quarantined and superseded rows stay in the base
    model; the quarantined ones are also in nba_orchestration.raw_quarantine.
    Source: NBA.com injury report: several reports per day, statuses matching who sat out.
-#}

with

base as (

    select * from {{ ref('base_nba_raw__nbac_injury_report') }}

),

final as (

    select
        report_hour,
        game_id,
        player_lookup,
        player_name,
        team_abbr,
        injury_status,
        reason,
        reason_category,
        report_date,
        game_date,
        processed_at
    from base
    where row_disposition = 'staged'

)

select * from final
