# nba-pipeline: the two commands of the README, and a few helpers.
#   make demo   set up .venv, simulate five seasons, backfill them, print the status
#   make test   set up .venv if needed, run the test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The local BigQuery API emulator of the end-to-end BigQuery test, in its own venv (it pins its
# own duckdb and sqlglot): runner/tests/bigquery/test_emulator_end_to_end.py.
EMU_VENV := .venv-emulator
EMU_STAMP := $(EMU_VENV)/.installed-stamp

# A newcomer copies nothing: dbt finds the project's profile through this.
export DBT_PROFILES_DIR := $(CURDIR)/profiles
export NBA_DUCKDB_PATH ?= $(CURDIR)/nba.duckdb

# Locally `make test` skips tests marked slow; CI (CI=true) runs everything, the run-shape property
# test included, and lists its 25 slowest tests (CI must stay under 30 minutes). Two pytest-xdist
# workers, a module each at a time (module fixtures stay in one process): the suite is mostly
# single-threaded Python (dbt), and the shared test worlds are built once for both
# (runner/tests/conftest.py). PYTEST_WORKERS= runs in one process.
PYTEST_WORKERS ?= -n 2 --dist loadfile
ifeq ($(CI),true)
PYTEST_ARGS ?= $(PYTEST_WORKERS) --durations=25
else
PYTEST_ARGS ?= -m "not slow" $(PYTEST_WORKERS)
endif

.PHONY: install emulator browser demo test lint test-all test-shapes test-bigquery bench clean help

help:
	@echo "make demo      set up, simulate five seasons, backfill them, print the status"
	@echo "make test      set up if needed, run the tests (slow ones, the BigQuery emulator run among them, only in CI or make test-all)"
	@echo "make lint      the linters (ruff for Python, sqlfluff for SQL), which CI runs before the tests"
	@echo "make test-all  run every test, slow ones included"
	@echo "make test-bigquery  only the pipeline on a local BigQuery API emulator (scripts/test-bigquery.sh)"
	@echo "make bench     the benchmark harness (bench/results.md); BENCH_ARGS='--seasons 1,2 --repeats 3'"
	@echo "make clean     remove the DuckDB file and dbt's target/"

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=23.2"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

$(EMU_STAMP): scripts/emulator-constraints.txt
	rm -rf $(EMU_VENV)
	$(PYTHON) -m venv $(EMU_VENV)
	$(EMU_VENV)/bin/python -m pip install --quiet -c scripts/emulator-constraints.txt "crucible-emulator[server]==0.1.0a2"
	touch $(EMU_STAMP)

emulator: $(EMU_STAMP)

# Headless Chromium for the HTML report's screenshot test (Debian package; no-op when present).
browser:
	@scripts/install-chromium.sh

# One command: simulate the seasons if missing, backfill the whole history
# through the runner (progress display), print the status.
demo: install
	$(BIN)/nba-pipeline demo

test: install browser emulator
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The Python linter (ruff; its rules in pyproject.toml), run by CI before the tests.
# ruff for the Python; sqlfluff (dbt templater, settings in .sqlfluff) for the models and the
# singular tests, compiled against a scratch DuckDB file so a lint never touches the warehouse.
lint: install
	$(BIN)/ruff check runner bench scripts
	mkdir -p target && NBA_DUCKDB_PATH=$(CURDIR)/target/sqlfluff.duckdb $(BIN)/python scripts/lint_sql.py lint models tests analyses

# Everything, slow tests included (what CI runs).
test-all: install browser emulator
	$(BIN)/python -m pytest $(PYTEST_WORKERS)

# The run-shape property test alone (any split of the same history into runs gives identical
# tables; runner/tests/backfill/test_run_shapes.py), also part of CI's run.
test-shapes: install
	$(BIN)/python -m pytest -m shapes runner/tests/backfill/test_run_shapes.py

# Only the BigQuery target end to end on the local emulator, with the DuckDB = BigQuery equality
# check (scripts/test-bigquery.sh; docs/bigquery.md). NBA_BQ_START / NBA_BQ_END narrow it.
test-bigquery: install emulator
	scripts/test-bigquery.sh

# The benchmark harness (bench/README.md): figures, ratios and the scale sweep into
# bench/results.md and bench/results.json. Scratch databases in /tmp/bench.
BENCH_ARGS ?= --seasons 1 --repeats 3
bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf target logs nba.duckdb nba.duckdb.wal nba.duckdb.backfill.lock .venv-emulator
