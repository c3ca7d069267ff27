{#-
    Every raw row is accounted for: for each nba_raw table and accounting_date
    of the run window (vars start_date / end_date, plus the undated and future
    rows), the rows counted straight from the source equal staged + excluded +
    quarantined + superseded in nba_orchestration.raw_row_accounting. The
    source is counted here with a plain count, not taken from the accounting
    model, so a row lost anywhere makes this test fail. Returns the tables and
    dates that do not balance (or that the accounting misses).
-#}
with

raw_counts as (

    {% for table in nba_raw_tables() -%}
        select
            '{{ table.name }}' as source_table,
            {{ accounting_date(table.date_column) }} as accounting_date,
            count(*) as raw_rows
        from {{ source('nba_raw', table.name) }}
        where {{ in_accounting_window(table.date_column) }}
        group by 1, 2
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
        raw_counts.accounting_date,
        raw_counts.raw_rows,
        accounting.staged_rows,
        accounting.excluded_rows,
        accounting.quarantined_rows,
        accounting.superseded_rows
    from raw_counts
    left join accounting
        on raw_counts.source_table = accounting.source_table
        and raw_counts.accounting_date = accounting.accounting_date
    where accounting.source_table is null
        or raw_counts.raw_rows
        <> accounting.staged_rows + accounting.excluded_rows
        + accounting.quarantined_rows + accounting.superseded_rows

)

select * from unbalanced
