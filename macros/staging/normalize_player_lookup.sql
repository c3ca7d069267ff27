{#-
    player_lookup normalisation (domain.md §7.1), in the production order:
      1. Unicode NFKC   2. Turkish ı → i, İ → I   3. strip diacritics
      4. casefold (ß → ss)   5. trailing " junior"/" senior" → jr/sr
         (" jr."/" sr." need nothing more: step 6 removes space and period)
      6./7. keep only [a-z0-9] (spaces, hyphens, apostrophes, periods, commas,
         underscores and any other character are removed).
    Returns NULL when nothing is left (NULL input, or a name made only of
    punctuation), so `coalesce(normalize(lookup), normalize(name))` works.

    DuckDB has no NFKC: it composes with NFC and strips accents with
    strip_accents(), which covers every letter with combining marks, and
    maps the full-width letters and digits to ASCII as NFKC does
    (fullwidth_to_ascii); other
    compatibility forms (ligatures) are then dropped as non-[a-z0-9]. BigQuery uses NORMALIZE(NFKC) and NORMALIZE_AND_CASEFOLD(NFKD)
    then removes \pM marks. The BigQuery emulator has no NORMALIZE: on the
    `emulator` target (or with --vars '{nba_unicode_normalize: false}') steps 1
    and 3 are a TRANSLATE of the precomposed Latin letters instead (same result
    for Latin names).
-#}
{% macro normalize_player_lookup(expr) -%}
    {#- a lookup already made of [a-z0-9] only (most raw lookups) comes out of every step unchanged:
        it skips the Unicode work, which costs most of a full refresh's staging time -#}
    (case when {{ nba_pipeline.regexp_matches_full(expr, '[a-z0-9]+') }} then {{ expr }}
        else {{ adapter.dispatch('normalize_player_lookup', 'nba_pipeline')(expr) }} end)
{%- endmacro %}

{% macro default__normalize_player_lookup(expr) -%}
    {#- Steps 1-3 leave ASCII text unchanged and step 4 is lower() on it, so ASCII text (most raw
        names) skips the Unicode work, whose TRANSLATE alone cost ≈ 4 µs a row. The guard sits
        inside the expression: DuckDB hoists a repeated expression out of the CASE of
        normalize_player_lookup above and evaluates it on every row. -#}
    {%- set folded -%}
        (case when regexp_full_match({{ expr }}, '[\x00-\x7f]*') then lower({{ expr }})
            else replace(lower(strip_accents(
                replace(replace(nfc_normalize({{ nba_pipeline.fullwidth_to_ascii(expr) }}), 'ı', 'i'), 'İ', 'I')
            )), 'ß', 'ss') end)
    {%- endset -%}
    {{ nba_pipeline._finish_player_lookup(folded) }}
{%- endmacro %}

{% macro bigquery__normalize_player_lookup(expr) -%}
    {%- if var('nba_unicode_normalize', target.name != 'emulator') -%}
        {%- set folded -%}
            regexp_replace(normalize_and_casefold(
                replace(replace(normalize({{ expr }}, NFKC), 'ı', 'i'), 'İ', 'I'),
                NFKD
            ), r'\pM', '')
        {%- endset -%}
    {%- else -%}
        {#- no NORMALIZE: fold the precomposed Latin letters whose NFKD is an
            ASCII letter plus marks (what steps 1 and 3 do to them) -#}
        {%- set folded -%}
            replace(translate(
                lower(replace(replace({{ nba_pipeline.fullwidth_to_ascii(expr) }}, 'ı', 'i'), 'İ', 'I')),
                'àáâãäåçèéêëìíîïñòóôõöùúûüýÿāăąćĉċčďēĕėęěĝğġģĥĩīĭįĵķĺļľńņňōŏőŕŗřśŝşšţťũūŭůűųŵŷźżžſơưǎǐǒǔǖǘǚǜǟǡǧǩǫǭǰǵǹǻȁȃȅȇȉȋȍȏȑȓȕȗșțȟȧȩȫȭȯȱȳ',
                'aaaaaaceeeeiiiinooooouuuuyyaaaccccdeeeeegggghiiiijklllnnnooorrrssssttuuuuuuwyzzzsouaiouuuuuaagkoojgnaaaeeiioorruusthaeooooy'
            ), 'ß', 'ss')
        {%- endset -%}
    {%- endif -%}
    {{ nba_pipeline._finish_player_lookup(folded) }}
{%- endmacro %}

{#-
    NFKC's mapping of the full-width letters and digits to ASCII, and of the
    ideographic space to a space ('Ａｎｔｈｏｎｙ' → 'Anthony'; full-width
    punctuation is removed later like any other), for the
    engines without NORMALIZE(NFKC). Without it a full-width name would lose
    its letters and could resolve to another player ('Ａｎｔｈｏｎｙ Williams'
    → 'williams').
-#}
{% macro fullwidth_to_ascii(expr) -%}
    translate({{ expr }}, '０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ　', '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz ')
{%- endmacro %}


{#- steps 5–7 on casefolded text, the same on every engine -#}
{% macro _finish_player_lookup(folded) -%}
    nullif(
        {{ nba_pipeline.regexp_replace_all(
            nba_pipeline.regexp_replace_all(
                nba_pipeline.regexp_replace_all(
                    'trim(' ~ folded ~ ')',
                    '[[:space:]]+junior$', 'jr'),
                '[[:space:]]+senior$', 'sr'),
            '[^a-z0-9]', '') }},
        ''
    )
{%- endmacro %}


{#-
    BigDataBall lookups may carry a numeric NBA-id prefix ("1629029lukadoncic"):
    normalise, then strip the leading digits. NULL when nothing is left.
-#}
{% macro strip_lookup_id_prefix(expr) -%}
    nullif(regexp_replace({{ nba_pipeline.normalize_player_lookup(expr) }}, '^[0-9]+', ''), '')
{%- endmacro %}
