{#-
    Regular expressions, RE2 syntax on both engines. Patterns are passed as
    plain text without quotes and must not contain a single quote.
-#}

{#- True when the whole of expr matches pattern. -#}
{% macro regexp_matches_full(expr, pattern) -%}
    {{ return(adapter.dispatch('regexp_matches_full', 'nba_pipeline')(expr, pattern)) }}
{%- endmacro %}

{% macro default__regexp_matches_full(expr, pattern) -%}
    regexp_full_match({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{% macro bigquery__regexp_matches_full(expr, pattern) -%}
    regexp_contains({{ expr }}, r'^(?:{{ pattern }})$')
{%- endmacro %}


{#- Replace every match of pattern in expr by replacement. -#}
{% macro regexp_replace_all(expr, pattern, replacement='') -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'nba_pipeline')(expr, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(expr, pattern, replacement='') -%}
    regexp_replace({{ expr }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{% macro bigquery__regexp_replace_all(expr, pattern, replacement='') -%}
    regexp_replace({{ expr }}, r'{{ pattern }}', '{{ replacement }}')
{%- endmacro %}
