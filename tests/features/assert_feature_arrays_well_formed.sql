{#-
    ml_feature_store_v2 arrays: feature_count = 33 = length of features =
    length of feature_names = length of feature_sources; feature_names are
    the names of feature_store_features() in order; feature_version is the
    current one; no feature is NULL (a missing value is NaN: BigQuery refuses
    NULL array elements); every source is a known source label. Returns the
    offending rows with the reason.
-#}
{%- set features = feature_store_features() -%}
{%- set sources = feature_source_weights().keys() | list -%}

with

ml_feature_store_v2 as (

    select
        game_date,
        player_lookup,
        feature_count,
        feature_version,
        features,
        feature_names,
        feature_sources
    from {{ audited(ref('ml_feature_store_v2')) }}
    where {{ in_run_window('game_date') }}

),

validation_errors as (

    select
        game_date,
        player_lookup,
        'array lengths' as reason
    from ml_feature_store_v2
    where not (
            feature_count = {{ features | length }}
            and {{ array_size('features') }} = {{ features | length }}
            and {{ array_size('feature_names') }} = {{ features | length }}
            and {{ array_size('feature_sources') }} = {{ features | length }}
        )

    union all

    select
        game_date,
        player_lookup,
        'feature_version' as reason
    from ml_feature_store_v2
    where feature_version <> '{{ feature_store_version() }}'

    {%- for f in features %}

        union all

        select
            game_date,
            player_lookup,
            'feature {{ f.index }} ({{ f.name }}): NULL value, wrong name or unknown source' as reason
        from ml_feature_store_v2
        where {{ array_at('features', f.index) }} is null
            or coalesce({{ array_at('feature_names', f.index) }}, '') <> '{{ f.name }}'
            or coalesce({{ array_at('feature_sources', f.index) }}, '')
            not in ('{{ sources | join("', '") }}')
    {%- endfor %}

)

select * from validation_errors
