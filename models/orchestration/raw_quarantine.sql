{#-
    Every raw row that staging could not use, with its reason: nothing is
    dropped silently (decisions.md, fixed quirk 8). One row per quarantined raw
    row of the 11 nba_raw tables; the raw row itself is kept as JSON text.
    Built by date (accounting_date, macros/staging/raw_accounting.sql): a run
    replaces the rows of its own dates, of undated rows and of future-dated
    rows. Superseded and excluded rows are not here: they are counted in
    raw_row_accounting and stay visible in the base models.
-#}
{{ config(**accounting_incremental_config(['source_table', 'reason'])) }}

-- one CTE per raw table, written by Jinja loops: the linter would indent the loops' bodies,
-- and the date column is its own alias for the tables whose date is game_date
-- noqa: disable=LT02,AL09
with

{% for table in nba_raw_tables() %}
{{ table.name }} as (

    select
        '{{ table.name }}' as source_table,
        rejection_reason as reason,
        '{{ table.date_column }}' as date_column,
        {{ table.date_column }} as game_date,
        {{ accounting_date(table.date_column) }} as accounting_date,
        natural_key,
        row_ordinal,
        processed_at,
        raw_row
    from {{ ref('base_nba_raw__' ~ table.name) }}
    where row_disposition = 'quarantined'
        and {{ in_accounting_window(table.date_column) }}

),

{% endfor %}
unioned as (

    {% for table in nba_raw_tables() -%}
    select * from {{ table.name }}
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),
-- noqa: enable=LT02,AL09

final as (

    select
        source_table,
        reason,
        date_column,
        game_date,
        accounting_date,
        natural_key,
        processed_at,
        row_ordinal,
        raw_row
    from unioned

)

select * from final
