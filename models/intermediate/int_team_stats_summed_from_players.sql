{#-
    Team totals per (game_id, team_abbr, player_source) summed from player
    rows, the reconstruction source of team_offense_game_summary and the
    defensive actions of team_defense_game_summary (domain.md §2.1, §2.2):
    one row for the gamebook's active players and one for the BDL players
    (played players only), each only when it has at least 5 players.
    is_preferred marks the source to use by default: the gamebook, BDL when
    the gamebook has no such row. Ephemeral; its imports read only the run
    window's dates (in_run_window, lookback 0: its users are same-day models),
    so on BigQuery no partition outside the window is scanned.
-#}

{%- set stat_sums -%}
    cast(count(*) as {{ dbt.type_bigint() }}) as players_found,
        {{ sum_tenths('minutes_played') }} as player_minutes,
        cast(sum(points) as {{ dbt.type_bigint() }}) as points,
        cast(sum(field_goals_made) as {{ dbt.type_bigint() }}) as fg_makes,
        cast(sum(field_goals_attempted) as {{ dbt.type_bigint() }}) as fg_attempts,
        cast(sum(three_pointers_made) as {{ dbt.type_bigint() }}) as three_pt_makes,
        cast(sum(three_pointers_attempted) as {{ dbt.type_bigint() }}) as three_pt_attempts,
        cast(sum(free_throws_made) as {{ dbt.type_bigint() }}) as ft_makes,
        cast(sum(free_throws_attempted) as {{ dbt.type_bigint() }}) as ft_attempts,
        cast(sum(offensive_rebounds) as {{ dbt.type_bigint() }}) as offensive_rebounds,
        cast(sum(defensive_rebounds) as {{ dbt.type_bigint() }}) as defensive_rebounds,
        cast(sum(total_rebounds) as {{ dbt.type_bigint() }}) as rebounds,
        cast(sum(assists) as {{ dbt.type_bigint() }}) as assists,
        cast(sum(steals) as {{ dbt.type_bigint() }}) as steals,
        cast(sum(blocks) as {{ dbt.type_bigint() }}) as blocks,
        cast(sum(turnovers) as {{ dbt.type_bigint() }}) as turnovers,
        cast(sum(personal_fouls) as {{ dbt.type_bigint() }}) as personal_fouls,
        max(processed_at) as source_last_updated
{%- endset %}

with

stg_nba_raw__nbac_gamebook_player_stats as (

    select * from {{ ref('stg_nba_raw__nbac_gamebook_player_stats') }}
    where {{ in_run_window('game_date') }}

),

stg_nba_raw__bdl_player_boxscores as (

    select * from {{ ref('stg_nba_raw__bdl_player_boxscores') }}
    where {{ in_run_window('game_date') }}

),

gamebook_team_sums as (

    select
        game_id,
        game_date,
        season_year,
        team_abbr,
        'nbac_gamebook' as player_source,
        {{ stat_sums }}
    from stg_nba_raw__nbac_gamebook_player_stats
    where is_active and team_abbr is not null
    group by game_id, game_date, season_year, team_abbr
    having count(*) >= 5

),

bdl_team_sums as (

    select
        game_id,
        game_date,
        season_year,
        team_abbr,
        'bdl' as player_source,
        {{ stat_sums }}
    from stg_nba_raw__bdl_player_boxscores
    where team_abbr is not null
    group by game_id, game_date, season_year, team_abbr
    having count(*) >= 5

),

unioned as (

    select * from gamebook_team_sums
    union all
    select * from bdl_team_sums

),

final as (

    select
        unioned.*,
        unioned.team_abbr = {{ dbt.split_part('unioned.game_id', "'_'", 3) }} as is_home,
        (
            unioned.player_source = 'nbac_gamebook'
            or gamebook_team_sums.game_id is null
        ) as is_preferred
    from unioned
    left join gamebook_team_sums
        on unioned.game_id = gamebook_team_sums.game_id
        and unioned.team_abbr = gamebook_team_sums.team_abbr

)

select * from final
