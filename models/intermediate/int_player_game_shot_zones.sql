{#-
    Shot zones of each player_game_summary row (domain.md §2.3), key
    (game_date, player_lookup): shots by zone, and-ones and assisted /
    unassisted makes as the shooter, blocks by zone as the blocker, from
    int_shot_events (one play-by-play per game, BigDataBall first:
    decisions.md fix 15). Zones count for active players of games with shot
    events (0 when the player has none), NULL otherwise; assist and block
    roles only in BigDataBall games. Ephemeral; same-day inputs, lookback 0.
-#}

{%- set shot_zone_columns = [
    'paint_attempts', 'paint_makes', 'mid_range_attempts', 'mid_range_makes',
    'three_attempts_pbp', 'three_makes_pbp', 'and1_count',
] -%}
{%- set bigdataball_role_columns = [
    'shooter_zones.assisted_fg_makes', 'shooter_zones.unassisted_fg_makes',
    'blocker_zones.paint_blocks', 'blocker_zones.mid_range_blocks',
    'blocker_zones.three_pt_blocks',
] -%}

with

int_player_game_box_rows as (

    select
        game_id,
        game_date,
        player_lookup,
        is_active
    from {{ ref('int_player_game_box_rows') }}

),

int_shot_events as (

    select * from {{ ref('int_shot_events') }}
    where {{ in_run_window('game_date') }}

),

shooter_zones as (

    select
        game_id,
        shooter_lookup as player_lookup,
        {{ shot_zone_counts([
            ('paint_attempts', 'paint', false),
            ('paint_makes', 'paint', true),
            ('mid_range_attempts', 'mid_range', false),
            ('mid_range_makes', 'mid_range', true),
            ('three_attempts_pbp', 'three', false),
            ('three_makes_pbp', 'three', true),
        ]) }},
        sum(case when is_and_one_free_throw then 1 else 0 end) as and1_count,
        sum(case when is_assisted_make then 1 else 0 end) as assisted_fg_makes,
        sum(case when is_unassisted_make then 1 else 0 end) as unassisted_fg_makes
    from int_shot_events
    group by 1, 2

),

blocker_zones as (

    select
        game_id,
        blocker_lookup as player_lookup,
        {{ shot_zone_counts([
            ('paint_blocks', 'paint', false),
            ('mid_range_blocks', 'mid_range', false),
            ('three_pt_blocks', 'three', false),
        ]) }}
    from int_shot_events
    where blocker_lookup is not null
        and is_field_goal_attempt
    group by 1, 2

),

game_shot_sources as (

    select
        game_id,
        max(shot_source) as shot_zones_source
    from int_shot_events
    group by 1

),

player_zones as (

    select
        player_rows.game_date,
        player_rows.player_lookup,
        game_shot_sources.shot_zones_source,
        {% for column in shot_zone_columns -%}
            case when player_rows.is_active and game_shot_sources.game_id is not null
                    then coalesce(shooter_zones.{{ column }}, 0)
            end as {{ column }},
        {% endfor -%}
    {% for column in bigdataball_role_columns -%}
        case
            when player_rows.is_active
                and game_shot_sources.shot_zones_source = 'bigdataball'
                then coalesce({{ column }}, 0)
        end as {{ column.split('.')[1] }}{{ ',' if not loop.last else '' }}  -- noqa: LT02
    {% endfor %}
    from int_player_game_box_rows as player_rows
    left join shooter_zones
        on player_rows.game_id = shooter_zones.game_id
        and player_rows.player_lookup = shooter_zones.player_lookup
    left join blocker_zones
        on player_rows.game_id = blocker_zones.game_id
        and player_rows.player_lookup = blocker_zones.player_lookup
    left join game_shot_sources
        on player_rows.game_id = game_shot_sources.game_id

),

final as (

    select
        *,
        paint_attempts is not null
        and mid_range_attempts is not null
        and three_attempts_pbp is not null as has_complete_shot_zones
    from player_zones

)

select * from final
