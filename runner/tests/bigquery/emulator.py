"""The local BigQuery API emulator of the end-to-end test (crucible-emulator, pinned in
scripts/emulator-constraints.txt, installed by `make emulator` into its own venv: it pins its
own duckdb and sqlglot).

    with running_emulator(log_file) as emulator:
        emulator.endpoint  # http://127.0.0.1:<free port>, for NBA_BQ_API_ENDPOINT

The emulator serves 127.0.0.1 on a free port, is stopped by its PID on exit (SIGTERM, then
SIGKILL after 10 s: it ignores the polite signal while busy in a long request), and a failure to
start raises with the tail of its log.
"""
from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from runner.tests.conftest import PROJECT_DIR

VENV = Path(os.environ.get("NBA_EMULATOR_VENV") or PROJECT_DIR / ".venv-emulator")
BINARY = VENV / "bin" / "crucible"
START_TIMEOUT_S = 60


@dataclass(frozen=True)
class Emulator:
    endpoint: str
    pid: int
    log: Path


def installed() -> bool:
    return BINARY.exists()


@contextmanager
def running_emulator(log: Path) -> Iterator[Emulator]:
    if not installed():
        raise FileNotFoundError(f"the BigQuery emulator is not installed at {BINARY}: run `make emulator`")
    port = _free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(BINARY), "serve", "--dialect", "bigquery", "--host", "127.0.0.1",
                                 "--port", str(port)], stdout=out, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(proc, endpoint, log)
        yield Emulator(endpoint, proc.pid, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_healthy(proc: subprocess.Popen, endpoint: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{endpoint}/_crucible/health", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    tail = log.read_text(errors="replace")[-2000:]
    raise RuntimeError(f"the BigQuery emulator ({BINARY}) did not answer on {endpoint} "
                       f"within {START_TIMEOUT_S} s (exit {proc.poll()}); its log ends:\n{tail}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
