{#-
    The length of each game in minutes, from its staged team box scores: the
    team's total player-minutes / 5 (240:00 → 48, 265:00 → 53 with one
    overtime), the larger of the two teams. For the rule
    `minutes_above_game_length` of the player box scores; a game without a
    team box score is bounded by max_game_minutes().
-#}
{{ config(**staging_incremental_config('game_date')) }}

with

team_boxscores as (

    select * from {{ ref('base_nba_raw__nbac_team_boxscore') }}
    where {{ in_staging_window('game_date') }}

),

final as (

    select
        game_date,
        game_key,
        max(total_player_minutes) / 5.0 as game_minutes
    from team_boxscores
    where row_disposition = 'staged'
        and game_key is not null
    group by game_date, game_key

)

select * from final
