{#-
    DNP / inactive reason → category, by keyword in this order (domain.md §2.3):
    injury, rest, personal, coach_decision, otherwise other. NULL for an active
    player (the caller passes is_active); 'other' when the reason is missing.
    The keyword lists are macro arguments so a test or a caller can extend them.
-#}
{% macro dnp_reason_category(
    reason_expr,
    is_active_expr,
    injury_keywords=['injury', 'injured', 'illness', 'ill', 'sick', 'sprain', 'strain',
                     'sore', 'knee', 'ankle', 'foot', 'toe', 'hamstring', 'calf', 'groin',
                     'hip', 'back', 'shoulder', 'wrist', 'hand', 'finger', 'thumb', 'elbow',
                     'achilles', 'concussion', 'fracture', 'surgery', 'contusion',
                     'tendinitis', 'protocol', 'covid', 'recovery', 'rehab'],
    rest_keywords=['rest', 'load management'],
    personal_keywords=['personal', 'family', 'bereavement'],
    coach_keywords=['coach', 'decision', 'not with team', 'suspension', 'suspended']
) -%}
    {%- set text = "lower(coalesce(" ~ reason_expr ~ ", ''))" -%}
    {%- set rules = [
        ('injury', injury_keywords),
        ('rest', rest_keywords),
        ('personal', personal_keywords),
        ('coach_decision', coach_keywords),
    ] -%}
    case
        when {{ is_active_expr }} then null
        {%- for category, keywords in rules %}
        when {{ nba_pipeline.regexp_contains_any(text, keywords) }} then '{{ category }}'
        {%- endfor %}
        else 'other'
    end
{%- endmacro %}


{#- True when text contains any of the keywords as a whole word (or phrase). -#}
{% macro regexp_contains_any(text, keywords) -%}
    {{ return(adapter.dispatch('regexp_contains_any', 'nba_pipeline')(text, keywords)) }}
{%- endmacro %}

{% macro default__regexp_contains_any(text, keywords) -%}
    regexp_matches({{ text }}, '(^|[^a-z])({{ keywords | join("|") }})($|[^a-z])')
{%- endmacro %}

{% macro bigquery__regexp_contains_any(text, keywords) -%}
    regexp_contains({{ text }}, r'(^|[^a-z])({{ keywords | join("|") }})($|[^a-z])')
{%- endmacro %}
