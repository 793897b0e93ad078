"""The serial ports of this PC: what is plugged in, under which stable name, and
whether the kiosk's user may open it.

Device names drift (``/dev/ttyUSB0`` is ``ttyUSB1`` after a replug), so a device is
saved under the stable name udev gives it:

- ``/dev/serial/by-id/usb-<vendor>_<model>_<serial>-if00-port0``: made from the
  adapter's USB vendor, model and serial number, the same in every socket. This is
  the device's **identity**; it is what we save when the device has one.
- ``/dev/serial/by-path/pci-...-usb-0:1.2:1.0-port0``: the USB socket. Saved when the
  adapter has no by-id name (some CH340 boards), so that device is found again only
  in the same socket (docs/setup.md says so to the technician).

USB VID:PID and the serial number (from sysfs, through pyserial's ``list_ports``) are
shown with each port and written into the udev rules of ``kiosk install``.

``KIOSK_SERIAL_DIR`` points the code at another folder than ``/dev/serial`` (the
tests make a fake ``by-id``/``by-path`` there, with symlinks to pseudo-terminals, the
way udev makes them for USB adapters).
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import stat
from dataclasses import dataclass
from pathlib import Path

SERIAL_DIR_ENV = "KIOSK_SERIAL_DIR"
KIOSK_USER_ENV = "KIOSK_USER"
KIOSK_USER = "kiosk"
_BY_ID = re.compile(r"^(?P<bus>[a-z]+)-(?P<serial>.+?)(-if(?P<iface>[0-9a-f]{2}))?(-port\d+)?$")


def serial_dir() -> Path:
    """Where udev keeps the stable names (``KIOSK_SERIAL_DIR`` or ``/dev/serial``)."""
    return Path(os.environ.get(SERIAL_DIR_ENV) or "/dev/serial")


def kiosk_user() -> str:
    """The account the kiosk runs as: ``KIOSK_USER``, else ``kiosk`` if it exists,
    else the user running this command."""
    configured = os.environ.get(KIOSK_USER_ENV)
    if configured:
        return configured
    try:
        pwd.getpwnam(KIOSK_USER)
        return KIOSK_USER
    except KeyError:
        return pwd.getpwuid(os.getuid()).pw_name


@dataclass(frozen=True)
class PortInfo:
    """One serial port as this PC sees it now."""

    device: str  # the kernel's name (/dev/ttyUSB0, /dev/pts/3)
    stable_path: str  # by-id, else by-path, else the device itself
    by_id: str | None
    by_path: str | None
    identity: str  # "usb-serial:<vendor_model_serial>" from by-id; "" when none
    vid_pid: str | None  # "1a86:7523"
    serial_number: str | None
    description: str
    user: str  # the kiosk's user
    can_open: bool
    access_problem: str  # why it cannot (English; "" when it can)


def _links(folder: Path) -> dict[str, str]:
    """``{real device: link path}`` for the symlinks in ``folder``."""
    found: dict[str, str] = {}
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return found
    for entry in entries:
        if entry.is_symlink():
            found.setdefault(os.path.realpath(entry), str(entry))
    return found


def identity_of(by_id: str | None) -> str:
    """The identity a by-id name carries (``usb-serial:1a86_USB_Serial_A10``); ``""``
    without one."""
    if not by_id:
        return ""
    match = _BY_ID.match(Path(by_id).name)
    if match is None:
        return ""
    return f"{match['bus']}-serial:{match['serial']}"


def user_can_open(path: str, user: str) -> tuple[bool, str]:
    """Whether ``user`` may read and write ``path`` (from its owner, group and mode),
    and if not, why."""
    try:
        info = os.stat(path)
    except OSError as exc:
        return False, f"{path}: {exc.strerror}"
    try:
        account = pwd.getpwnam(user)
    except KeyError:
        return False, f"user {user} does not exist"
    if account.pw_uid == 0:
        return True, ""
    groups = {account.pw_gid} | {g.gr_gid for g in grp.getgrall() if user in g.gr_mem}
    mode = info.st_mode
    if info.st_uid == account.pw_uid:
        allowed = mode & stat.S_IRUSR and mode & stat.S_IWUSR
    elif info.st_gid in groups:
        allowed = mode & stat.S_IRGRP and mode & stat.S_IWGRP
    else:
        allowed = mode & stat.S_IROTH and mode & stat.S_IWOTH
    if allowed:
        return True, ""
    try:
        group = grp.getgrgid(info.st_gid).gr_name
    except KeyError:
        group = str(info.st_gid)
    return False, f"{user} is not allowed to open {path} (group {group}): add {user} to {group}"


def _info(device: str, by_id: dict[str, str], by_path: dict[str, str], user: str,
          vid_pid: str | None = None, serial_number: str | None = None,
          description: str = "") -> PortInfo:
    real = os.path.realpath(device)
    link_id, link_path = by_id.get(real), by_path.get(real)
    ok, why = user_can_open(real, user)
    return PortInfo(real, link_id or link_path or device, link_id, link_path,
                    identity_of(link_id), vid_pid, serial_number, description or "n/a",
                    user, ok, why)


def list_ports() -> list[PortInfo]:
    """The serial ports pyserial's ``list_ports`` sees, plus any device only the
    stable-name folders point at (a pseudo-terminal under a test's fake folder),
    by device name."""
    from serial.tools import list_ports as pyserial_ports

    folder = serial_dir()
    by_id, by_path = _links(folder / "by-id"), _links(folder / "by-path")
    user = kiosk_user()
    seen: dict[str, PortInfo] = {}
    for port in pyserial_ports.comports():
        vid_pid = (f"{port.vid:04x}:{port.pid:04x}" if port.vid is not None
                   and port.pid is not None else None)
        info = _info(port.device, by_id, by_path, user, vid_pid, port.serial_number,
                     port.description)
        seen[info.device] = info
    for real in {*by_id, *by_path} - set(seen):
        if os.path.exists(real):
            seen[real] = _info(real, by_id, by_path, user)
    return sorted(seen.values(), key=lambda p: p.device)


def describe_port(path: str) -> PortInfo:
    """One port given by any of its names (a pty, a by-id link, ``/dev/ttyUSB0``);
    a URL (``socket://``) is described as itself."""
    if "://" in path:
        return PortInfo(path, path, None, None, "", None, None, "network port",
                        kiosk_user(), True, "")
    real = os.path.realpath(path)
    for info in list_ports():
        if info.device == real:
            return info
    folder = serial_dir()
    return _info(path, _links(folder / "by-id"), _links(folder / "by-path"), kiosk_user())


def stable_name(path: str) -> str:
    """The name to save for the device at ``path``: its by-id link, else its by-path
    link, else ``path`` as given (a URL, ``/dev/ttyS0``, a pty)."""
    if "://" in path or not os.path.exists(path):
        return path
    info = describe_port(path)
    return info.by_id or info.by_path or path


def locate(identity: str) -> PortInfo | None:
    """The port that carries ``identity`` now (wherever it was plugged in)."""
    if not identity:
        return None
    for info in list_ports():
        if info.identity == identity:
            return info
    return None


__all__ = ["KIOSK_USER", "KIOSK_USER_ENV", "SERIAL_DIR_ENV", "PortInfo", "describe_port",
           "identity_of", "kiosk_user", "list_ports", "locate", "serial_dir", "stable_name",
           "user_can_open"]
