{{ config(materialized='ephemeral') }}

{#-
    Each player's played games of the season in order (int_phase4_played_games,
    domain.md §3.3), with the windows over the season, the last 5, 7 and 10 of
    them up to and including that game, and the date of the player's next
    played game of the season (next_game_date). One pass over the games (a
    scan), not every date joined with every earlier game (a square): a date D
    reads the row of the player's last played game before D with
    last_game_before (macros/precompute/last_game_before.sql). The one place
    of "the season's played games before D, newest first" for
    player_daily_cache (int_phase4_cache_players) and the player context's
    PGS fallback (int_phase4_player_context: usage over the last 7 games,
    decisions.md fix 5).
-#}

{#- the windows over a player's games of the season, newest last -#}
{%- set season_to_date = season_frame('player_lookup') -%}
{%- set last_5 = season_frame('player_lookup', 5) -%}
{%- set last_7 = season_frame('player_lookup', 7) -%}
{%- set last_10 = season_frame('player_lookup', 10) -%}

with

int_phase4_played_games as (

    select
        game_date,
        season_year,
        player_lookup,
        universal_player_id,
        team_abbr,
        points,
        minutes_played,
        usage_rate,
        ts_pct,
        fg_makes,
        assisted_fg_makes
    from {{ ref('int_phase4_played_games') }}

),

final as (

    select
        player_lookup,
        season_year,
        game_date,
        universal_player_id,
        team_abbr,
        count(*) over ({{ season_to_date }}) as games_played_season,
        {{ exact_avg('points', 0, over=last_5) }} as points_avg_last_5,
        {{ exact_avg('points', 0, over=last_10) }} as points_avg_last_10,
        {{ exact_avg('points', 0, over=season_to_date) }} as points_avg_season,
        {{ exact_stddev_samp('points', over=last_10) }} as points_std_last_10,
        {{ sum_tenths('minutes_played', over=last_10) }}
        / nullif(count(minutes_played) over ({{ last_10 }}), 0)
            as minutes_avg_last_10,
        {{ exact_avg('usage_rate', over=last_10) }} as usage_rate_last_10,
        {{ exact_avg('ts_pct', over=last_10) }} as ts_pct_last_10,
        {{ exact_avg('usage_rate', over=season_to_date) }}
            as player_usage_rate_season,
        {{ exact_avg('usage_rate', over=last_7) }}
            as avg_usage_rate_last_7_games,
        sum(assisted_fg_makes) over ({{ last_10 }}) as assisted_fg_makes_10,
        sum(fg_makes) over ({{ last_10 }}) as fg_makes_10,
        {{ next_game_date('player_lookup') }} as next_game_date
    from int_phase4_played_games

)

select * from final
