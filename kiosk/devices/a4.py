"""A station's A4 output: PDFs (the claim hand-over form, the A4 notice) to the
office printer through CUPS (``lp -d QUEUE``), or into a folder (a printer's hot
folder, a network share, or simply where staff open them).

A4 documents do not go through the receipt spool: they are made from stored
records (the claim check, its reference), so a delivery that fails loses nothing
and is simply asked for again; it raises a ``DeviceError`` saying where and what
to check, and the station's A4 health shows the problem until a delivery works.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from kiosk import clock
from kiosk.db import unit_of_work
from kiosk.devices.health import record_health
from kiosk.devices.stations import A4Setting, a4_setting, resolve_station
from kiosk.errors import DeviceError, KioskError, UsageError

A4 = "a4"  # the device name in device health
LP_TIMEOUT_S = 30.0
_REQUEST = re.compile(r"request id is (\S+)")


@dataclass(frozen=True)
class A4Delivery:
    """Where a PDF went: the file written, or the CUPS request id."""

    station: str
    kind: str
    target: str
    delivered_as: str

    def to_json(self) -> dict[str, Any]:
        return {"station": self.station, "kind": self.kind, "target": self.target,
                "delivered_as": self.delivered_as}


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^\w.-]+", "_", name, flags=re.UNICODE).strip("._")
    return cleaned[:80] or "document"


def _to_folder(setting: A4Setting, pdf: bytes, name: str) -> str:
    folder = Path(setting.target)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{stamp}-{_safe_name(name)}.pdf"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Written under a temporary name, then renamed: a hot folder never picks up
        # half a PDF.
        fd, tmp = tempfile.mkstemp(prefix=".partial-", suffix=".pdf", dir=folder)
        with os.fdopen(fd, "wb") as out:
            out.write(pdf)
        counter = 1
        while target.exists():
            counter += 1
            target = folder / f"{stamp}-{_safe_name(name)}-{counter}.pdf"
        os.replace(tmp, target)
    except OSError as exc:
        raise DeviceError(f"无法写入 A4 文件夹 {folder}", f"cannot write to the A4 folder "
                          f"{folder}: {exc.strerror}", port=str(folder),
                          hint="check that the folder (or its share) exists, is mounted and "
                          "is writable by the kiosk user", code="a4") from exc
    return str(target)


def _to_cups(setting: A4Setting, pdf: bytes, name: str) -> str:
    lp = shutil.which("lp")
    hint = (f"check the queue with lpstat -p {setting.target}, that CUPS runs, and that "
            "the printer is on")
    if lp is None:
        raise DeviceError("未安装 lp 命令（CUPS 客户端）", "the lp command (CUPS client) is "
                          "not installed", port=setting.target,
                          hint="install cups-client", code="a4")
    try:
        done = subprocess.run([lp, "-d", setting.target, "-t", name, "-"], input=pdf,
                              capture_output=True, timeout=LP_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DeviceError(f"无法提交到打印队列 {setting.target}", f"cannot submit to the "
                          f"print queue {setting.target}: {exc}", port=setting.target,
                          hint=hint, code="a4") from exc
    said = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
    if done.returncode != 0:
        raise DeviceError(f"打印队列 {setting.target} 拒绝了文件：{said}",
                          f"the print queue {setting.target} refused the file: {said}",
                          port=setting.target, hint=hint, code="a4")
    found = _REQUEST.search(done.stdout.decode("utf-8", "replace"))
    return found.group(1) if found else said


def deliver_pdf(engine: Engine, pdf: bytes, name: str, *,
                station: str | None = None) -> A4Delivery:
    """Send ``pdf`` (titled ``name``) to ``station``'s A4 output.

    Raises:
        UsageError: the station has no A4 output configured.
        DeviceError: the folder cannot be written or CUPS refused the file (named,
            with what to check); recorded in the station's device health."""
    name_of_station = resolve_station(station)
    with unit_of_work(engine) as session:
        setting = a4_setting(session, name_of_station)
    if setting is None:
        raise UsageError(
            f"站点 {name_of_station} 尚未设置 A4 输出：kiosk --station {name_of_station} "
            "devices set a4 --cups 队列 或 --folder 目录",
            f"no A4 output set for station {name_of_station}: run kiosk --station "
            f"{name_of_station} devices set a4 --cups QUEUE or --folder DIR", code="no_a4")
    try:
        where = (_to_cups if setting.kind == "cups" else _to_folder)(setting, pdf, name)
    except KioskError as exc:
        record_health(engine, name_of_station, A4, "problem", (exc.zh, exc.en),
                      detail=setting.target)
        raise
    record_health(engine, name_of_station, A4, "ok", detail=setting.target)
    return A4Delivery(name_of_station, setting.kind, setting.target, where)


__all__ = ["A4", "A4Delivery", "deliver_pdf"]
