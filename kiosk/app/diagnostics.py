"""The diagnostics bundle a technician sends to support: one zip with the branch
settings, this station's devices and their log, the checks, versions and the recent
application log, and nothing personal.

What is left out, by construction rather than by filtering: no table of staff
accounts (no PIN, no PIN hash, no names), no ticket, complaint or claim, no print
job's document (only its state and error). The two texts that could carry
something typed by a person (the application log and a print job's error) pass
through :func:`kiosk.privacy.masking.mask_text`, which masks every phone, ID and
bank-card number. ``manifest.json`` lists every file and says what was left out.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import zipfile
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from kiosk import clock
from kiosk.app import admin, printer, setup, stations
from kiosk.app.context import AppContext
from kiosk.app.keypads import keypad_status
from kiosk.app.results import Result
from kiosk.errors import UsageError
from kiosk.privacy.masking import mask_text

LOG_TAIL_BYTES = 512 * 1024  # the newest half megabyte of each log
PACKAGES = ("lobby-kiosk", "PySide6_Essentials", "SQLAlchemy", "alembic", "pyserial",
            "reportlab", "psycopg", "tomli_w")
LEFT_OUT = ("staff accounts (PINs, PIN hashes, names)", "tickets", "complaints",
            "claim checks and hand-overs", "the audit log", "print job documents")


@dataclass(frozen=True)
class DiagnosticsBundle(Result):
    path: str
    files: tuple[str, ...]
    bytes: int


def log_dir() -> Path:
    """Where the screens write their log (``$XDG_STATE_HOME/lobby-kiosk``)."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "lobby-kiosk"


def _versions() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    release = {}
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            key, _, value = line.partition("=")
            if key in ("PRETTY_NAME", "VERSION_ID"):
                release[key] = value.strip('"')
    except OSError:
        pass
    return {"python": sys.version.split()[0], "packages": found, "os": release,
            "kernel": platform.release(), "machine": platform.machine()}


def _log_tail(path: Path) -> str:
    with path.open("rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(0, size - LOG_TAIL_BYTES))
        data = handle.read()
    text = data.decode("utf-8", "replace")
    if size > LOG_TAIL_BYTES:
        text = text.split("\n", 1)[-1]  # drop the partial first line
    return mask_text(text)


def export_diagnostics(app: AppContext, target: Path, *,
                       logs: Path | None = None) -> DiagnosticsBundle:
    """Write the bundle to ``target`` (a ``.zip``); ``logs``: the log folder
    (default :func:`log_dir`).

    Raises:
        UsageError: ``target`` cannot be written.
    """
    folder = logs or log_dir()
    jobs = printer.print_jobs(app, every_station=False).to_json()
    for job in jobs["jobs"]:
        job["last_error"] = mask_text(job["last_error"])
    files: dict[str, str] = {
        "settings.toml": admin.export_settings(app).toml,
        "stations.json": _json(stations.list_stations(app).to_json()),
        "device-log.json": _json({
            "health": stations.device_health(app).to_json()["devices"],
            "events": stations.device_log(app).to_json()["entries"],
            "keypads": keypad_status(app).to_json()["keypads"],
            "print_jobs": jobs["jobs"]}),
        "serial-ports.json": _json(setup.serial_ports().to_json()),
        "checks.json": _json(setup.run_checks(app).to_json()),
        "versions.json": _json(_versions()),
    }
    logs_found = sorted(folder.glob("*.log*")) if folder.is_dir() else []
    for path in logs_found:
        files[f"logs/{path.name}"] = _log_tail(path)
    files["manifest.json"] = _json({
        "station": app.station, "made_at": clock.now().isoformat(timespec="seconds"),
        "files": sorted([*files, "manifest.json"]), "left_out": list(LEFT_OUT),
        "masked": "phone, ID and bank-card numbers in logs and print errors"})
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:
            stamp = datetime.now().timetuple()[:6]
            for name, text in files.items():
                bundle.writestr(zipfile.ZipInfo(name, stamp), text,
                                compress_type=zipfile.ZIP_DEFLATED)
    except OSError as exc:
        raise UsageError(f"无法写入 {target}", f"cannot write {target}: {exc.strerror}",
                         code="unwritable") from exc
    return DiagnosticsBundle(str(target), tuple(files), target.stat().st_size)


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


__all__ = ["LEFT_OUT", "DiagnosticsBundle", "export_diagnostics", "log_dir"]
