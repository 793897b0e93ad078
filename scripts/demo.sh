#!/usr/bin/env bash
# One command: set everything up and run the kiosk in demo mode (its own SQLite file,
# simulated devices, no hardware needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/kiosk demo "$@"
