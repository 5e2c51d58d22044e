#!/usr/bin/env bash
# Install everything the test suite needs and run the whole suite.
# Used verbatim by .ci/run and given in the README.
#   - a virtual environment in .venv with the project and its [test] extras (a real wheel
#     install, not an editable one: the tests exercise what users install);
#   - Debian's chromium for the page tests, when it is missing (needs root or sudo);
#   - the `oxigraph` server comes from PyPI with the project itself.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet --force-reinstall --no-deps .
.venv/bin/python -m pip install --quiet ".[test]"

if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Debian chromium for the page tests..." >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# Lint first: a config that is actually read, and code that passes it.
.venv/bin/ruff check kg api qc tests tools notebooks benchmarks
.venv/bin/mypy kg api qc
exec .venv/bin/pytest "$@"
