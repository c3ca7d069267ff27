{#-
    Small rules shared by the two upcoming-context tables (domain.md §2.4, §2.5).

    season_phase(date): the calendar phase of a date, by its month: Oct–Nov 'early', Dec–Feb
    'mid', Mar–Apr 'late', else 'playoffs'.
-#}
{% macro season_phase(date) -%}
    case
            when extract(month from {{ date }}) in (10, 11) then 'early'
            when extract(month from {{ date }}) in (12, 1, 2) then 'mid'
            when extract(month from {{ date }}) in (3, 4) then 'late'
            else 'playoffs'
        end
{%- endmacro %}


{#-
    snapshot_ranks(partition_by): the latest_rank and opening_rank columns of an odds snapshot
    row within its partition (a comma-separated column list): 1 = the latest snapshot (ties:
    the latest processed), resp. the earliest (ties: the earliest processed). Callers keep only
    pre-tip-off snapshots first.
-#}
{% macro snapshot_ranks(partition_by) -%}
    row_number() over (
            partition by {{ partition_by }}
            order by snapshot_timestamp desc, processed_at desc
        ) as latest_rank,
        row_number() over (
            partition by {{ partition_by }}
            order by snapshot_timestamp, processed_at
        ) as opening_rank
{%- endmacro %}
