"""Turn a validation ``Report`` into output: terminal table, JSON, markdown or one HTML file.

``render_report`` is the one entry point; each format lives in its own module and
only reads the report (the checks are computed by the validate service).
"""
from __future__ import annotations

from pathlib import Path

from runner.console import Console
from runner.errors import UsageError
from runner.validate.render.htmlpage import to_html
from runner.validate.render.jsonout import to_json
from runner.validate.render.markdown import to_markdown
from runner.validate.render.table import render_table
from runner.validate.report import Report

FORMATS = ("table", "json", "markdown", "html")
DEFAULT_HTML_OUTPUT = Path("validation-report.html")

_TEXT_FORMATS = {"json": to_json, "markdown": to_markdown, "html": to_html}


def render_report(report: Report, fmt: str, console: Console, output: Path | None = None) -> Path | None:
    """Render ``report`` as ``fmt``; returns the file written, or None when printed.

    table prints through the console (no file); json and markdown print unless
    ``output`` is given; html always writes a file (``validation-report.html``
    in the working directory by default).
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown report format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt == "table":
        if output is not None:
            raise UsageError("--output needs --format json, markdown or html (table prints to the terminal)")
        render_table(report, console)
        return None
    text = _TEXT_FORMATS[fmt](report)
    if output is None and fmt == "html":
        output = DEFAULT_HTML_OUTPUT
    if output is None:
        console.json(text) if fmt == "json" else console.raw(text)
        return None
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    console.success(f"{fmt} report written to {output}")
    return output


__all__ = ["DEFAULT_HTML_OUTPUT", "FORMATS", "render_report", "to_html", "to_json", "to_markdown"]
