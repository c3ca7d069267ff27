"""What a command's service returns: an Outcome, which `cli._run` maps to the exit code.

A service either returns an Outcome or raises a PipelineError (runner/errors.py), the one error
handler's input. An outcome whose exit code is not 0 says why in `failure`: `_run` prints it as
the error and exits with the code. Exit codes: 0 ok, 1 failure, 2 usage or configuration.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from runner.errors import EXIT_OK


@runtime_checkable
class Outcome(Protocol):
    @property
    def exit_code(self) -> int: ...

    @property
    def failure(self) -> str | None:
        """Why the command did not succeed, in one line (None when exit_code is 0)."""
        ...


@dataclass(frozen=True)
class Done:
    """The outcome of a command that has nothing to return but that it ran (status, raw faults)."""

    exit_code: int = EXIT_OK
    failure: str | None = None
