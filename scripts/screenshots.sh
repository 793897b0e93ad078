#!/usr/bin/env bash
# Regenerate the screenshots of every screen (both languages, normal and large text,
# landscape, portrait and 1280x800) into docs/screenshots/. Tours are registered in
# ui/screenshots.py (TOURS); name some to render only those: scripts/screenshots.sh gallery
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m ui.screenshots "$@"
