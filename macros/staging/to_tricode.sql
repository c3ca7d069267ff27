{#-
    A team code from any source → the NBA.com tricode, from the vars
    `nba_tricodes` (the 30 tricodes, kept as they are) and `team_code_variants`
    (ESPN / Basketball-Reference codes such as BRK, UTAH). Case-insensitive and
    trimmed. NULL, blank or unknown → NULL.
-#}
{% macro to_tricode(expr) -%}
    case upper(trim({{ expr }}))
        {%- for tricode in var('nba_tricodes') %}
        when '{{ tricode }}' then '{{ tricode }}'
        {%- endfor %}
        {%- for variant, tricode in var('team_code_variants').items() %}
        when '{{ nba_pipeline._yaml_code(variant) }}' then '{{ tricode }}'
        {%- endfor %}
    end
{%- endmacro %}


{#-
    A YAML 1.1 loader reads an unquoted NO (New Orleans' ESPN code) as the
    boolean false (and Y / YES / ON as true): give such a key back its code.
-#}
{% macro _yaml_code(key) -%}
    {%- if key is sameas false -%}
        NO
    {%- elif key is sameas true -%}
        {{ exceptions.raise_compiler_error(
            "team_code_variants: a key was read as the boolean true; quote it in dbt_project.yml") }}
    {%- else -%}
        {{ key | string | upper | trim }}
    {%- endif -%}
{%- endmacro %}


{#- True when a team code is present (non-blank) but is neither a tricode nor a known variant. -#}
{% macro is_unknown_team(expr) -%}
    (nullif(trim({{ expr }}), '') is not null and {{ nba_pipeline.to_tricode(expr) }} is null)
{%- endmacro %}


{#- True when any of the given team-code expressions is unknown (see is_unknown_team). -#}
{% macro has_unknown_team(exprs) -%}
    (
    {%- for expr in exprs %}
        {{ nba_pipeline.is_unknown_team(expr) }}{{ ' or' if not loop.last }}
    {%- endfor %}
    )
{%- endmacro %}
