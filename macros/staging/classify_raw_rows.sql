{#-
    Classify every raw row of a base model: the one place that decides what is
    staged, excluded, quarantined (and why) and superseded. The rules and the
    order they are tested in are macros/staging/raw_row_rules.sql.

    relation             the CTE holding the cleaned columns, processed_at,
                         data_hash, source_file_path and `raw_record` (the
                         source row as a struct: `select source as raw_record`),
                         one row per raw row, nothing filtered
    natural_key          list of cleaned key columns (schema.py natural_key)
    date_column          the table's date column; added to the dedup partition
                         (natural key + date) so that date filters push down
    player_columns       cleaned player_lookup columns that must resolve; a NULL
                         one gives `unresolvable_player` (and is not a null_key)
    checks               {reason: boolean SQL on relation} for the row rules of
                         raw_row_reasons() this table has (unknown_team,
                         malformed_minutes, negative_stat, ...); null_key and
                         unresolvable_player come from the two arguments above
    excluded             SQL on relation giving an exclusion reason
                         (preseason_game, all_star_game) or NULL
    one_game_per_day     {'player': column, 'game': column}: a player found in
                         two games on one date (among the rows no other rule
                         rejected) gives `player_on_two_teams` on every such row
    order_by             dedup preference among usable rows, best first

    The reason of a row is the first that matches, in the order of
    raw_row_reasons(): an exclusion first (nothing else is judged on a game the
    pipeline does not process), then null_key (a key team code that is present
    but unknown is left to unknown_team), unresolvable_player, the checks,
    player_on_two_teams, and duplicate_row (a usable row equal to the kept row
    on the natural key and on every order_by value).
    row_disposition: 'staged' (the kept row of its key), 'excluded', 'quarantined'
    (a reason), 'superseded' (a usable row that lost to a better one: a later
    processed_at, or for the schedule a higher game_status: a correction, not
    an error).

    Adds: row_ordinal (1, 2, … among the raw rows of one natural key and date,
    the kept row first, then the other usable rows in the order they lost:
    with natural_key and the date column, the base model's primary key, even
    for exact duplicates), exclusion_reason, rejection_reason (quarantine
    reasons only), row_disposition, natural_key (readable text such as
    game_id=20241022_NYK_BOS|player_lookup=jalenbrunson), raw_row (the raw row
    as JSON text, for quarantined rows only: serialising every row would double
    the cost of staging) and dedup_rank (1 = kept, 2.. = the order in
    which the other usable rows of the key lost; NULL for excluded and rejected
    rows). Ties on every order_by value are broken by data_hash then
    source_file_path, so the choice is stable.
-#}
{% macro classify_raw_rows(
    relation,
    natural_key,
    date_column,
    player_columns=[],
    checks={},
    excluded=none,
    one_game_per_day=none,
    order_by=['processed_at desc']
) -%}
    {%- set known = nba_pipeline.quarantine_reasons() -%}
    {%- for reason in checks if reason not in known
            or reason in ['null_key', 'unresolvable_player', 'player_on_two_teams', 'duplicate_row'] -%}
        {{ exceptions.raise_compiler_error(
            "classify_raw_rows: '" ~ reason ~ "' is not a row check of raw_row_reasons() (macros/staging/raw_row_rules.sql)") }}
    {%- endfor -%}
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

    checked_rows as (
        select
            *,
            {{ excluded if excluded else 'cast(null as ' ~ dbt.type_string() ~ ')' }} as exclusion_reason,
            case
                {%- if key_columns %}
                when ({% for column in key_columns -%}
                    {{ column }} is null{{ ' or ' if not loop.last }}
                {%- endfor %})
                    {%- if 'unknown_team' in checks %} and not coalesce({{ checks['unknown_team'] }}, false){% endif %}
                    then 'null_key'
                {%- endif %}
                {%- if player_columns %}
                when {% for column in player_columns -%}
                    {{ column }} is null{{ ' or ' if not loop.last }}
                {%- endfor %} then 'unresolvable_player'
                {%- endif %}
                {%- for reason in known if reason in checks %}
                when {{ checks[reason] }} then '{{ reason }}'
                {%- endfor %}
            end as row_check_reason
        from {{ relation }}
    ),

    {% if one_game_per_day -%}
    same_day as (
        select
            *,
            {%- for agg, name in [('min', 'first_game_of_day'), ('max', 'last_game_of_day')] %}
            {{ agg }}(
                case when exclusion_reason is null and row_check_reason is null
                    then {{ one_game_per_day.game }} end
            ) over (
                partition by {{ one_game_per_day.player }}, {{ date_column }}
            ) as {{ name }}{{ ',' if not loop.last }}
            {%- endfor %}
        from checked_rows
    ),

    checked as (
        select
            {{ nba_pipeline.star_except(['first_game_of_day', 'last_game_of_day']) }},
            case
                when exclusion_reason is not null then 'excluded'
                when row_check_reason is not null then row_check_reason
                when {{ one_game_per_day.game }} is not null
                    and first_game_of_day <> last_game_of_day then 'player_on_two_teams'
            end as check_reason
        from same_day
    ),
    {%- else -%}
    checked as (
        select
            *,
            case
                when exclusion_reason is not null then 'excluded'
                else row_check_reason
            end as check_reason
        from checked_rows
    ),
    {%- endif %}

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
            ) as preference_rank
        from checked
    ),

    ordered as (
        -- the kept row first, then the key's other usable rows in the order they lost (row_rank:
        -- exact duplicates tie on every column, and the ordinal must follow the one choice of the
        -- kept row, so that any run stages the same row under the same ordinal), then the rest
        select
            *,
            row_number() over (
                partition by {{ partition_columns | join(', ') }}
                order by
                    case when check_reason is null then 0 else 1 end,
                    row_rank
            ) as row_ordinal
        from ranked
    ),

    final as (
        select
            {{ nba_pipeline.star_except([
                'raw_record', 'row_check_reason', 'check_reason', 'row_rank', 'preference_rank',
            ]) }},
            case
                when exclusion_reason is not null then null
                when check_reason is not null then check_reason
                when row_rank > 1 and preference_rank = 1 then 'duplicate_row'
            end as rejection_reason,
            case
                when exclusion_reason is not null then 'excluded'
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
                when exclusion_reason is null
                    and (check_reason is not null or (row_rank > 1 and preference_rank = 1))
                    then {{ nba_pipeline.row_to_json_text('raw_record') }}
            end as raw_row
        from ordered
    )

    select * from final
{%- endmacro %}
