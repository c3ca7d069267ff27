{#-
    Is the raw-row accounting still true? One row per nba_raw table and
    accounting_date found in the raw rows now or in raw_row_accounting: the
    raw rows counted when the accounting was built, the raw rows now, and
    accounting_state:
      current          the same rows (count and content fingerprint);
      raw_rows_changed rows were added, removed or edited after the accounting
                       was built: its counts and the quarantine are stale;
      not_accounted    raw rows of a date no backfill or build has counted;
      raw_rows_gone    every raw row of an accounted date was deleted.
    `nba-pipeline status` and `validate` read it, so that neither reports an
    accounting older than the raw rows without saying so. A view: it reads the
    raw tables when queried (filter it by accounting_date).
-#}

with

{% for table in nba_raw_tables() %}
    {{ table.name }}_now as (

        {{ raw_row_fingerprints(table) }}

    ),

{% endfor %}
raw_now as (

    {% for table in nba_raw_tables() -%}
        select * from {{ table.name }}_now
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),

accounted as (

    select
        source_table,
        accounting_date,
        raw_rows,
        raw_fingerprint,
        accounted_at
    from {{ ref('raw_row_accounting') }}

),

final as (

    select
        coalesce(raw_now.source_table, accounted.source_table) as source_table,
        coalesce(raw_now.accounting_date, accounted.accounting_date) as accounting_date,
        accounted.raw_rows as accounted_raw_rows,
        coalesce(raw_now.raw_rows, 0) as raw_rows_now,
        accounted.accounted_at,
        case
            when accounted.source_table is null then 'not_accounted'
            when raw_now.source_table is null
                then
                    case when accounted.raw_rows = 0 then 'current' else 'raw_rows_gone' end
            when accounted.raw_rows <> raw_now.raw_rows
                or accounted.raw_fingerprint <> raw_now.raw_fingerprint then 'raw_rows_changed'
            else 'current'
        end as accounting_state
    from raw_now
    full outer join accounted
        on raw_now.source_table = accounted.source_table
        and raw_now.accounting_date = accounted.accounting_date

)

select * from final
