{{ config(materialized='ephemeral') }}

{#-
    Completeness windows of each universe row (domain.md §2.4): the expected
    games are the player's gamebook games of the season before the date
    (active, not DNP); a game is found when player_game_summary has it as a
    played game (int_upcg_played_games). Windows: the last 5 and 10 gamebook
    games, and the gamebook games of the last 7, 14 and 30 days; season-bounded
    (decisions.md fix 6). One row per (game_date, player_lookup) with at least
    one gamebook game before the date.
-#}

{%- set season_lookback_days = var('season_lookback_days') -%}

with

stg_nba_raw__nbac_gamebook_player_stats as (

    select
        game_date,
        season_year,
        player_lookup,
        player_status,
        is_dnp
    from {{ ref('stg_nba_raw__nbac_gamebook_player_stats') }}
    where {{ in_run_window('game_date', lookback_days=season_lookback_days) }}

),

int_upcg_universe as (

    select
        game_date,
        player_lookup,
        season_year
    from {{ ref('int_upcg_universe') }}

),

int_upcg_played_games as (

    select
        player_lookup,
        game_date
    from {{ ref('int_upcg_played_games') }}

),

gamebook_played_sequence as (

    select
        player_lookup,
        season_year,
        game_date,
        lead(game_date) over (
            partition by player_lookup, season_year order by game_date
        ) as next_game_date,
        row_number() over (
            partition by player_lookup, season_year order by game_date
        ) as game_number
    from stg_nba_raw__nbac_gamebook_player_stats
    where player_status = 'active'
        and not coalesce(is_dnp, false)

),

{{ upcg_season_history('gamebook_history', 'int_upcg_universe', 'gamebook_played_sequence') }},

final as (

    select
        gamebook_history.game_date,
        gamebook_history.player_lookup,
        {%- for window, rank in [('l5', 5), ('l10', 10)] %}
            sum(case when gamebook_history.game_rank <= {{ rank }} then 1 else 0 end)
                as {{ window }}_expected,
            sum(case when gamebook_history.game_rank <= {{ rank }} and played_games.game_date is not null
                    then 1
                else 0
            end) as {{ window }}_actual,
        {%- endfor %}
        {%- for window, days in [('l7d', 7), ('l14d', 14), ('l30d', 30)] %}
            sum(case when gamebook_history.is_last_{{ days }}_days then 1 else 0 end)
                as {{ window }}_expected,
            sum(case when gamebook_history.is_last_{{ days }}_days and played_games.game_date is not null
                    then 1
                else 0
            end) as {{ window }}_actual{% if not loop.last %},{% endif %}
        {%- endfor %}
    from gamebook_history
    left join int_upcg_played_games as played_games
        on played_games.player_lookup = gamebook_history.player_lookup
        and played_games.game_date = gamebook_history.history_date
    group by 1, 2

)

select * from final
