#!/usr/bin/env bash
# One command: set everything up and run the whole suite: lint, types, tests.
# The tests start their own PostgreSQL server, pseudo-terminals and virtual display.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== ruff"; .venv/bin/ruff check kiosk printers ui tests bench
echo "== mypy"; .venv/bin/mypy
echo "== lint-imports"; .venv/bin/lint-imports --no-logo
# Four test processes at once by default (pytest-xdist): most tests wait on
# subprocesses, ptys, PostgreSQL, Xvfb or a sound server, so even two cores keep four
# of them busy. Each worker starts its own PostgreSQL server and sound server (docs/
# ARCHITECTURE.md, "Tests and evidence"). --dist loadgroup hands the tests out one at a
# time, slow ones first (tests/conftest.py), to whichever worker is free (no test is in
# a group); --dist load starts each worker on a block of 80 consecutive tests, which put
# every slow test on one worker. KIOSK_TEST_WORKERS=N sets another number;
# KIOSK_TEST_WORKERS=0 runs the tests in this one process (about 23-28 minutes).
# Timings and the runs behind the default: docs/BENCHMARKS.md, "Suite time".
echo "== pytest"; .venv/bin/pytest -n "${KIOSK_TEST_WORKERS:-4}" --dist loadgroup "$@"
