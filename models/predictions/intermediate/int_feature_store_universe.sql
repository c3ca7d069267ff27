{{ config(materialized='ephemeral') }}

{#-
    The feature store's rows of each final game date D (domain.md §3.5,
    §4.3), one per player of D (key game_date, player_lookup): a backfill's
    universe, player_game_summary's players of D whatever the upcoming
    context holds, with the upcoming context's fields when it has the player
    (else his player_game_summary row's team, opponent and home), his raw
    pre-tip lines (int_feature_store_vegas_lines), the date's context_source
    (macro context_source: recorded on the row, the universe does not depend
    on it) and whether the row computes features (bootstrap days get
    placeholders unless var include_bootstrap is true). On non-bootstrap
    dates only the players with a player_game_summary row in the 60 days
    before D are kept (int_feature_store_recent_players). The player_game_summary
    rows of D are read for identity only (who, team, opponent), never a stat.
-#}

{%- set include_bootstrap = 'true' if (var('include_bootstrap', false) | string | lower) in ('true', '1', 'yes') else 'false' -%}

with

int_season_calendar as (

    select
        season_year,
        season_start_date,
        first_post_bootstrap_date
    from {{ ref('int_season_calendar') }}

),

stg_nba_raw__nbac_schedule as (

    select
        game_date,
        season_year
    from {{ ref('stg_nba_raw__nbac_schedule') }}
    where {{ in_run_window('game_date') }}
        and is_final
        -- the dates Phase 4 computes (int_phase4_analysis_dates): no exhibition game
        and (is_regular_season or is_playoffs)

),

int_feature_store_recent_players as (

    select
        game_date,
        player_lookup
    from {{ ref('int_feature_store_recent_players') }}

),

int_feature_store_vegas_lines as (

    select
        game_date,
        player_lookup,
        current_points_line,
        opening_points_line
    from {{ ref('int_feature_store_vegas_lines') }}

),

upcoming_player_game_context as (

    select
        game_date,
        player_lookup,
        game_id,
        team_abbr,
        opponent_team_abbr,
        home_game,
        season_phase,
        player_status,
        days_rest,
        games_in_last_7_days
    from {{ ref('upcoming_player_game_context') }}
    where {{ in_run_window('game_date') }}

),

player_game_summary as (

    select
        game_date,
        player_lookup,
        game_id,
        team_abbr,
        opponent_team_abbr,
        home_game
    from {{ ref('player_game_summary') }}
    where {{ in_run_window('game_date') }}

),

-- ---------------------------------------------------------------- dates D

game_dates as (

    select distinct
        stg_nba_raw__nbac_schedule.game_date,
        stg_nba_raw__nbac_schedule.season_year,
        int_season_calendar.season_start_date,
        stg_nba_raw__nbac_schedule.game_date
        >= int_season_calendar.season_start_date
        and stg_nba_raw__nbac_schedule.game_date
        < int_season_calendar.first_post_bootstrap_date
            as is_bootstrap_date
    from stg_nba_raw__nbac_schedule
    inner join int_season_calendar
        on int_season_calendar.season_year
        = stg_nba_raw__nbac_schedule.season_year

),

-- players of D in player_game_summary: identity only (who, team, opponent)
players_on_date as (

    select
        game_date,
        player_lookup,
        min(game_id) as game_id,
        min(team_abbr) as team_abbr,
        min(opponent_team_abbr) as opponent_team_abbr,
        {{ dbt.bool_or('home_game') }} as home_game
    from player_game_summary
    group by 1, 2

),

upcg_counts as (

    select
        game_date,
        count(distinct player_lookup) as upcg_players
    from upcoming_player_game_context
    group by 1

),

pgs_counts as (

    select
        game_date,
        count(*) as pgs_players
    from players_on_date
    group by 1

),

-- per date: whether the upcoming context is short (the 2026-01-06 incident;
-- macro context_source, the rule on which PCF / PDC switch to their fallback
-- context). Recorded on the row; the universe does not depend on it.
context_choice as (

    select
        game_dates.*,
        {{ context_source('upcg_counts.upcg_players', 'pgs_counts.pgs_players') }}
            as context_source
    from game_dates
    left join upcg_counts
        on upcg_counts.game_date = game_dates.game_date
    left join pgs_counts
        on pgs_counts.game_date = game_dates.game_date

),

-- the backfill universe (domain.md §3.5, §4.3): the players of D in
-- player_game_summary, with the fields of the upcoming context when it has them
final as (

    select
        context_choice.game_date,
        context_choice.season_year,
        context_choice.season_start_date,
        context_choice.is_bootstrap_date,
        context_choice.context_source,
        players_on_date.player_lookup,
        upcg.player_lookup is not null as has_upcoming_context,
        coalesce(upcg.game_id, players_on_date.game_id) as game_id,
        coalesce(upcg.team_abbr, players_on_date.team_abbr) as team_abbr,
        coalesce(upcg.opponent_team_abbr, players_on_date.opponent_team_abbr)
            as opponent_team_abbr,
        coalesce(upcg.home_game, players_on_date.home_game) as home_game,
        coalesce(
            upcg.season_phase,
            case when extract(month from context_choice.game_date) between 5 and 9
                    then 'playoffs'
            end
        ) as season_phase,
        upcg.player_status,
        upcg.days_rest as upcg_days_rest,
        upcg.games_in_last_7_days as upcg_games_in_last_7_days,
        vegas.current_points_line,
        vegas.opening_points_line,
        not context_choice.is_bootstrap_date
        or {{ include_bootstrap }} as computes_features
    from players_on_date
    inner join context_choice
        on context_choice.game_date = players_on_date.game_date
    left join upcoming_player_game_context as upcg
        on upcg.game_date = players_on_date.game_date
        and upcg.player_lookup = players_on_date.player_lookup
    left join int_feature_store_vegas_lines as vegas
        on vegas.game_date = players_on_date.game_date
        and vegas.player_lookup = players_on_date.player_lookup
    -- bootstrap days keep every player (nobody has 60 days of history yet);
    -- otherwise a player_game_summary row (any status) in the 60 days before D
    left join int_feature_store_recent_players as recent
        on recent.game_date = players_on_date.game_date
        and recent.player_lookup = players_on_date.player_lookup
    where context_choice.is_bootstrap_date
        or recent.player_lookup is not null

)

select * from final
