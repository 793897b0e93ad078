"""The technician's device setup: the serial ports of this PC, what answers on them
(printer or keypad bus), and assigning a device to this station under its stable name.

Probing talks to serial ports and takes seconds (a silent port about 7 s): a screen
runs it in a worker with a ``progress`` callback (called on the worker's thread) and
a ``cancel`` event. Assigning a device is a staff action (``Permission.DEVICES``),
audited; the CLI acts as ``staff.console(app)``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kiosk.app import staff as staff_cases
from kiosk.app.context import AppContext
from kiosk.app.keypads import KeypadPortInfo, configure_keypads
from kiosk.app.printer import PrinterInfo
from kiosk.app.printer import set_printer as store_printer
from kiosk.app.results import Result
from kiosk.devices import checks
from kiosk.devices import ports as port_list
from kiosk.devices import probe as prober
from kiosk.errors import DeviceError, UsageError
from kiosk.staff.permissions import Permission, StaffSession
from printers.escpos.profiles import PrinterProfile


@dataclass(frozen=True)
class SerialPort(Result):
    """A serial port of this PC: the kernel name, the name saved for it (by-id, else
    by-path), its identity, USB VID:PID and serial number, and whether the kiosk's
    user may open it (``access_problem`` says why not)."""

    device: str
    stable_path: str
    by_id: str | None
    by_path: str | None
    identity: str
    vid_pid: str | None
    serial_number: str | None
    description: str
    user: str
    can_open: bool
    access_problem: str


@dataclass(frozen=True)
class SerialPorts(Result):
    ports: tuple[SerialPort, ...]


def _port(info: port_list.PortInfo) -> SerialPort:
    return SerialPort(info.device, info.stable_path, info.by_id, info.by_path, info.identity,
                      info.vid_pid, info.serial_number, info.description, info.user,
                      info.can_open, info.access_problem)


def serial_ports() -> SerialPorts:
    """Every serial port pyserial sees, and any only udev's stable names point at."""
    return SerialPorts(tuple(_port(p) for p in port_list.list_ports()))


@dataclass(frozen=True)
class FoundKeypad(Result):
    address: int
    model: str
    serial: str
    firmware: int
    keys: int


@dataclass(frozen=True)
class FoundPrinter(Result):
    """The status a printer gave while probed (``online`` None: unknown)."""

    online: bool | None
    cover_open: bool | None
    paper: str


@dataclass(frozen=True)
class ProbedPort(Result):
    """What ``port`` answered as: ``kind`` printer, keypads, nothing, error
    (``error_zh``/``error_en``) or cancelled; ``baud`` the rate it answered at;
    ``save_as`` the name to assign it under."""

    port: str
    save_as: str
    kind: str
    baud: int | None
    printer: FoundPrinter | None
    keypads: tuple[FoundKeypad, ...]
    error_zh: str
    error_en: str


@dataclass(frozen=True)
class ProbeReport(Result):
    ports: tuple[ProbedPort, ...]
    cancelled: bool


@dataclass(frozen=True)
class ProbeProgress(Result):
    """How far a probe is (``fraction`` 0..1 over every port) and what it asks now."""

    port: str
    index: int
    ports: int
    fraction: float
    doing: str


def probe_ports(ports: Sequence[str] | None = None, *,
                progress: Callable[[ProbeProgress], None] | None = None,
                cancel: threading.Event | None = None) -> ProbeReport:
    """Ask each port (default: every port :func:`serial_ports` lists; pseudo-terminals
    only when named) whether it is a printer or a keypad bus."""
    names = list(ports) if ports else [p.device for p in port_list.list_ports()]
    for name in names:
        if not name.strip():
            raise UsageError("端口名不能为空", "a port name must not be empty")

    def tell(step: prober.Progress) -> None:
        if progress is not None:
            progress(ProbeProgress(step.port, step.index, step.ports,
                                   round(step.fraction, 4), step.doing))

    found = prober.probe_ports(names, progress=tell, cancel=cancel)
    return ProbeReport(tuple(_probed(p) for p in found),
                       cancel is not None and cancel.is_set())


def _probed(probe: prober.PortProbe) -> ProbedPort:
    status = probe.status
    return ProbedPort(
        probe.port, port_list.stable_name(probe.port), probe.kind, probe.baud,
        None if status is None else FoundPrinter(status.online, status.cover_open,
                                                 status.paper),
        tuple(FoundKeypad(k.address, k.info.model, k.info.serial, k.info.firmware,
                          k.info.keys) for k in probe.keypads),
        probe.error.zh if probe.error else "", probe.error.en if probe.error else "")


@staff_cases.requires(Permission.DEVICES)
def assign_printer(app: AppContext, staff: StaffSession, port: str, profile_name: str,
                   mode: str | None = None, baud: int | None = None,
                   flow: str | None = None) -> PrinterInfo:
    """Make the printer on ``port`` this station's receipt printer, saved under its
    stable name (by-id, else by-path), so a replug elsewhere still finds it."""
    saved = store_printer(app, port_list.stable_name(port.strip()), profile_name, mode, baud,
                          flow)
    with app.write() as session:
        staff_cases.note(session, app, staff, "devices.printer", subject=saved.port,
                         detail=f"{saved.profile} {saved.mode} {saved.baud} {saved.flow}")
    return saved


