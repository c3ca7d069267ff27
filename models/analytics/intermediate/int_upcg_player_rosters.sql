{{ config(materialized='ephemeral') }}

{#-
    Each player's ESPN roster row in force on each game date of the run window
    (domain.md §2.4): the latest scrape of each roster date, valid from that
    date until the player's next roster date, at most 90 days old. One row per
    (game_date, player_lookup). Read by the universe (team fallback, age) and
    by the star-teammates rule (out / doubtful players on their team's roster).
-#}

{%- set roster_lookback_days = 90 -%}

with

stg_nba_raw__nbac_schedule as (

    select game_date
    from {{ ref('stg_nba_raw__nbac_schedule') }}
    where {{ in_run_window('game_date') }}

),

stg_nba_raw__espn_team_rosters as (

    select
        roster_date,
        team_abbr,
        player_lookup,
        age,
        scrape_hour,
        processed_at
    from {{ ref('stg_nba_raw__espn_team_rosters') }}
    where {{ in_run_window('roster_date', lookback_days=roster_lookback_days) }}

),

game_dates as (

    select distinct game_date
    from stg_nba_raw__nbac_schedule

),

-- each player's roster rows, one per roster date (its latest scrape), with the
-- date of his next one: the row in force from roster_date until then
roster_days as (

    select
        player_lookup,
        roster_date,
        team_abbr,
        age
    from stg_nba_raw__espn_team_rosters
    qualify row_number() over (
            partition by player_lookup, roster_date
            order by scrape_hour desc, processed_at desc
        ) = 1

),

roster_periods as (

    select
        roster_days.*,
        coalesce(
            lead(roster_date) over (partition by player_lookup order by roster_date),
            cast('9999-12-31' as date)
        ) as next_roster_date
    from roster_days

),

-- the latest ESPN roster row of each player on or before each game date (at
-- most 90 days old): the one row whose period holds the date, not every row of
-- the 90 days ranked
final as (

    select
        game_dates.game_date,
        roster_periods.player_lookup,
        roster_periods.team_abbr,
        roster_periods.age
    from game_dates
    inner join roster_periods
        on roster_periods.roster_date <= game_dates.game_date
        and roster_periods.next_roster_date > game_dates.game_date
        and roster_periods.roster_date
        >= cast({{ dbt.dateadd('day', -roster_lookback_days, 'game_dates.game_date') }} as date)

)

select * from final
