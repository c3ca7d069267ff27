{#-
    Every raw row is accounted for: for each nba_raw table, the rows counted
    straight from the source equal staged + quarantined + superseded in
    nba_orchestration.raw_row_accounting. The source is counted here, not taken
    from the accounting model, so a row lost anywhere makes this test fail.
    Returns the tables that do not balance (or that the accounting misses).
-#}
with

raw_counts as (

    {% for table in nba_raw_tables() -%}
    select '{{ table.name }}' as source_table, count(*) as raw_rows
    from {{ source('nba_raw', table.name) }}
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

accounting as (

    select * from {{ ref('raw_row_accounting') }}

),

unbalanced as (

    select
        raw_counts.source_table,
        raw_counts.raw_rows,
        accounting.staged_rows,
        accounting.quarantined_rows,
        accounting.superseded_rows
    from raw_counts
    left join accounting
        on raw_counts.source_table = accounting.source_table
    where accounting.source_table is null
        or raw_counts.raw_rows
            <> accounting.staged_rows + accounting.quarantined_rows + accounting.superseded_rows

)

select * from unbalanced
