{#-
    The four active composite factors of player_composite_factors
    (domain.md §3.4), one macro per formula. Arguments are SQL expressions;
    NULL inputs take the documented defaults inside each macro.
-#}

{#-
    fatigue_score: integer 0-100, higher = more rested. Start at 100;
    back_to_back -15, otherwise days_rest >= 3 +5; games_in_last_7_days >= 4
    -10; minutes_in_last_7_days > 240 -10; avg_minutes_per_game_last_7 > 35
    -8; back_to_backs_last_14_days >= 2 -12, exactly 1 -5; age >= 35 -10,
    otherwise >= 30 -5; clamp to [0, 100]. Defaults when NULL: days_rest 1,
    back_to_back false, games 3, minutes 200, avg minutes 30, b2b 0, age 25.
-#}
{% macro pcf_fatigue_score(days_rest, back_to_back, games_7, minutes_7, avg_minutes_7, back_to_backs_14, age) -%}
    {%- set raw -%}
    (100
        + case when coalesce({{ back_to_back }}, false) then -15
               when coalesce({{ days_rest }}, 1) >= 3 then 5 else 0 end
        + case when coalesce({{ games_7 }}, 3) >= 4 then -10 else 0 end
        + case when coalesce({{ minutes_7 }}, 200) > 240 then -10 else 0 end
        + case when coalesce({{ avg_minutes_7 }}, 30) > 35 then -8 else 0 end
        + case when coalesce({{ back_to_backs_14 }}, 0) >= 2 then -12
               when coalesce({{ back_to_backs_14 }}, 0) = 1 then -5 else 0 end
        + case when coalesce({{ age }}, 25) >= 35 then -10
               when coalesce({{ age }}, 25) >= 30 then -5 else 0 end)
    {%- endset -%}
    cast(case when {{ raw }} < 0 then 0 when {{ raw }} > 100 then 100 else {{ raw }} end
        as {{ dbt.type_int() }})
{%- endmacro %}


{#- The fatigue adjustment used in the total: (score - 100) / 20, -5 to 0. -#}
{% macro pcf_fatigue_adjustment(fatigue_score) -%}
    ({{ fatigue_score }} - 100) / 20.0
{%- endmacro %}


{#-
    shot_zone_mismatch_score (-10..+10, 1 decimal; 0.0 when the PSZA or the
    TDZA row is missing). zone = primary_scoring_zone (default 'paint';
    'balanced' uses the paint fields; 'perimeter' is three-point); usage =
    the player's rate of that zone (default 50); defense = the opponent's
    <zone>_defense_vs_league_avg (default 0); score = defense ×
    min(usage / 50, 1), × 1.2 when |score| > 5, clamped to ±10.
-#}
{% macro pcf_shot_zone_mismatch(has_psza, has_tdza, zone, paint_rate, mid_range_rate, three_pt_rate,
                                paint_defense, mid_range_defense, three_pt_defense) -%}
    {%- set usage -%}
    coalesce(case coalesce({{ zone }}, 'paint')
        when 'mid_range' then {{ mid_range_rate }}
        when 'perimeter' then {{ three_pt_rate }}
        else {{ paint_rate }} end, 50)
    {%- endset -%}
    {%- set defense -%}
    coalesce(case coalesce({{ zone }}, 'paint')
        when 'mid_range' then {{ mid_range_defense }}
        when 'perimeter' then {{ three_pt_defense }}
        else {{ paint_defense }} end, 0)
    {%- endset -%}
    {%- set base -%}
    ({{ defense }} * case when {{ usage }} / 50.0 < 1 then {{ usage }} / 50.0 else 1.0 end)
    {%- endset -%}
    {%- set boosted -%}
    (case when abs({{ base }}) > 5 then {{ base }} * 1.2 else {{ base }} end)
    {%- endset -%}
    cast(case
        when not coalesce({{ has_psza }}, false) or not coalesce({{ has_tdza }}, false) then 0.0
        when {{ boosted }} > 10 then 10.0
        when {{ boosted }} < -10 then -10.0
        else round({{ boosted }}, 1)
    end as {{ type_float64() }})
{%- endmacro %}


{#- pace_score = clamp(pace_differential / 2, -3, 3), 1 decimal; NULL → 0. -#}
{% macro pcf_pace_score(pace_differential) -%}
    {%- set raw = 'coalesce(' ~ pace_differential ~ ', 0) / 2.0' -%}
    cast(case when {{ raw }} > 3 then 3.0 when {{ raw }} < -3 then -3.0
        else round({{ raw }}, 1) end as {{ type_float64() }})
{%- endmacro %}


{#-
    usage_spike_score: projected (default 25) vs baseline
    avg_usage_rate_last_7_games (default 25); 0 when the baseline is 0;
    (projected - baseline) × 0.3, × 1.30 when positive with >= 2 stars out,
    × 1.15 with exactly 1; clamped to ±3, 1 decimal.
-#}
{% macro pcf_usage_spike_score(projected_usage, baseline_usage, stars_out) -%}
    {%- set base -%}
    ((coalesce({{ projected_usage }}, 25) - coalesce({{ baseline_usage }}, 25)) * 0.3)
    {%- endset -%}
    {%- set boosted -%}
    (case
        when {{ base }} > 0 and coalesce({{ stars_out }}, 0) >= 2 then {{ base }} * 1.30
        when {{ base }} > 0 and coalesce({{ stars_out }}, 0) = 1 then {{ base }} * 1.15
        else {{ base }} end)
    {%- endset -%}
    cast(case
        when coalesce({{ baseline_usage }}, 25) = 0 then 0.0
        when {{ boosted }} > 3 then 3.0
        when {{ boosted }} < -3 then -3.0
        else round({{ boosted }}, 1)
    end as {{ type_float64() }})
{%- endmacro %}
