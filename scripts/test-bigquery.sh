#!/usr/bin/env bash
# make test-bigquery: the pipeline on the BigQuery target, end to end, against a local
# BigQuery API emulator (crucible-emulator, pinned in scripts/emulator-constraints.txt).
#
#   1. the emulator in its own venv (.venv-emulator), started on 127.0.0.1 on a free port;
#   2. simulated raw rows of RAW_START..END loaded into its nba_raw dataset (load jobs);
#   3. staging + raw accounting built with their tests, then `nba-pipeline backfill`
#      over START..END on --target emulator: every phase, ledger, gates, lock;
#   4. `nba-pipeline validate` on the emulator when that command exists;
#   5. the same raw rows and backfill on a DuckDB file, and the cross-engine equality
#      check of every Phase 3, Phase 4 and feature-store table (runner/services/compare.py);
#   6. the emulator stopped by its PID (trap, also on failure).
#
# Range (env): NBA_BQ_RAW_START (default 2024-10-22, the season's first day: Phase 4 needs
# its bootstrap), NBA_BQ_START (default = raw start), NBA_BQ_END (default 2024-11-20: two
# weeks after the bootstrap), NBA_BQ_BACKFILL_ARGS (extra backfill options).
set -euo pipefail
cd "$(dirname "$0")/.."

RAW_START=${NBA_BQ_RAW_START:-2024-10-22}
START=${NBA_BQ_START:-$RAW_START}
END=${NBA_BQ_END:-2024-11-20}
EXTRA=${NBA_BQ_BACKFILL_ARGS:-}
EMU_VENV=${NBA_EMULATOR_VENV:-.venv-emulator}
BIN=.venv/bin
t0=$SECONDS
step() { echo; echo "== [$((SECONDS - t0))s] $*"; }

if [ ! -x "$EMU_VENV/bin/crucible" ]; then
    step "installing the emulator into $EMU_VENV"
    python3 -m venv "$EMU_VENV"
    "$EMU_VENV/bin/pip" install --quiet -c scripts/emulator-constraints.txt "crucible-emulator[server]==0.1.0a2"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/nba-bq.XXXXXX")
PORT=$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$EMU_VENV/bin/crucible" serve --dialect bigquery --host 127.0.0.1 --port "$PORT" >"$WORK/emulator.log" 2>&1 &
EMU_PID=$!
cleanup() {
    kill "$EMU_PID" 2>/dev/null || true
    for _ in $(seq 1 10); do kill -0 "$EMU_PID" 2>/dev/null || break; sleep 1; done
    kill -9 "$EMU_PID" 2>/dev/null || true  # busy in a long request: it ignores the polite signal
    wait "$EMU_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$PORT/_crucible/health" >/dev/null && break
    kill -0 "$EMU_PID" 2>/dev/null || { cat "$WORK/emulator.log"; echo "the emulator did not start"; exit 1; }
    sleep 1
done
step "emulator PID $EMU_PID on 127.0.0.1:$PORT"

export DBT_PROFILES_DIR=$PWD/profiles NBA_BQ_API_ENDPOINT="http://127.0.0.1:$PORT"
export NBA_DUCKDB_PATH="$WORK/duckdb.duckdb"
EMU=("$BIN/nba-pipeline" --target emulator)
DUCK=("$BIN/nba-pipeline" --target duckdb --duckdb-path "$NBA_DUCKDB_PATH")
RAW=(raw generate --first-season 2024 --last-season 2024 --start-date "$RAW_START" --end-date "$END")
# shellcheck disable=SC2206
BACKFILL=(backfill --start-date "$START" --end-date "$END" $EXTRA)

step "raw rows $RAW_START..$END into the emulator's nba_raw"
"${EMU[@]}" "${RAW[@]}"
step "staging and raw accounting on the emulator, with their tests"
"${EMU[@]}" build --select "staging orchestration"
step "backfill $START..$END on the emulator"
"${EMU[@]}" "${BACKFILL[@]}"
"${EMU[@]}" status
if "$BIN/nba-pipeline" validate --help >/dev/null 2>&1; then
    step "validate on the emulator"
    "${EMU[@]}" validate --start-date "$START" --end-date "$END"
fi

step "the same raw rows and backfill on DuckDB"
"${DUCK[@]}" "${RAW[@]}"
"${DUCK[@]}" build --select "staging orchestration"
"${DUCK[@]}" "${BACKFILL[@]}"
step "cross-engine equality, $START..$END"
"$BIN/python" -m runner.services.compare --duckdb "$NBA_DUCKDB_PATH" --target emulator \
    --start-date "$START" --end-date "$END"
step "BigQuery emulator run passed in $((SECONDS - t0))s"
