{#-
    Rows per date of each of the four Phase 4 tables inside the run window
    (the audited relation during write-audit-publish): (table_name,
    phase4_date, row_count). The one list of the Phase 4 tables and their date
    columns for the singular tests that check their dates
    (tests/precompute/assert_phase4_*). Returns a complete select to wrap in
    a CTE.
-#}
{% macro phase4_rows_per_date() %}
    {%- set tables = [
        ('team_defense_zone_analysis', 'analysis_date'),
        ('player_shot_zone_analysis', 'analysis_date'),
        ('player_composite_factors', 'game_date'),
        ('player_daily_cache', 'cache_date'),
    ] -%}
    {%- for table_name, date_column in tables %}
    select
        '{{ table_name }}' as table_name,
        {{ date_column }} as phase4_date,
        count(*) as row_count
    from {{ audited(ref(table_name)) }}
    where {{ in_run_window(date_column) }}
    group by 1, 2
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}