@staff_cases.requires(Permission.DEVICES)
def assign_keypads(app: AppContext, staff: StaffSession, port: str,
                   mapping: dict[int, int], *, baud: int = 9600,
                   timeout_s: int = 30) -> KeypadPortInfo:
    """Make ``port`` one of this station's keypad buses (address → counter), saved
    under its stable name."""
    saved = configure_keypads(app, port_list.stable_name(port.strip()), mapping, baud=baud,
                              timeout_s=timeout_s)
    with app.write() as session:
        staff_cases.note(session, app, staff, "devices.keypads", subject=saved.port,
                         detail=",".join(f"{k.address}={k.counter}" for k in saved.keypads))
    return saved


@dataclass(frozen=True)
class KeypadReaddressed(Result):
    port: str
    serial: str
    address: int


@staff_cases.requires(Permission.DEVICES)
def set_keypad_address(app: AppContext, staff: StaffSession, port: str, baud: int,
                       serial: str, new_address: int) -> KeypadReaddressed:
    """Give the keypad with ``serial`` the address ``new_address`` (``SET_ADDR``);
    it answers from the new address, or this raises ``NoReply``."""
    from printers.kp1.link import Kp1Link, SerialLine

    if not 1 <= new_address <= 31:
        raise UsageError("评价器地址须为 1–31", "keypad addresses are 1-31")
    if not serial.strip() or len(serial) > 8 or not serial.isascii():
        raise UsageError("序列号为 1–8 个 ASCII 字符", "a serial number is 1-8 ASCII characters")
    line = SerialLine(port, baud)
    line.open()
    try:
        Kp1Link(line).set_address(serial, new_address)
    finally:
        line.close()
    with app.write() as session:
        staff_cases.note(session, app, staff, "devices.keypad_address", subject=port,
                         detail=f"{serial} -> {new_address}")
    return KeypadReaddressed(port, serial, new_address)


@dataclass(frozen=True)
class CheckResult(Result):
    """One check of this PC: ``state`` ok / problem / unknown, what was found and the
    fix to show (both languages)."""

    name: str
    state: str
    found_zh: str
    found_en: str
    fix_zh: str
    fix_en: str


@dataclass(frozen=True)
class Checks(Result):
    station: str
    checks: tuple[CheckResult, ...]

    @property
    def problems(self) -> tuple[CheckResult, ...]:
        return tuple(c for c in self.checks if c.state != "ok")


def run_checks(app: AppContext) -> Checks:
    """Check this PC for what stops a kiosk working (group dialout, brltty or
    ModemManager, the CJK font, the voice engine and audio, each assigned port, the
    receipt printer's paper width against its profile), each with its fix."""
    from kiosk.devices.keypad_ports import port_configs
    from kiosk.devices.stations import printer_setting

    with app.read() as session:
        printer = printer_setting(session, app.station)
        buses = port_configs(session, app.station)
    ports = ([printer.port] if printer else []) + [b.url for b in buses]
    found = [checks.check_dialout(), checks.check_port_grabbers(ports),
             checks.check_cjk_font(), checks.check_voice_engine(), checks.check_audio()]
    found += [_port_check(port) for port in ports]
    if printer is not None:
        found.append(_paper_check(printer.port, printer.profile))
    return Checks(app.station, tuple(CheckResult(c.name, c.state, c.found_zh, c.found_en,
                                                 c.fix_zh, c.fix_en) for c in found))


def _port_check(port: str) -> checks.Check:
    if "://" in port:
        return checks.Check(f"port {port}", "ok", "网络端口", "network port")
    info = port_list.describe_port(port)
    if info.can_open:
        return checks.Check(f"port {port}", "ok", f"{info.user} 可打开 {port}",
                     f"{info.user} may open {port}")
    return checks.Check(f"port {port}", "problem", f"无法打开 {port}：{info.access_problem}",
                 f"cannot open {port}: {info.access_problem}",
                 "检查设备已插好；sudo kiosk install 加入 dialout 组并写入 udev 规则",
                 "check the device is plugged in; sudo kiosk install adds the dialout group "
                 "and the udev rules")


def _paper_check(port: str, profile: PrinterProfile) -> checks.Check:
    from printers.escpos.probe import probe_escpos

    try:
        answer = probe_escpos(port, (profile.baud,))
    except DeviceError as exc:
        return checks.Check("paper_width", "unknown", exc.zh, exc.en, "检查打印机连接",
                     "check the printer's cable and power")
    if answer is None:
        return checks.Check("paper_width", "unknown", "打印机无应答，无法核对纸宽",
                     "the printer does not answer: paper width not checked",
                     "检查打印机电源、连线和波特率", "check the printer's power, cable and baud")
    return checks.check_paper_width(answer.model, profile.name, profile.dots)


__all__ = ["CheckResult", "Checks", "FoundKeypad", "FoundPrinter", "KeypadReaddressed",
           "ProbeProgress", "ProbeReport", "ProbedPort", "SerialPort", "SerialPorts",
           "assign_keypads", "assign_printer", "probe_ports", "run_checks", "serial_ports",
           "set_keypad_address"]
