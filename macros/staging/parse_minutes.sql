{#-
    Minutes played, text → decimal minutes (domain.md §2.3).

    - "MM:SS" (seconds 00–59) → MM + SS/60 rounded to 2 decimals, then to
      1 decimal: "40:11" → 40.18 → 40.2. The rounding is done on integers
      (hundredths, then tenths, half away from zero) so that both engines
      give the same value, whatever the float representation.
    - "32" or "32.5" → the number, rounded to 1 decimal.
    - NULL, '', '-', 'null' (any case, trimmed) → NULL: missing, not malformed.
    - anything else ("4O:12", "61:75", "12:3:4") → NULL, and
      is_malformed_minutes() is true.
-#}
{% macro parse_minutes(expr) -%}
    {%- set text = 'trim(' ~ expr ~ ')' -%}
    {%- set whole = nba_pipeline.try_cast_to(dbt.split_part(text, "':'", 1), dbt.type_bigint()) -%}
    {%- set seconds = nba_pipeline.try_cast_to(dbt.split_part(text, "':'", 2), dbt.type_bigint()) -%}
    cast(
        case
            when {{ nba_pipeline.regexp_matches_full(text, '[0-9]{1,3}:[0-9]{1,2}') }}
                and {{ seconds }} < 60
                then floor(
                    ({{ whole }} * 100 + round({{ seconds }} * 100 / 60.0) + 5) / 10
                ) / 10
            when {{ nba_pipeline.regexp_matches_full(text, '[0-9]{1,3}([.][0-9]+)?') }}
                then round({{ nba_pipeline.try_cast_to(text, nba_pipeline.type_float64()) }}, 1)
        end
    as {{ nba_pipeline.type_float64() }})
{%- endmacro %}


{#- True when the minutes text is NULL, blank, '-' or 'null': nothing was reported. -#}
{% macro is_missing_minutes(expr) -%}
    (coalesce(lower(trim({{ expr }})), '') in ('', '-', 'null'))
{%- endmacro %}


{#- True when minutes text is present but does not parse ("4O:12", "61:75"). -#}
{% macro is_malformed_minutes(expr) -%}
    (not {{ nba_pipeline.is_missing_minutes(expr) }} and {{ nba_pipeline.parse_minutes(expr) }} is null)
{%- endmacro %}
