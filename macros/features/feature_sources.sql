{#-
    A feature's value and its source from an ordered list of candidate
    sources (domain.md §3.5: Phase 4 → Phase 3 → default). Each candidate is
    (SQL value, source label); the first non-NULL value wins. When none has a
    value the feature takes `default` with source 'default', or, without a
    default (none), NULL with source 'missing' (NaN in the features array).
    Emits two select-list items: <name>_value and <name>_source.

    {{ feature_from_sources('f0', [('pdc.points_avg_last_5', 'phase4'),
                                   ('l5_points_avg', 'phase3')], 10.0) }}
-#}
{% macro feature_from_sources(name, candidates, default=none) -%}
    cast(coalesce(
        {%- for value, source in candidates %}
        {{ value }},
        {%- endfor %}
        {{ 'null' if default is none else default }}
    ) as {{ type_float64() }}) as {{ name }}_value,
    case
        {%- for value, source in candidates %}
        when {{ value }} is not null then '{{ source }}'
        {%- endfor %}
        else '{{ 'missing' if default is none else 'default' }}'
    end as {{ name }}_source
{%- endmacro %}


{#-
    A PGS row counts as a played game (the same filter as Phase 3 and
    PDC, domain.md §3.3): points present and (points > 0 or minutes present),
    and not a DNP.
-#}
{% macro is_played_game(relation_alias) -%}
    ({{ relation_alias }}.points is not null
        and ({{ relation_alias }}.points > 0 or {{ relation_alias }}.minutes_played is not null)
        and not coalesce({{ relation_alias }}.is_dnp, false))
{%- endmacro %}
