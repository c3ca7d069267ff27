"""Headless Chromium over a rendered HTML report: a screenshot (docs/validate.md, tests) and the DOM.

    python -m runner.validate.render.browser REPORT.html SHOT.png   # e.g. docs/img/validation-report.png

Chromium is Debian's package (scripts/install-chromium.sh); nothing here is needed to
produce a report, only to look at one.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

WINDOW = (1400, 1000)


def find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def headless(page: Path, *args: str, window: tuple[int, int] = WINDOW) -> str:
    """Run headless Chromium on a local file; returns its stdout (the DOM with --dump-dom)."""
    chromium = find_chromium()
    if chromium is None:
        raise FileNotFoundError("chromium is not installed (scripts/install-chromium.sh)")
    done = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--window-size={window[0]},{window[1]}", *args, Path(page).resolve().as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )
    return done.stdout


def screenshot(page: Path, png: Path, window: tuple[int, int] = WINDOW) -> Path:
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    headless(page, f"--screenshot={png}", window=window)
    return png


def dump_dom(page: Path) -> str:
    return headless(page, "--dump-dom")


if __name__ == "__main__":  # pragma: no cover - a developer's tool
    if len(sys.argv) != 3:
        sys.exit("usage: python -m runner.validate.render.browser REPORT.html SHOT.png")
    print(screenshot(Path(sys.argv[1]), Path(sys.argv[2])))
