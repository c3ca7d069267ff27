{#-
    Flags placing a history row in the 7-, 14- and 30-day windows before the
    anchor date (domain.md §2.4): within 7 and 14 days means history_date >
    anchor − N; the 30-day lookback includes its first day (>=). The anchor
    date itself is excluded by the caller's join (history strictly before).
-#}
{% macro recent_day_windows(history_date, anchor_date) -%}
    {{ history_date }}
            > cast({{ dbt.dateadd('day', -7, anchor_date) }} as date)
            as is_last_7_days,
        {{ history_date }}
            > cast({{ dbt.dateadd('day', -14, anchor_date) }} as date)
            as is_last_14_days,
        {{ history_date }}
            >= cast({{ dbt.dateadd('day', -30, anchor_date) }} as date)
            as is_last_30_days
{%- endmacro %}
