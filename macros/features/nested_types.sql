{#-
    Arrays, structs and NaN differ between DuckDB and BigQuery. Every use in
    the feature store, its tests and the ml_training_set view goes through one
    of these dispatched macros (default__ = DuckDB, the embedded default).
-#}

{#- A FLOAT64 NaN (a missing feature inside the features array). -#}
{% macro float_nan() -%}
    {{ return(adapter.dispatch('float_nan', 'nba_pipeline')()) }}
{%- endmacro %}

{% macro default__float_nan() -%}
    cast('NaN' as double)
{%- endmacro %}

{% macro bigquery__float_nan() -%}
    ieee_divide(0, 0)
{%- endmacro %}


{#- True when a FLOAT64 expression is NaN (false for NULL). -#}
{% macro is_nan(expr) -%}
    {{ return(adapter.dispatch('is_nan', 'nba_pipeline')(expr)) }}
{%- endmacro %}

{% macro default__is_nan(expr) -%}
    coalesce(isnan({{ expr }}), false)
{%- endmacro %}

{% macro bigquery__is_nan(expr) -%}
    coalesce(is_nan({{ expr }}), false)
{%- endmacro %}


{#- An array literal from a list of SQL expressions (same syntax on both). -#}
{% macro array_of(expressions) -%}
    [{{ expressions | join(', ') }}]
{%- endmacro %}


{#- An empty array of the given element type (DATE, STRING, ...). -#}
{% macro empty_array(element_type) -%}
    {{ return(adapter.dispatch('empty_array', 'nba_pipeline')(element_type)) }}
{%- endmacro %}

{% macro default__empty_array(element_type) -%}
    cast([] as {{ element_type }}[])
{%- endmacro %}

{% macro bigquery__empty_array(element_type) -%}
    cast([] as array<{{ element_type }}>)
{%- endmacro %}


{#-
    array_agg of the non-NULL values of expr, ordered; an empty array (never
    NULL) when there are none. BigQuery refuses NULL elements (ignore nulls);
    DuckDB keeps them (filter).
-#}
{% macro array_agg_non_null(expr, order_by, element_type) -%}
    {{ return(adapter.dispatch('array_agg_non_null', 'nba_pipeline')(expr, order_by, element_type)) }}
{%- endmacro %}

{% macro default__array_agg_non_null(expr, order_by, element_type) -%}
    coalesce(
        array_agg({{ expr }} order by {{ order_by }})
            filter (where {{ expr }} is not null),
        {{ default__empty_array(element_type) }}
    )
{%- endmacro %}

{% macro bigquery__array_agg_non_null(expr, order_by, element_type) -%}
    coalesce(
        array_agg({{ expr }} ignore nulls order by {{ order_by }}),
        {{ bigquery__empty_array(element_type) }}
    )
{%- endmacro %}


{#- Number of elements of an array (0 for an empty one). -#}
{% macro array_size(expr) -%}
    {{ return(adapter.dispatch('array_size', 'nba_pipeline')(expr)) }}
{%- endmacro %}

{% macro default__array_size(expr) -%}
    len({{ expr }})
{%- endmacro %}

{% macro bigquery__array_size(expr) -%}
    array_length({{ expr }})
{%- endmacro %}


{#- The element at a 0-based position (DuckDB lists are 1-based). -#}
{% macro array_at(expr, index) -%}
    {{ return(adapter.dispatch('array_at', 'nba_pipeline')(expr, index)) }}
{%- endmacro %}

{% macro default__array_at(expr, index) -%}
    {{ expr }}[{{ index | int + 1 }}]
{%- endmacro %}

{% macro bigquery__array_at(expr, index) -%}
    {{ expr }}[safe_offset({{ index }})]
{%- endmacro %}


{#-
    A struct from an ordered list of (field name, SQL expression) pairs:
    struct_of([('games_found', 'n'), ...]).
-#}
{% macro struct_of(fields) -%}
    {{ return(adapter.dispatch('struct_of', 'nba_pipeline')(fields)) }}
{%- endmacro %}

{% macro default__struct_of(fields) -%}
    struct_pack(
        {%- for name, expr in fields %}
        {{ name }} := {{ expr }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    )
{%- endmacro %}

{% macro bigquery__struct_of(fields) -%}
    struct(
        {%- for name, expr in fields %}
        {{ expr }} as {{ name }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    )
{%- endmacro %}


{#-
    A struct field (the same dot syntax on both engines; a macro so that every
    access is found in one grep and a future engine can differ).
-#}
{% macro struct_field(expr, field) -%}
    ({{ expr }}).{{ field }}
{%- endmacro %}


{#-
    FROM-clause fragment joining each row to the elements of one of its
    arrays: `from t {{ unnest_join('t.dates', 'd') }}` gives column d (rows
    with an empty array disappear).
-#}
{% macro unnest_join(array_expr, alias) -%}
    {{ return(adapter.dispatch('unnest_join', 'nba_pipeline')(array_expr, alias)) }}
{%- endmacro %}

{% macro default__unnest_join(array_expr, alias) -%}
    cross join unnest({{ array_expr }}) as {{ alias }}_unnested({{ alias }})
{%- endmacro %}

{% macro bigquery__unnest_join(array_expr, alias) -%}
    cross join unnest({{ array_expr }}) as {{ alias }}
{%- endmacro %}
