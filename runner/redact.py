"""Secrets kept out of logs: every URL in a command line or an error text shown as its host only.

A ``--notify`` webhook's path and query are its token. The command line is logged by dbt
(runner/dbt.py), written to the run history and printed; each goes through these helpers first.
A low module (standard library only), so that the dbt wrapper and the services both import it.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

_URL = re.compile(r"(https?)://\S+", re.IGNORECASE)


def url_host(url: str) -> str:
    """What may be shown of a webhook URL: its host (and a non-default port)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "?"
        return f"{host}:{parts.port}" if parts.port else host
    except ValueError:
        return "?"


def redact_urls(text: str) -> str:
    """The text with every URL reduced to ``scheme://host/…``."""
    return _URL.sub(lambda m: f"{m.group(1)}://{url_host(m.group(0))}/…", text)


def redact_args(argv: Sequence[str]) -> list[str]:
    """Each argument with every URL shown as its host only."""
    return [redact_urls(arg) for arg in argv]


def redact_argv(argv: Sequence[str]) -> str:
    """A command line fit for logs and the run history: every URL shown as its host only."""
    return " ".join(redact_args(argv))
