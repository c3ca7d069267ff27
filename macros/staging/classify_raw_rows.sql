{#-
    Classify every raw row of a base model: the one place that decides what is
    staged, what is quarantined (and why) and what is superseded.

    relation             the CTE holding the cleaned columns, processed_at,
                         data_hash, source_file_path and `raw_record` (the
                         source row as a struct: `select source as raw_record`),
                         one row per raw row, nothing filtered
    natural_key          list of cleaned key columns (schema.py natural_key)
    date_column          the table's date column; added to the dedup partition
                         (natural key + date) so that date filters push down
    player_columns       cleaned player_lookup columns that must resolve; a NULL
                         one gives `unresolvable_player` (and is not a null_key)
    unknown_team         boolean SQL on relation: a team code that is neither a
                         tricode nor a known variant
    malformed_minutes    boolean SQL on relation: minutes that do not parse
    order_by             dedup preference among usable rows, best first

    rejection_reason, the first that matches, in this order:
      1. null_key             a natural-key column is NULL or blank (player
                              columns aside; a key team code that is present
                              but unknown is left to unknown_team)
      2. unresolvable_player  a player column normalises to nothing
      3. unknown_team         a team code that maps to no tricode
      4. malformed_minutes    minutes that do not parse (or missing where required)
      5. duplicate_row        a usable row equal to the kept row on the natural
                              key and on every order_by value (same processed_at)
    row_disposition: 'staged' (the kept row of its key), 'superseded' (a usable
    row that lost to a better one: a later processed_at, or for the schedule a
    higher game_status: a correction, not an error), 'quarantined' (a reason).

    Adds: row_ordinal (1, 2, … among the raw rows of one natural key and date:
    with natural_key and the date column, the base model's primary key, even
    for exact duplicates), rejection_reason, row_disposition, natural_key (readable text such as
    game_id=20241022_NYK_BOS|player_lookup=jalenbrunson), raw_row (the raw
    row as JSON text, for quarantined rows only: serialising every row would
    double the cost of the staging views) and dedup_rank (1 =
    kept, 2.. = the order in which the other usable rows of the key lost; NULL
    for rows rejected by checks 1–4). Ties on every order_by value are broken
    by data_hash then source_file_path, so the choice is stable.
-#}
{% macro classify_raw_rows(
    relation,
    natural_key,
    date_column,
    player_columns=[],
    unknown_team=none,
    malformed_minutes=none,
    order_by=['processed_at desc']
) -%}
    {%- set key_columns = [] -%}
    {%- for column in natural_key if column not in player_columns -%}
        {%- do key_columns.append(column) -%}
    {%- endfor -%}
    {%- set partition_columns = natural_key if date_column in natural_key
                                else natural_key + [date_column] -%}
    {%- set partition_by -%}
        check_reason is null, {{ partition_columns | join(', ') }}
    {%- endset -%}
    {%- set preference = [] -%}
    {%- for term in order_by -%}
        {%- do preference.append(term ~ ' nulls last') -%}
    {%- endfor %}

    with

    checked as (
        select
            *,
            case
                {%- if key_columns %}
                when ({% for column in key_columns -%}
                    {{ column }} is null{{ ' or ' if not loop.last }}
                {%- endfor %})
                    {%- if unknown_team %} and not coalesce({{ unknown_team }}, false){% endif %}
                    then 'null_key'
                {%- endif %}
                {%- if player_columns %}
                when {% for column in player_columns -%}
                    {{ column }} is null{{ ' or ' if not loop.last }}
                {%- endfor %} then 'unresolvable_player'
                {%- endif %}
                {%- if unknown_team %}
                when {{ unknown_team }} then 'unknown_team'
                {%- endif %}
                {%- if malformed_minutes %}
                when {{ malformed_minutes }} then 'malformed_minutes'
                {%- endif %}
            end as check_reason
        from {{ relation }}
    ),

    ranked as (
        select
            *,
            row_number() over (
                partition by {{ partition_by }}
                order by {{ preference | join(', ') }}, data_hash, source_file_path
            ) as row_rank,
            rank() over (
                partition by {{ partition_by }}
                order by {{ preference | join(', ') }}
            ) as preference_rank,
            row_number() over (
                partition by {{ partition_columns | join(', ') }}
                order by
                    case when check_reason is null then 0 else 1 end,
                    {{ preference | join(', ') }}, data_hash, source_file_path
            ) as row_ordinal
        from checked
    ),

    final as (
        select
            {{ nba_pipeline.star_except(['raw_record', 'check_reason', 'row_rank', 'preference_rank']) }},
            case
                when check_reason is not null then check_reason
                when row_rank > 1 and preference_rank = 1 then 'duplicate_row'
            end as rejection_reason,
            case
                when check_reason is not null then 'quarantined'
                when row_rank = 1 then 'staged'
                when preference_rank = 1 then 'quarantined'
                else 'superseded'
            end as row_disposition,
            {% for column in natural_key -%}
                '{{ column }}=' || coalesce(cast({{ column }} as {{ dbt.type_string() }}), 'NULL')
                {{- " || '|' ||" if not loop.last }}
            {% endfor -%}
            as natural_key,
            case when check_reason is null then row_rank end as dedup_rank,
            case
                when check_reason is not null or (row_rank > 1 and preference_rank = 1)
                    then {{ nba_pipeline.row_to_json_text('raw_record') }}
            end as raw_row
        from ranked
    )

    select * from final
{%- endmacro %}
