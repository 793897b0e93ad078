#!/usr/bin/env bash
# Set up everything Lobby Kiosk needs on Debian 12, idempotently: system packages
# (Qt's X libraries, a CJK font, PostgreSQL, poppler, socat, Xvfb, speech), a
# virtual environment in .venv, and the project with its test extras.
# Run as root, or as a user with sudo. Re-running is cheap: installed packages are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3 python3-venv python3-pip
  # Qt on a real X display (xcb) and offscreen
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-xkb1 libxkbcommon-x11-0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0
  libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 libxkbcommon0
  # Chinese text on screen and in PDFs (TrueType, embeddable by ReportLab)
  fonts-wqy-microhei fontconfig
  # speech for calling numbers: espeak-ng renders, QtMultimedia plays through a sound
  # server (pulseaudio; libpulse0 is needed before QtMultimedia even loads)
  libpulse0 speech-dispatcher espeak-ng pulseaudio
  # tests: PDFs read back, pty pairs, a virtual display, screenshots, PostgreSQL
  poppler-utils socat xvfb x11-utils postgresql
  # A4 output through CUPS (lp), and a private CUPS scheduler for its tests
  cups-client cups-daemon
  # tests: hear the announcements (a null sink recorded by parec), measure them (sox)
  pulseaudio-utils sox
  # tests: touch the virtual keyboard's keys, two monitors on one virtual display
  xdotool x11-xserver-utils
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "setup: Python 3.11 or newer is needed (found $("$PYTHON" --version))" >&2; exit 1; }
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  # An older .venv had the 'pyside6' bundle (WebEngine, Pdf); the project now needs only
  # Essentials + Addons at a pinned version, and a leftover bundle would pin them back.
  .venv/bin/python -m pip uninstall -q -y PySide6 PySide6_WebEngine PySide6_Pdf 2>/dev/null || true
  .venv/bin/python -m pip install -q -e '.[test]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi
# Bytecode for the project's own modules, so a kiosk starts without compiling them
# (its user may not be allowed to write __pycache__ beside the code).
.venv/bin/python -m compileall -q kiosk printers ui resources >/dev/null

# The zh_CN translations (.ts/.qm) are build outputs of the catalogue in
# resources/translations/zh_CN/ (docs/ui.md); a string without Chinese fails here.
.venv/bin/python -m ui.i18n build
