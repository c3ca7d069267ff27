#!/usr/bin/env bash
# make test-bigquery (and the emulator step of `make test` when CI=true): the pipeline on the
# BigQuery target, end to end, against a local BigQuery API emulator (crucible-emulator, pinned
# in scripts/emulator-constraints.txt), and DuckDB = BigQuery over the same range.
#
#   1. the emulator in its own venv (.venv-emulator), started on 127.0.0.1 on a free port;
#   2. simulated raw rows of RAW_START..END into its nba_raw dataset (INSERT queries);
#   3. `nba-pipeline backfill` over START..END on --target emulator: staging views, every phase,
#      ledger, gates (the models' dbt tests), lock; then `status`, the orchestration models
#      (raw quarantine, row accounting) and `validate` (JSON);
#   4. meanwhile, in the background, the same on a DuckDB file;
#   5. the cross-engine equality check of every Phase 3, Phase 4 and feature-store table and
#      of validate's check outcomes (runner/services/compare.py: exits 1 naming the table, key
#      and column, or the check, that differ);
#   6. a summary (seconds per step, pass/fail); the emulator stopped by its PID (trap).
#
# Range (env): NBA_BQ_RAW_START (default 2024-10-22, the season's first day: Phase 4 needs
# its bootstrap), NBA_BQ_START (default = raw start), NBA_BQ_END (default 2024-11-20: two
# weeks after the bootstrap), NBA_BQ_BACKFILL_ARGS (extra backfill options).
set -uo pipefail
cd "$(dirname "$0")/.."

RAW_START=${NBA_BQ_RAW_START:-2024-10-22}
START=${NBA_BQ_START:-$RAW_START}
END=${NBA_BQ_END:-2024-11-20}
EXTRA=${NBA_BQ_BACKFILL_ARGS:-}
EMU_VENV=${NBA_EMULATOR_VENV:-.venv-emulator}
BIN=.venv/bin
T0=$SECONDS
SUMMARY=()
FAILED=0

