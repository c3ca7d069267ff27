#!/usr/bin/env bash
# Headless Chromium (+ one small font, so text renders) for the HTML report's real-browser
# test (runner/tests/validate_render).
# Idempotent and quiet: does nothing when chromium is already on PATH. Installs Debian's
# package when it can (root, or passwordless sudo); otherwise says so and leaves the test
# to skip locally (in CI the test fails when chromium is missing).
set -euo pipefail

if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-chromium: no apt-get here; install chromium yourself for the HTML screenshot test" >&2
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "install-chromium: not root and no passwordless sudo; skipping (apt-get install chromium)" >&2
    exit 0
fi
echo "install-chromium: installing Debian's chromium (once) ..." >&2
export DEBIAN_FRONTEND=noninteractive
# A failed install does not stop `make test`: the screenshot test then fails in CI with its reason.
if ! { $SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; }; then
    echo "install-chromium: apt-get could not install chromium" >&2
fi
