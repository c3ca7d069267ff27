{#-
    The points prop line of each player and game date (domain.md §2.3), key
    (game_date, player_lookup): odds_api snapshots before tip-off only
    (minutes_before_tipoff > 0); book draftkings,
    then fanduel, then alphabetical; the book's latest snapshot is
    points_line, its earliest opening_line. odds_rows_found counts every
    pre-game snapshot of the player (all books). Ephemeral; same-day input,
    lookback 0.
-#}

with

stg_nba_raw__odds_api_player_points_props as (

    select
        game_date,
        player_lookup,
        bookmaker,
        snapshot_timestamp,
        minutes_before_tipoff,
        points_line,
        processed_at
    from {{ ref('stg_nba_raw__odds_api_player_points_props') }}
    where {{ in_run_window('game_date') }}

),

pregame_props as (

    select
        game_date,
        player_lookup,
        bookmaker,
        snapshot_timestamp,
        points_line,
        processed_at,
        case bookmaker when 'draftkings' then 1 when 'fanduel' then 2 else 3 end
            as bookmaker_rank
    from stg_nba_raw__odds_api_player_points_props
    where minutes_before_tipoff > 0
        and points_line is not null

),

pregame_props_ranked as (

    select
        pregame_props.*,
        dense_rank() over (
            partition by game_date, player_lookup
            order by bookmaker_rank, bookmaker
        ) as book_preference,
        row_number() over (
            partition by game_date, player_lookup, bookmaker
            order by snapshot_timestamp desc
        ) as latest_rank,
        row_number() over (
            partition by game_date, player_lookup, bookmaker
            order by snapshot_timestamp
        ) as earliest_rank,
        count(*) over (partition by game_date, player_lookup) as snapshots_found,
        max(processed_at) over (partition by game_date, player_lookup) as props_last_updated
    from pregame_props

),

final as (

    select
        game_date,
        player_lookup,
        bookmaker as points_line_source,
        max(case when latest_rank = 1 then points_line end) as points_line,
        max(case when earliest_rank = 1 then points_line end) as opening_line,
        max(snapshots_found) as odds_rows_found,
        max(props_last_updated) as odds_last_updated
    from pregame_props_ranked
    where book_preference = 1
    group by 1, 2, 3

)

select * from final
