"""The stations of the branch and their devices: every station's devices and their
health (what the admin board shows, from any PC), and the station's A4 output.

The receipt printer and the keypads have their own modules (:mod:`kiosk.app.printer`,
:mod:`kiosk.app.keypads`); each acts for ``app.station``. A screen prints through
:func:`kiosk.app.printout.print_roll`, which never waits more than its bound."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from kiosk.app.context import AppContext
from kiosk.app.errors import database_errors
from kiosk.app.results import Result
from kiosk.branch.info import BranchInfo, load_branch
from kiosk.devices import a4, health, stations
from kiosk.errors import UsageError


@dataclass(frozen=True)
class PrinterDevice(Result):
    port: str
    profile: str
    mode: str
    baud: int
    dots: int


@dataclass(frozen=True)
class A4Device(Result):
    """``kind`` cups (``target`` a queue for ``lp -d``) or folder (an absolute path)."""

    station: str
    kind: str
    target: str


@dataclass(frozen=True)
class StationInfo(Result):
    station: str
    printer: PrinterDevice | None
    a4: A4Device | None
    keypad_ports: tuple[str, ...]


@dataclass(frozen=True)
class Stations(Result):
    """Every station that has a device; ``station`` is the one this process runs as."""

    station: str
    stations: tuple[StationInfo, ...]


@dataclass(frozen=True)
class DeviceState(Result):
    """A device as its station last saw it: ``state`` ok / problem / unknown, what is
    wrong, since when (None: never seen) and when last checked (branch time, ISO)."""

    station: str
    device: str
    state: str
    problem_zh: str
    problem_en: str
    detail: str
    since: str | None
    checked_at: str | None


@dataclass(frozen=True)
class DeviceStates(Result):
    devices: tuple[DeviceState, ...]


def list_stations(app: AppContext) -> Stations:
    """Every station of the branch with its receipt printer, A4 output and keypad ports."""
    with app.read() as session:
        found = stations.station_devices(session)
    return Stations(app.station, tuple(StationInfo(
        s.station,
        None if s.printer is None else PrinterDevice(
            s.printer.port, s.printer.profile.name, s.printer.profile.mode,
            s.printer.profile.baud, s.printer.profile.dots),
        None if s.a4 is None else A4Device(s.a4.station, s.a4.kind, s.a4.target),
        s.keypad_ports) for s in found))


def device_health(app: AppContext) -> DeviceStates:
    """Every station's devices as last seen (printers, A4 outputs, keypads)."""
    with app.read() as session:
        return DeviceStates(device_states(session, load_branch(session)))


def device_states(session: Session, branch: BranchInfo) -> tuple[DeviceState, ...]:
    """:func:`device_health`'s rows inside the caller's unit of work (the live board)."""
    return tuple(DeviceState(
        h.station, h.device, h.state, h.problem_zh, h.problem_en, h.detail,
        None if h.since is None else branch.iso(h.since),
        None if h.checked_at is None else branch.iso(h.checked_at))
        for h in health.device_health(session, branch))


@dataclass(frozen=True)
class DeviceLogEntry(Result):
    """One change of a device: what it became (``state`` ok / problem / unknown),
    what was wrong, when (branch time, ISO)."""

    station: str
    device: str
    at: str
    state: str
    problem_zh: str
    problem_en: str
    detail: str


@dataclass(frozen=True)
class DeviceLog(Result):
    entries: tuple[DeviceLogEntry, ...]


def device_log(app: AppContext, *, every_station: bool = True,
               limit: int = 200) -> DeviceLog:
    """The newest device changes (offline, back online, paper out, cover open, keypad
    restarts...), newest first: every station's, or only this one's."""
    if not 1 <= limit <= 10_000:
        raise UsageError("条数须为 1–10000", "the limit is 1-10000")
    with app.read() as session:
        branch = load_branch(session)
        rows = health.device_log(session, station=None if every_station else app.station,
                                 limit=limit)
        return DeviceLog(tuple(DeviceLogEntry(
            e.station, e.device, branch.iso(e.at), e.state, e.problem_zh, e.problem_en,
            e.detail) for e in rows))


def set_a4(app: AppContext, *, cups: str | None = None,
           folder: str | None = None) -> A4Device:
    """Set the station's A4 output: exactly one of a CUPS queue or an absolute folder."""
    with app.write() as session:
        setting = stations.set_a4(session, cups=cups, folder=folder, station=app.station)
    return A4Device(setting.station, setting.kind, setting.target)


@dataclass(frozen=True)
class A4Sent(Result):
    """Where a PDF went: ``delivered_as`` is the file written or the CUPS request id."""

    station: str
    kind: str
    target: str
    delivered_as: str


def print_a4(app: AppContext, pdf: bytes | Path, name: str | None = None) -> A4Sent:
    """Send a PDF (its bytes, or a file) to the station's A4 output.

    Raises:
        UsageError: the file cannot be read or is not a PDF; no A4 output is set.
        DeviceError: the folder cannot be written or CUPS refused the file (named).
    """
    if isinstance(pdf, Path):
        try:
            data = pdf.read_bytes()
        except OSError as exc:
            raise UsageError(f"无法读取 {pdf}", f"cannot read {pdf}: {exc.strerror}") from exc
        name = name or pdf.stem
        where = str(pdf)
    else:
        data, where = pdf, name or "document"
    if not data.startswith(b"%PDF-"):
        raise UsageError(f"{where} 不是 PDF 文件", f"{where} is not a PDF file")
    with database_errors(app.engine):
        sent = a4.deliver_pdf(app.engine, data, name or "document", station=app.station)
    return A4Sent(sent.station, sent.kind, sent.target, sent.delivered_as)


__all__ = ["A4Device", "A4Sent", "DeviceLog", "DeviceLogEntry", "DeviceState", "DeviceStates",
           "PrinterDevice", "StationInfo", "Stations", "device_health", "device_log",
           "device_states", "list_stations", "print_a4", "set_a4"]
