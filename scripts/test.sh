#!/usr/bin/env bash
# One command: set everything up and run the whole suite: lint, types, tests.
# The tests start their own PostgreSQL server, pseudo-terminals and virtual display.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== ruff"; .venv/bin/ruff check kiosk printers ui tests bench
echo "== mypy"; .venv/bin/mypy
echo "== lint-imports"; .venv/bin/lint-imports --no-logo
echo "== pytest"; .venv/bin/pytest "$@"
