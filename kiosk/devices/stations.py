"""Stations: each PC of the branch that drives devices, and the devices it drives.

A branch has several stations: the customer kiosk at the door, a second kiosk, each
counter PC. Every process knows the station it runs on (:func:`resolve_station`:
``kiosk --station NAME``, else ``KIOSK_STATION``, else the host name), and the
devices are configured per station in the shared database: the receipt printer
(:func:`set_printer`), the keypad buses (:mod:`kiosk.devices.keypad_ports`) and the
A4 output (:func:`set_a4`: a CUPS queue printed with ``lp``, or a folder for PDFs).
Any PC can configure any station (``kiosk --station K1 devices set printer ...``)
and list them all (:func:`station_devices`).

Functions taking ``station=None`` use this process's station.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.branch.info import load_branch
from kiosk.devices.station_names import (
    MAX_STATION_NAME,
    STATION_ENV,
    host_station,
    resolve_station,
    validate_station,
)
from kiosk.errors import UsageError
from kiosk.models import A4Output, KeypadPort, Printer
from printers.escpos.profiles import DEFAULT_PROFILE, PrinterProfile, profile

RECEIPT = "receipt"
A4_KINDS = ("cups", "folder")
_QUEUE_FORBIDDEN = set(" /\\#?'\"")


def _station(station: str | None) -> str:
    return resolve_station(station)


# ----- the receipt printer -----------------------------------------------------------

@dataclass(frozen=True)
class PrinterSetting:
    """A station's receipt printer: port, profile and mode."""

    port: str
    profile: PrinterProfile
    station: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"station": self.station, "port": self.port, "profile": self.profile.name,
                "mode": self.profile.mode, "baud": self.profile.baud,
                "flow": self.profile.flow,
                "dots": self.profile.dots}


def set_printer(session: Session, port: str, profile_name: str = DEFAULT_PROFILE,
                mode: str | None = None, baud: int | None = None, *,
                station: str | None = None, flow: str | None = None) -> PrinterSetting:
    """Store the receipt printer of ``station`` (validated: profile, mode and flow
    control must exist, the port must not be empty); ``flow`` None: the profile's."""
    prof = profile(profile_name).with_options(mode=mode, baud=baud, flow=flow)
    if not port.strip():
        raise UsageError("打印机端口不能为空", "the printer port must not be empty")
    name = _station(station)
    branch_id = load_branch(session).id
    row = session.scalar(select(Printer).where(
        Printer.branch_id == branch_id, Printer.station == name, Printer.name == RECEIPT))
    if row is None:
        row = Printer(branch_id=branch_id, station=name, name=RECEIPT, port=port,
                      profile=prof.name, mode=prof.mode, baud=baud)
        session.add(row)
    row.port, row.profile, row.mode, row.baud = port, prof.name, prof.mode, baud
    row.flow = flow
    session.flush()
    return PrinterSetting(port, prof, name)


def _printer_view(row: Printer) -> PrinterSetting:
    return PrinterSetting(row.port, profile(row.profile).with_options(
        mode=row.mode, baud=row.baud, flow=row.flow),
                          row.station)


def printer_setting(session: Session, station: str | None = None) -> PrinterSetting | None:
    """The receipt printer of ``station``, or None."""
    row = session.scalar(select(Printer).where(
        Printer.branch_id == load_branch(session).id, Printer.station == _station(station),
        Printer.name == RECEIPT))
    return None if row is None else _printer_view(row)


# ----- the A4 output -----------------------------------------------------------------

@dataclass(frozen=True)
class A4Setting:
    """Where a station's A4 documents go: a CUPS queue (``lp -d QUEUE``) or a folder
    the PDFs are written to (an office printer's hot folder, a network share)."""

    station: str
    kind: str  # cups | folder
    target: str

    def to_json(self) -> dict[str, Any]:
        return {"station": self.station, "kind": self.kind, "target": self.target}


def set_a4(session: Session, *, cups: str | None = None, folder: str | None = None,
           station: str | None = None) -> A4Setting:
    """Store the A4 output of ``station``: exactly one of a CUPS queue name or an
    absolute folder path (checked where it is used: the folder lives on that PC)."""
    if (cups is None) == (folder is None):
        raise UsageError("请指定 --cups 队列或 --folder 目录之一",
                         "give exactly one of --cups QUEUE or --folder DIR")
    if cups is not None:
        kind, target = "cups", cups.strip()
        if not target or len(target) > 127 or any(
                ch in _QUEUE_FORBIDDEN or not ch.isprintable() for ch in target):
            raise UsageError(f"CUPS 队列名无效：{cups!r}", f"invalid CUPS queue name {cups!r} "
                             "(1-127 printable characters, no space / \\ # ? or quotes)")
    else:
        assert folder is not None
        kind, target = "folder", folder.strip()
        if not PurePosixPath(target).is_absolute() or len(target) > 300 or any(
                not ch.isprintable() for ch in target):
            raise UsageError(f"文件夹须为绝对路径：{folder!r}",
                             f"the folder must be an absolute path, got {folder!r}")
    name = _station(station)
    branch_id = load_branch(session).id
    row = session.scalar(select(A4Output).where(A4Output.branch_id == branch_id,
                                                A4Output.station == name))
    if row is None:
        row = A4Output(branch_id=branch_id, station=name, kind=kind, target=target)
        session.add(row)
    row.kind, row.target = kind, target
    session.flush()
    return A4Setting(name, kind, target)


def a4_setting(session: Session, station: str | None = None) -> A4Setting | None:
    """The A4 output of ``station``, or None."""
    row = session.scalar(select(A4Output).where(
        A4Output.branch_id == load_branch(session).id, A4Output.station == _station(station)))
    return None if row is None else A4Setting(row.station, row.kind, row.target)


# ----- every station -------------------------------------------------------------------

@dataclass(frozen=True)
class StationDevices:
    """The devices configured for one station."""

    station: str
    printer: PrinterSetting | None
    a4: A4Setting | None
    keypad_ports: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"station": self.station,
                "printer": None if self.printer is None else self.printer.to_json(),
                "a4": None if self.a4 is None else self.a4.to_json(),
                "keypad_ports": list(self.keypad_ports)}


def station_devices(session: Session) -> list[StationDevices]:
    """Every station of the branch that has a device, by name (``kiosk devices list``)."""
    branch_id = load_branch(session).id
    printers = {r.station: _printer_view(r) for r in session.scalars(
        select(Printer).where(Printer.branch_id == branch_id, Printer.name == RECEIPT))}
    a4 = {r.station: A4Setting(r.station, r.kind, r.target) for r in session.scalars(
        select(A4Output).where(A4Output.branch_id == branch_id))}
    ports: dict[str, list[str]] = {}
    for station, url in session.execute(select(KeypadPort.station, KeypadPort.url).where(
            KeypadPort.branch_id == branch_id).order_by(KeypadPort.id)):
        ports.setdefault(station, []).append(url)
    names = sorted(set(printers) | set(a4) | set(ports))
    return [StationDevices(n, printers.get(n), a4.get(n), tuple(ports.get(n, ())))
            for n in names]


__all__ = [
    "A4_KINDS", "A4Setting", "MAX_STATION_NAME", "RECEIPT", "STATION_ENV", "PrinterSetting",
    "StationDevices", "a4_setting", "host_station", "printer_setting", "resolve_station",
    "set_a4", "set_printer", "station_devices", "validate_station",
]
