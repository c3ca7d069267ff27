#!/usr/bin/env bash
# make test-bigquery: only the pipeline on the BigQuery target, end to end, against the local
# BigQuery API emulator, and DuckDB = BigQuery over the same range. The run itself is the test
# module runner/tests/bigquery/test_emulator_end_to_end.py, which `make test` also runs in CI:
#
#   1. the emulator (its own venv, .venv-emulator: `make emulator`) started on 127.0.0.1 on a
#      free port, stopped by its PID at the end;
#   2. simulated raw rows of NBA_BQ_RAW_START..NBA_BQ_END into its nba_raw (INSERT queries);
#   3. `nba-pipeline --target emulator` backfill over NBA_BQ_START..NBA_BQ_END (staging views,
#      every phase, ledger, gates = the models' dbt tests, lock), status, the orchestration
#      models, validate (JSON);
#   4. the ledger checked; every Phase 3, Phase 4 and feature-store table compared with the same
#      range built on DuckDB (runner/services/compare.py), and validate's outcome check by check;
#   5. a summary: seconds per step, rows compared per table ("BigQuery emulator run").
#
# Range (env): NBA_BQ_RAW_START (default 2024-10-22, the season's first day: Phase 4 needs its
# bootstrap), NBA_BQ_START (default = raw start), NBA_BQ_END (default 2024-11-20: two weeks
# after the bootstrap), NBA_BQ_BACKFILL_ARGS (extra backfill options).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv-emulator/bin/crucible ] || make --no-print-directory emulator
exec .venv/bin/python -m pytest -p no:xdist -p no:cacheprovider -v "$@" \
    runner/tests/bigquery/test_emulator_end_to_end.py
