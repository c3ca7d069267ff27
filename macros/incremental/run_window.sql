{#-
    The run window: which dates an incremental model writes in this run.

    - in a microbatch batch (benchmark only, var bench_strategy): the batch's days;
    - vars start_date / end_date (ISO dates, inclusive; either may be set alone);
    - otherwise, on an incremental run, from the model's latest date minus
      var('incremental_lookback_days') to open-ended (unless the model's meta
      says incremental_fallback: false, as the raw accounting does);
    - otherwise (first build, --full-refresh, tests without vars): unbounded.

    Returns {'start': 'YYYY-MM-DD' | none, 'end': 'YYYY-MM-DD' | none}.
    The date column of an incremental model is its config meta.date_column.
-#}
{% macro run_window() -%}
    {%- set start = _nba_iso_date_var('start_date') -%}
    {%- set end = _nba_iso_date_var('end_date') -%}
    {%- if model is defined and model is mapping and model.get('batch') -%}
        {#- a microbatch batch (the benchmark's bench_strategy): its day(s), end exclusive -#}
        {%- set start = (model.batch.event_time_start | string)[:10] -%}
        {%- set end = (modules.datetime.date.fromisoformat((model.batch.event_time_end | string)[:10])
                       - modules.datetime.timedelta(days=1)).isoformat() -%}
    {%- endif -%}
    {%- if start and end and end < start -%}
        {{ exceptions.raise_compiler_error(
            "var end_date " ~ end ~ " is before start_date " ~ start) }}
    {%- endif -%}
    {%- if start is none and end is none and execute
            and model is defined and model.resource_type == 'model'
            and model.config.meta.get('incremental_fallback', true) and is_incremental() -%}
        {%- set date_column = model.config.meta.get('date_column') -%}
        {%- if date_column -%}
            {%- set latest = run_query(
                "select max(" ~ date_column ~ ") from " ~ this).columns[0].values()[0] -%}
            {%- if latest is not none -%}
                {%- set latest = modules.datetime.date.fromisoformat(latest | string) -%}
                {%- set start = (latest - modules.datetime.timedelta(
                    days=var('incremental_lookback_days') | int)).isoformat() -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {{- return({'start': start, 'end': end}) -}}
{%- endmacro %}


{#-
    Predicate keeping the rows of `column` inside the run window, widened back
    by `lookback_days` (the history a window function needs). `true` when the
    window is unbounded. Every model filters its inputs and its output with
    this one macro: models never write their own date-range logic.
-#}
{% macro in_run_window(column, lookback_days=0) -%}
    {%- set window = run_window() -%}
    {%- set clauses = [] -%}
    {%- if window.start -%}
        {%- set first = (modules.datetime.date.fromisoformat(window.start)
                         - modules.datetime.timedelta(days=lookback_days | int)).isoformat() -%}
        {%- do clauses.append(column ~ " >= " ~ date_literal(first)) -%}
    {%- endif -%}
    {%- if window.end -%}
        {%- do clauses.append(column ~ " <= " ~ date_literal(window.end)) -%}
    {%- endif -%}
    {{- '(' ~ (clauses | join(' and ')) ~ ')' if clauses else 'true' -}}
{%- endmacro %}


{% macro date_literal(iso_date) -%}
    cast('{{ iso_date }}' as date)
{%- endmacro %}


{% macro _nba_iso_date_var(name) -%}
    {%- set value = var(name, none) -%}
    {%- if value is none or (value | string | trim) in ('', 'none', 'None', 'null') -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set text = value | string | trim -%}
    {%- if not modules.re.match('^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$', text) -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " must be an ISO date YYYY-MM-DD, got '" ~ text ~ "'") }}
    {%- endif -%}
    {%- set parsed = modules.datetime.date.fromisoformat(text) -%}
    {{- return(parsed.isoformat()) -}}
{%- endmacro %}
