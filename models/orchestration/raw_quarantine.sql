{#-
    Every raw row that staging could not use, with its reason: nothing is
    dropped silently (decisions.md, fixed quirk 8). One row per quarantined raw
    row of the 11 nba_raw tables; the raw row itself is kept as JSON text.
    Superseded rows (older versions of a corrected row) are not here: they are
    counted in raw_row_accounting and stay visible in the base models.
-#}
{{ config(
    materialized='table',
    **warehouse_layout('game_date', ['source_table', 'reason']),
) }}

with

{% for table in nba_raw_tables() %}
{{ table.name }} as (

    select
        '{{ table.name }}' as source_table,
        rejection_reason as reason,
        '{{ table.date_column }}' as date_column,
        {{ table.date_column }} as game_date,
        natural_key,
        row_ordinal,
        processed_at,
        raw_row
    from {{ ref('base_nba_raw__' ~ table.name) }}
    where row_disposition = 'quarantined'

),

{% endfor %}
unioned as (

    {% for table in nba_raw_tables() -%}
    select * from {{ table.name }}
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

final as (

    select
        source_table,
        reason,
        date_column,
        game_date,
        natural_key,
        processed_at,
        row_ordinal,
        raw_row
    from unioned

)

select * from final