# step NAME COMMAND...: run it, time it, record it; after a failure the later steps are skipped.
step() {
    local name=$1 t=$SECONDS status=0
    shift
    if [ "$FAILED" != 0 ]; then
        SUMMARY+=("$(printf '%-44s %6s  %s' "$name" - skipped)")
        return 0
    fi
    echo; echo "== [$((SECONDS - T0))s] $name"
    "$@" || status=$?
    SUMMARY+=("$(printf '%-44s %5ss  %s' "$name" $((SECONDS - t)) "$([ $status = 0 ] && echo ok || echo "FAILED (exit $status)")")")
    [ $status = 0 ] || FAILED=1
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/nba-bq.XXXXXX")
EMU_PID=
DUCK_PID=
finish() {
    [ -z "$DUCK_PID" ] || kill "$DUCK_PID" 2>/dev/null || true
    if [ -n "$EMU_PID" ]; then
        kill "$EMU_PID" 2>/dev/null || true
        for _ in $(seq 1 10); do kill -0 "$EMU_PID" 2>/dev/null || break; sleep 1; done
        kill -9 "$EMU_PID" 2>/dev/null || true  # busy in a long request: it ignores the polite signal
        wait "$EMU_PID" 2>/dev/null || true
    fi
    echo
    echo "== BigQuery emulator run, $START..$END: $([ "$FAILED" = 0 ] && echo PASSED || echo FAILED) in $((SECONDS - T0))s"
    printf '  %s\n' "${SUMMARY[@]}"
    [ ! -s "$WORK/compare.txt" ] || { echo "  cross-engine equality:"; sed 's/^/  /' "$WORK/compare.txt"; }
    rm -rf "$WORK"
}
trap finish EXIT

install_emulator() {
    rm -rf "$EMU_VENV"
    python3 -m venv "$EMU_VENV" &&
        "$EMU_VENV/bin/pip" install --quiet -c scripts/emulator-constraints.txt "crucible-emulator[server]==0.1.0a2"
}
start_emulator() {
    PORT=$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$EMU_VENV/bin/crucible" serve --dialect bigquery --host 127.0.0.1 --port "$PORT" >"$WORK/emulator.log" 2>&1 &
    EMU_PID=$!
    for _ in $(seq 1 60); do
        curl -sf "http://127.0.0.1:$PORT/_crucible/health" >/dev/null && { echo "emulator PID $EMU_PID on 127.0.0.1:$PORT"; return 0; }
        kill -0 "$EMU_PID" 2>/dev/null || break
        sleep 1
    done
    cat "$WORK/emulator.log"; echo "the emulator did not start"; return 1
}

[ -x "$EMU_VENV/bin/crucible" ] || step "install the emulator into $EMU_VENV" install_emulator
step "start the emulator" start_emulator
export DBT_PROFILES_DIR=$PWD/profiles NBA_BQ_API_ENDPOINT="http://127.0.0.1:${PORT:-0}"
RAW=(raw generate --first-season 2024 --last-season 2024 --start-date "$RAW_START" --end-date "$END")
# shellcheck disable=SC2206
BACKFILL=(backfill --start-date "$START" --end-date "$END" $EXTRA)

# The DuckDB side runs meanwhile (the emulator is one process: the other CPU is free), with its
# own dbt target and log folders so the two dbt runs never share a partial parse.
duckdb_side() {
    local duck=("$BIN/nba-pipeline" --quiet --target duckdb --duckdb-path "$WORK/duckdb.duckdb")
    export DBT_TARGET_PATH="$WORK/duckdb-target" DBT_LOG_PATH="$WORK/duckdb-logs"
    "${duck[@]}" "${RAW[@]}" && "${duck[@]}" "${BACKFILL[@]}" &&
        "${duck[@]}" build --select orchestration && validate_json duckdb "${duck[@]}"
}
# validate_json NAME NBA-PIPELINE...: the report as JSON in $WORK/validate-NAME.json. Exit 1 with a
# written report means checks failed on the simulated data (the freshness of rows loaded in 2024,
# the readiness of a range half made of bootstrap days): not an engine fault. The outcomes of
# every check are compared between the engines in the last step.
validate_json() {
    local name=$1 s=0
    shift
    "$@" validate --start-date "$START" --end-date "$END" --format json --output "$WORK/validate-$name.json" || s=$?
    [ $s = 0 ] || { [ $s = 1 ] && [ -s "$WORK/validate-$name.json" ]; }
}
if [ "$FAILED" = 0 ]; then
    (t=$SECONDS; duckdb_side >"$WORK/duckdb.log" 2>&1; s=$?; echo "$((SECONDS - t)) $s" >"$WORK/duckdb.status"; exit $s) &
    DUCK_PID=$!
fi
duckdb_wait() {
    wait "$DUCK_PID"; local s=$?
    DUCK_PID=
    echo "the DuckDB side took $(cut -d' ' -f1 "$WORK/duckdb.status" 2>/dev/null)s (in parallel with the emulator steps)"
    [ $s = 0 ] || { tail -40 "$WORK/duckdb.log"; echo "the DuckDB side failed (exit $s)"; }
    return $s
}

export DBT_TARGET_PATH="$WORK/emulator-target" DBT_LOG_PATH="$WORK/emulator-logs"
EMU=("$BIN/nba-pipeline" --target emulator)
step "raw rows $RAW_START..$END into the emulator" "${EMU[@]}" "${RAW[@]}"
step "backfill $START..$END on the emulator" "${EMU[@]}" "${BACKFILL[@]}"
step "status on the emulator" "${EMU[@]}" --quiet status
step "orchestration models on the emulator" "${EMU[@]}" build --select orchestration
step "validate $START..$END on the emulator" validate_json emulator "${EMU[@]}"
step "the same raw rows and backfill on DuckDB" duckdb_wait
compare() {
    "$BIN/python" -m runner.services.compare --duckdb "$WORK/duckdb.duckdb" --target emulator \
        --start-date "$START" --end-date "$END" \
        --validate-reports "$WORK/validate-duckdb.json" "$WORK/validate-emulator.json" | tee "$WORK/compare.txt"
}
step "cross-engine equality, $START..$END" compare
exit "$FAILED"
