{#-
    Row accounting of staging, one row per nba_raw table and accounting_date
    (its date column; undated rows under 1900-01-01, future-dated ones under
    9999-12-31: macros/staging/raw_accounting.sql): every raw row is staged,
    excluded (a preseason or All-Star game), quarantined with a reason or
    superseded, so raw_rows = staged_rows + excluded_rows + quarantined_rows
    + superseded_rows. Also the rows per reason, and the raw rows' fingerprint
    when they were counted (raw_accounting_freshness compares it with the raw
    rows of now). Built by date like raw_quarantine: a run replaces its dates.
-#}
{{ config(**accounting_incremental_config(['source_table'])) }}

{%- set reasons = raw_row_reasons() %}

with

{% for table in nba_raw_tables() %}
    {{ table.name }}_raw as (

        {{ raw_row_fingerprints(table, in_accounting_window(table.date_column)) }}

    ),

    {{ table.name }}_classified as (

        select
            '{{ table.name }}' as source_table,
            {{ accounting_date(table.date_column) }} as accounting_date,
            row_disposition,
            coalesce(exclusion_reason, rejection_reason) as reason
        from {{ ref('base_nba_raw__' ~ table.name) }}
        where {{ in_accounting_window(table.date_column) }}

    ),

{% endfor %}
raw_counts as (

    {% for table in nba_raw_tables() -%}
        select * from {{ table.name }}_raw
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),

classified_rows as (

    {% for table in nba_raw_tables() -%}
        select * from {{ table.name }}_classified
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),

disposition_counts as (

    select
        source_table,
        accounting_date,
        count(*) as classified_rows,
        {%- for disposition in ['staged', 'excluded', 'quarantined', 'superseded'] %}
            sum(case when row_disposition = '{{ disposition }}' then 1 else 0 end) as {{ disposition }}_rows,
        {%- endfor %}
    {%- for r in reasons %}
        sum(case when reason = '{{ r.reason }}' then 1 else 0 end) as {{ r.reason }}_rows
        {{- ',' if not loop.last }}
    {%- endfor %}
    from classified_rows
    group by source_table, accounting_date  -- noqa: AM06

),

joined as (

    select
        coalesce(raw_counts.source_table, disposition_counts.source_table) as source_table,
        coalesce(raw_counts.accounting_date, disposition_counts.accounting_date) as accounting_date,
        coalesce(raw_counts.raw_rows, 0) as raw_rows,
        raw_counts.raw_fingerprint,
        coalesce(disposition_counts.staged_rows, 0) as staged_rows,
        coalesce(disposition_counts.excluded_rows, 0) as excluded_rows,
        coalesce(disposition_counts.quarantined_rows, 0) as quarantined_rows,
        coalesce(disposition_counts.superseded_rows, 0) as superseded_rows,
        {%- for r in reasons %}
            coalesce(disposition_counts.{{ r.reason }}_rows, 0) as {{ r.reason }}_rows,
        {%- endfor %}
        coalesce(disposition_counts.classified_rows, 0) as classified_rows
    from raw_counts
    full outer join disposition_counts
        on raw_counts.source_table = disposition_counts.source_table
        and raw_counts.accounting_date = disposition_counts.accounting_date

),

final as (

    select
        {{ star_except(['classified_rows']) }},
        raw_rows - staged_rows - excluded_rows - quarantined_rows - superseded_rows as unaccounted_rows,
        raw_rows = staged_rows + excluded_rows + quarantined_rows + superseded_rows
        and raw_rows = classified_rows as is_balanced,
        {{ dbt.current_timestamp() }} as accounted_at
    from joined

)

select * from final
