"""The runner's error types and their exit codes (0 ok, 1 failure, 2 usage/config)."""
from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class PipelineError(Exception):
    """A known failure: something ran and did not succeed (exit 1)."""

    exit_code = EXIT_FAILED


class UsageError(PipelineError):
    """Bad arguments or configuration, refused before anything runs (exit 2)."""

    exit_code = EXIT_USAGE
