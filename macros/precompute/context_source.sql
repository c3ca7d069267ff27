{#-
    Which upcoming context a date D uses (domain.md §4.3; the seeds'
    2026-01-06 incident, when UPCG held 1 of 187 players): UPCG's rows of D
    when it holds at least var upcg_fallback_pct (90) % of
    player_game_summary's distinct players of D (and at least one player),
    otherwise a context built from player_game_summary. The one place for
    this rule: player_composite_factors and player_daily_cache (through
    int_phase4_player_context) and ml_feature_store_v2 all call it.
-#}
{% macro context_source(upcg_players, pgs_players) -%}
    case
        when coalesce({{ upcg_players }}, 0) > 0
            and 100.0 * coalesce({{ upcg_players }}, 0)
                >= {{ var('upcg_fallback_pct', 90) }} * coalesce({{ pgs_players }}, 0)
        then 'upcoming_player_game_context'
        else 'player_game_summary_fallback'
    end
{%- endmacro %}
