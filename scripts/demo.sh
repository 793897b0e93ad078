#!/usr/bin/env bash
# One command: set everything up and run the real screens in demo mode: a fresh demo
# database, a simulated receipt printer and rating keypads, every built screen (the
# customer touchscreen, the lobby display and a counter terminal as they land), and
# with --customers (or --steps N) simulated customers. No display: a virtual screen,
# and screenshots of every screen in a folder it names. Ctrl-C stops everything.
# The command-line lobby without screens is still there: .venv/bin/kiosk demo
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m ui.demo "$@"
