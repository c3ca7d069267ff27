{#-
    The raw-row accounting by date: which date a raw row is counted under, the
    window a run counts, and the fingerprint that tells when raw rows changed
    after they were counted. Used by raw_quarantine, raw_row_accounting and
    raw_accounting_freshness (models/orchestration/).

    A raw row is counted under its accounting_date: its table's date column,
    except that a row without a date is counted under 1900-01-01 and a row
    dated after today under 9999-12-31. Every run counts its own dates and
    those two, so that an undated or future-dated row is counted (and
    quarantined) by any run, whatever its range.
-#}
{% macro accounting_sentinel_dates() -%}
    {{ return({'undated': '1900-01-01', 'future': '9999-12-31'}) }}
{%- endmacro %}


{% macro accounting_date(date_column) -%}
    {%- set sentinels = nba_pipeline.accounting_sentinel_dates() -%}
    case
        when {{ date_column }} is null then {{ nba_pipeline.date_literal(sentinels.undated) }}
        when {{ date_column }} > {{ nba_pipeline.warehouse_today() }}
            then {{ nba_pipeline.date_literal(sentinels.future) }}
        else {{ date_column }}
    end
{%- endmacro %}


{#-
    The raw rows a run counts, as a predicate on the table's own date column
    (so that it pushes down to the scan): its dates (vars start_date /
    end_date), the undated rows and the future-dated ones. `true` without vars.
-#}
{% macro in_accounting_window(date_column) -%}
    {%- set window = nba_pipeline.in_run_window(date_column) -%}
    {%- if window == 'true' -%}
        true
    {%- else -%}
        ({{ window }} or {{ date_column }} is null
            or {{ date_column }} > {{ nba_pipeline.warehouse_today() }})
    {%- endif -%}
{%- endmacro %}


{#-
    config() of a date-incremental accounting model (raw_quarantine,
    raw_row_accounting), partitioned by accounting_date: a run replaces its
    own dates and the two sentinel dates (strategy replace_date_range on
    DuckDB, a static insert_overwrite on BigQuery). Without start/end vars
    the whole table is rebuilt (a table on BigQuery).
-#}
{% macro accounting_incremental_config(cluster_by=none) -%}
    {%- set sentinels = nba_pipeline.accounting_sentinel_dates() -%}
    {%- set cfg = {
        'materialized': 'incremental',
        'incremental_strategy': 'replace_date_range',
        'on_schema_change': nba_pipeline.incremental_on_schema_change(),
        'meta': {
            'date_column': 'accounting_date',
            'always_replaced_dates': [sentinels.undated, sentinels.future],
            'incremental_fallback': false,
            'lookback_days': 0,
        },
    } -%}
    {%- if target.type == 'bigquery' -%}
        {%- set partitions = nba_pipeline.static_partitions() -%}
        {%- if partitions -%}
            {%- do cfg.update({
                'incremental_strategy': 'insert_overwrite',
                'partitions': partitions + [
                    "date('" ~ sentinels.undated ~ "')", "date('" ~ sentinels.future ~ "')"],
            }) -%}
        {%- else -%}
            {%- do cfg.update({'materialized': 'table'}) -%}
        {%- endif -%}
    {%- endif -%}
    {%- do cfg.update(nba_pipeline.warehouse_layout('accounting_date', cluster_by)) -%}
    {{- return(cfg) -}}
{%- endmacro %}


{#-
    config() of a staging base model (models/staging/nba_raw/base) on DuckDB:
    a table kept by date, like the accounting. A run with start/end vars (the
    runner's staging step) replaces the rows of its accounting window only:
    its dates, the undated rows and the future-dated ones
    (replace_date_range with meta replaced_window 'accounting'); without vars,
    and when the table does not exist yet, every raw row is classified again.
    Exact, because a base model's row of date D depends only on raw rows of D
    and on the schedule's games of D: classify_raw_rows partitions by natural
    key and date, schedule_match joins on the date. Like the accounting, a
    date's staged rows are those of the last run that covered it
    (raw_accounting_freshness names the dates whose raw rows changed since).
    BigQuery: a view, like the folder's other models (its reads prune the raw
    partitions).
-#}
{% macro staging_incremental_config(date_column) -%}
    {%- if target.type == 'bigquery' -%}
        {{- return({'materialized': 'view'}) -}}
    {%- endif -%}
    {{- return({
        'materialized': 'incremental',
        'incremental_strategy': 'replace_date_range',
        'on_schema_change': nba_pipeline.incremental_on_schema_change(),
        'meta': {
            'date_column': date_column,
            'replaced_window': 'accounting',
            'incremental_fallback': false,
        },
    }) -}}
{%- endmacro %}


{#-
    The input filter of a staging base model (staging_incremental_config): on
    an incremental run, in_accounting_window of the date column; otherwise
    (a view, a first build, no vars, a unit test: no `this`) `true`.
-#}
{% macro in_staging_window(date_column) -%}
    {{- nba_pipeline.in_accounting_window(date_column) if this is not none and is_incremental() else 'true' -}}
{%- endmacro %}


{#-
    One row per accounting_date of a raw table: raw_rows and raw_fingerprint
    (an order-independent digest of the rows' content, so that an edited row
    changes it as well as an added or deleted one). `where` is a predicate on
    the table's date column. The one definition of both the accounting's raw
    side and the freshness check. Returns a complete select.
-#}
{% macro raw_row_fingerprints(table, where=none) -%}
    select
        '{{ table.name }}' as source_table,
        {{ nba_pipeline.accounting_date(table.date_column) }} as accounting_date,
        count(*) as raw_rows,
        {{ nba_pipeline.row_digest_aggregate('source_row') }} as raw_fingerprint
    from {{ source('nba_raw', table.name) }} as source_row
    {%- if where %}
    where {{ where }}
    {%- endif %}
    group by 1, 2
{%- endmacro %}


{#-
    An order-independent digest of the rows of a FROM alias, as an integer:
    the XOR of each row's 64-bit hash (DuckDB: hash of the row; BigQuery: the
    first 60 bits of the MD5 of its JSON text, which the CI emulator runs too,
    unlike FARM_FINGERPRINT). Comparable only within one engine.
-#}
{% macro row_digest_aggregate(alias) -%}
    {{ return(adapter.dispatch('row_digest_aggregate', 'nba_pipeline')(alias)) }}
{%- endmacro %}

{% macro default__row_digest_aggregate(alias) -%}
    cast(bit_xor(hash({{ alias }})) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro bigquery__row_digest_aggregate(alias) -%}
    cast(bit_xor(cast(concat('0x', substr(to_hex(md5(to_json_string({{ alias }}))), 1, 15)) as int64))
        as {{ dbt.type_string() }})
{%- endmacro %}
