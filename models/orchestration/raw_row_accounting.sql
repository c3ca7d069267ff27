{#-
    Row accounting of staging, one row per nba_raw table: every raw row is
    staged, quarantined or superseded, so raw_rows = staged_rows +
    quarantined_rows + superseded_rows (tests/staging/assert_raw_rows_accounted.sql
    checks it against a fresh count of the source). Also the quarantined rows
    per reason.
-#}
{{ config(materialized='table') }}

with

{% for table in nba_raw_tables() %}
{{ table.name }}_raw as (

    select '{{ table.name }}' as source_table, count(*) as raw_rows
    from {{ source('nba_raw', table.name) }}

),

{{ table.name }}_staged as (

    select '{{ table.name }}' as source_table, count(*) as staged_rows
    from {{ ref('stg_nba_raw__' ~ table.name) }}

),

{{ table.name }}_superseded as (

    select '{{ table.name }}' as source_table, count(*) as superseded_rows
    from {{ ref('base_nba_raw__' ~ table.name) }}
    where row_disposition = 'superseded'

),

{% endfor %}
raw_counts as (

    {% for table in nba_raw_tables() -%}
    select * from {{ table.name }}_raw
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

staged_counts as (

    {% for table in nba_raw_tables() -%}
    select * from {{ table.name }}_staged
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

superseded_counts as (

    {% for table in nba_raw_tables() -%}
    select * from {{ table.name }}_superseded
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

quarantine as (

    select * from {{ ref('raw_quarantine') }}

),

quarantined_counts as (

    select
        source_table,
        {%- for reason in quarantine_reasons() %}
        sum(case when reason = '{{ reason }}' then 1 else 0 end) as {{ reason }}_rows,
        {%- endfor %}
        count(*) as quarantined_rows
    from quarantine
    group by source_table

),

joined as (

    select
        raw_counts.source_table,
        raw_counts.raw_rows,
        coalesce(staged_counts.staged_rows, 0) as staged_rows,
        coalesce(quarantined_counts.quarantined_rows, 0) as quarantined_rows,
        coalesce(superseded_counts.superseded_rows, 0) as superseded_rows,
        {%- for reason in quarantine_reasons() %}
        coalesce(quarantined_counts.{{ reason }}_rows, 0) as {{ reason }}_rows{{ ',' if not loop.last }}
        {%- endfor %}
    from raw_counts
    left join staged_counts
        on raw_counts.source_table = staged_counts.source_table
    left join superseded_counts
        on raw_counts.source_table = superseded_counts.source_table
    left join quarantined_counts
        on raw_counts.source_table = quarantined_counts.source_table

),

final as (

    select
        *,
        raw_rows - staged_rows - quarantined_rows - superseded_rows as unaccounted_rows,
        raw_rows = staged_rows + quarantined_rows + superseded_rows as is_balanced
    from joined

)

select * from final
