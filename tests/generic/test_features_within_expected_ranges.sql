{#-
    Write-time ranges of the feature store (domain.md §3.5 "Expected
    ranges"): every feature of feature_store_features() whose range
    severity is `severity_level` lies inside its [low, high] range. NaN
    (missing) values are not checked. Returns one row per offending value:
    game_date, player_lookup, feature_index, feature_name, feature_value,
    range_low, range_high. Honours the run window.

    data_tests:
      - features_within_expected_ranges:
          arguments: {severity_level: error}   # fatigue_score only
      - features_within_expected_ranges:
          arguments: {severity_level: warn}
          config: {severity: warn}
-#}
{% test features_within_expected_ranges(model, severity_level='warn', column_name='features') %}
    {%- set checked = [] -%}
    {%- for f in feature_store_features() if f.range -%}
        {%- if f.get('range_severity', 'warn') == severity_level -%}
            {%- do checked.append(f) -%}
        {%- endif -%}
    {%- endfor %}

    with

    feature_rows as (

        select
            game_date,
            player_lookup,
            {{ column_name }} as feature_array
        from {{ model }}
        where {{ in_run_window('game_date') }}

    ),

    validation_errors as (

        {%- for f in checked %}
        select
            game_date,
            player_lookup,
            {{ f.index }} as feature_index,
            '{{ f.name }}' as feature_name,
            {{ array_at('feature_array', f.index) }} as feature_value,
            {{ f.range[0] }} as range_low,
            {{ f.range[1] }} as range_high
        from feature_rows
        where not {{ is_nan(array_at('feature_array', f.index)) }}
            and ({{ array_at('feature_array', f.index) }} < {{ f.range[0] }}
                or {{ array_at('feature_array', f.index) }} > {{ f.range[1] }})
        {% if not loop.last %}union all{% endif %}
        {%- endfor %}
        {%- if not checked %}
        select
            game_date,
            player_lookup,
            -1 as feature_index,
            '' as feature_name,
            0.0 as feature_value,
            0 as range_low,
            0 as range_high
        from feature_rows
        where false
        {%- endif %}

    )

    select * from validation_errors
{% endtest %}
