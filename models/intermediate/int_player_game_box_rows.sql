{#-
    One row per player per game of player_game_summary (domain.md §2.3), key
    (game_date, player_lookup): the core box score from the gamebook, and Ball
    Don't Lie only for players the gamebook lacks on that date (player-level
    merge; an open departure, decisions.md "Departures still open") →
    primary_source_used. home_abbr / away_abbr from the row, else from the
    standard game_id. resolved_team_abbr of a row without a team: the player's
    BDL row of the game, else the one ESPN roster team of the date among the
    game's two teams, else NULL (team_abbr_source says which). Ephemeral; all
    inputs are same-day, so every import uses lookback 0.
-#}

{#- the columns both box scores give, selected alike (source column, name) -#}
{%- set identity_columns = [
    ('game_id', 'game_id'), ('game_date', 'game_date'), ('season_year', 'season_year'),
    ('player_lookup', 'player_lookup'), ('player_name', 'player_full_name'),
    ('team_abbr', 'reported_team_abbr'), ('home_team_abbr', 'home_team_abbr'),
    ('away_team_abbr', 'away_team_abbr'),
] -%}
{%- set box_stat_columns = [
    ('minutes_played', 'minutes_played'), ('points', 'points'), ('assists', 'assists'),
    ('offensive_rebounds', 'offensive_rebounds'), ('defensive_rebounds', 'defensive_rebounds'),
    ('steals', 'steals'), ('blocks', 'blocks'), ('turnovers', 'turnovers'),
    ('personal_fouls', 'personal_fouls'),
    ('field_goals_attempted', 'fg_attempts'), ('field_goals_made', 'fg_makes'),
    ('three_pointers_attempted', 'box_three_pt_attempts'),
    ('three_pointers_made', 'box_three_pt_makes'),
    ('free_throws_attempted', 'ft_attempts'), ('free_throws_made', 'ft_makes'),
] -%}

with

stg_nba_raw__nbac_gamebook_player_stats as (

    select * from {{ ref('stg_nba_raw__nbac_gamebook_player_stats') }}
    where {{ in_run_window('game_date') }}

),

stg_nba_raw__bdl_player_boxscores as (

    select * from {{ ref('stg_nba_raw__bdl_player_boxscores') }}
    where {{ in_run_window('game_date') }}

),

stg_nba_raw__espn_team_rosters as (

    select
        roster_date,
        team_abbr,
        player_lookup
    from {{ ref('stg_nba_raw__espn_team_rosters') }}
    where {{ in_run_window('roster_date') }}

),

-- core stats: gamebook rows, then BDL rows for players the gamebook lacks

gamebook_rows as (

    select
        {% for column, name in identity_columns -%}
            gamebook.{{ column }} as {{ name }},  -- noqa: AL09
        {% endfor -%}
        gamebook.player_status,
        gamebook.is_active,
        gamebook.is_dnp,
        gamebook.dnp_reason,
        gamebook.dnp_reason_category,
        {% for column, name in box_stat_columns -%}
            gamebook.{{ column }} as {{ name }},  -- noqa: AL09
        {% endfor -%}
        gamebook.plus_minus,
        'nbac_gamebook' as primary_source_used
    from stg_nba_raw__nbac_gamebook_player_stats as gamebook

),

bdl_fallback_rows as (

    select
        {% for column, name in identity_columns -%}
            bdl.{{ column }} as {{ name }},  -- noqa: AL09
        {% endfor -%}
        'active' as player_status,
        true as is_active,
        coalesce(bdl.minutes_played, 0) = 0 as is_dnp,
        cast(null as {{ dbt.type_string() }}) as dnp_reason,
        cast(null as {{ dbt.type_string() }}) as dnp_reason_category,
        {% for column, name in box_stat_columns -%}
            bdl.{{ column }} as {{ name }},  -- noqa: AL09
        {% endfor -%}
        cast(null as {{ dbt.type_int() }}) as plus_minus,
        'bdl_boxscores' as primary_source_used
    from stg_nba_raw__bdl_player_boxscores as bdl
    left join stg_nba_raw__nbac_gamebook_player_stats as gamebook
        on bdl.game_date = gamebook.game_date
        and bdl.player_lookup = gamebook.player_lookup
    where gamebook.player_lookup is null

),

player_rows_unioned as (

    select * from gamebook_rows
    union all
    select * from bdl_fallback_rows

),

-- teams: home/away from the row or the standard game_id; NULL team_abbr
-- from the player's BDL row, else the ESPN roster of the date

player_rows_with_sides as (

    select
        player_rows_unioned.*,
        coalesce(
            player_rows_unioned.home_team_abbr,
            {{ dbt.split_part('player_rows_unioned.game_id', "'_'", 3) }}
        ) as home_abbr,
        coalesce(
            player_rows_unioned.away_team_abbr,
            {{ dbt.split_part('player_rows_unioned.game_id', "'_'", 2) }}
        ) as away_abbr
    from player_rows_unioned

),

roster_teams as (

    select
        player_rows_with_sides.game_date,
        player_rows_with_sides.player_lookup,
        min(stg_nba_raw__espn_team_rosters.team_abbr) as roster_team_abbr,
        count(distinct stg_nba_raw__espn_team_rosters.team_abbr) as n_roster_teams
    from player_rows_with_sides
    inner join stg_nba_raw__espn_team_rosters
        on player_rows_with_sides.game_date = stg_nba_raw__espn_team_rosters.roster_date
        and player_rows_with_sides.player_lookup = stg_nba_raw__espn_team_rosters.player_lookup
        and stg_nba_raw__espn_team_rosters.team_abbr in (
            player_rows_with_sides.home_abbr, player_rows_with_sides.away_abbr
        )
    where player_rows_with_sides.reported_team_abbr is null
    group by 1, 2

),

final as (

    select
        player_rows_with_sides.*,
        coalesce(
            player_rows_with_sides.reported_team_abbr,
            case
                when bdl.team_abbr in (
                        player_rows_with_sides.home_abbr, player_rows_with_sides.away_abbr
                    ) then bdl.team_abbr
            end,
            case when roster_teams.n_roster_teams = 1 then roster_teams.roster_team_abbr end
        ) as resolved_team_abbr,
        case
            when player_rows_with_sides.reported_team_abbr is not null then 'reported'
            when bdl.team_abbr in (
                    player_rows_with_sides.home_abbr, player_rows_with_sides.away_abbr
                ) then 'bdl_boxscores'
            when roster_teams.n_roster_teams = 1 then 'espn_roster'
        end as team_abbr_source
    from player_rows_with_sides
    left join stg_nba_raw__bdl_player_boxscores as bdl
        on player_rows_with_sides.game_date = bdl.game_date
        and player_rows_with_sides.player_lookup = bdl.player_lookup
        and player_rows_with_sides.reported_team_abbr is null
    left join roster_teams
        on player_rows_with_sides.game_date = roster_teams.game_date
        and player_rows_with_sides.player_lookup = roster_teams.player_lookup

)

select * from final
