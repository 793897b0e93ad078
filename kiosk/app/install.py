"""``kiosk install`` / ``kiosk uninstall``: set a PC up as a kiosk station, and back.

What an installation is (each file listed in its manifest):

- ``/etc/lobby-kiosk/kiosk.env``: the station, the roles, the database URL;
- ``/etc/udev/rules.d/99-lobby-kiosk.rules``: each serial device assigned to this
  station, matched by its identity (the ``ID_SERIAL`` udev derives its by-id name
  from, or its USB socket ``ID_PATH``, or the kernel name), given to group
  ``dialout``, kept away from ModemManager (``ID_MM_DEVICE_IGNORE``) and linked as
  ``/dev/lobby-kiosk/<station>-<device>``;
- ``/usr/local/lib/lobby-kiosk/session``: the X session (``xinit``) that switches
  blanking and power saving off and starts each role on its own screen; when one
  exits, the session ends;
- ``/etc/systemd/system/lobby-kiosk.service`` (enabled by its link in
  ``multi-user.target.wants``): runs that session on tty1 as the ``kiosk`` user at
  boot, without a display manager or window manager, ``Restart=always``; the X
  server runs with ``-s 0 -dpms`` so the screen never blanks;
- ``/etc/X11/Xwrapper.config`` (only if the PC has none) letting that user start X;
- the ``kiosk`` system user in ``dialout`` (and ``audio``, ``video``, ``input``).

On the live machine (``--root /``, the default; it needs root) the commands that
change the system (``useradd``, ``systemctl daemon-reload``, ``udevadm``) are run.
With ``--root DIR`` every file is written below DIR and those commands are written
to ``DIR/var/lib/lobby-kiosk/install-commands.sh`` instead of being run: nothing of
the live machine is touched (the tests install and uninstall that way).
``uninstall`` removes exactly the files the manifest lists (and the folders that
became empty) and disables the service; the user is removed, its home kept.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kiosk.app.context import AppContext
from kiosk.app.results import Result
from kiosk.devices.keypad_ports import port_configs
from kiosk.devices.ports import identity_of, serial_dir
from kiosk.devices.stations import printer_setting
from kiosk.errors import UsageError

USER = "kiosk"
GROUPS = ("dialout", "audio", "video", "input")
SERVICE = "lobby-kiosk.service"
ENV_FILE = "etc/lobby-kiosk/kiosk.env"
RULES = "etc/udev/rules.d/99-lobby-kiosk.rules"
SESSION = "usr/local/lib/lobby-kiosk/session"
UNIT = f"etc/systemd/system/{SERVICE}"
WANTS = f"etc/systemd/system/multi-user.target.wants/{SERVICE}"
XWRAPPER = "etc/X11/Xwrapper.config"
STATE = "var/lib/lobby-kiosk"
MANIFEST = f"{STATE}/install-manifest.json"
INSTALL_COMMANDS = f"{STATE}/install-commands.sh"
UNINSTALL_COMMANDS = f"{STATE}/uninstall-commands.sh"
_ROLE = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")


@dataclass(frozen=True)
class Installed(Result):
    """What ``install``/``uninstall`` did: the files it wrote (or removed), the
    commands it ran, or wrote down (``commands_file``) when ``--root`` is not ``/``."""

    root: str
    station: str
    roles: tuple[str, ...]
    files: tuple[str, ...]
    commands: tuple[str, ...]
    commands_run: bool
    commands_file: str | None


def _device_rule(port: str, name: str) -> str | None:
    """The udev rule giving the device at ``port`` to the kiosk (None: not a local
    serial device, e.g. ``socket://``)."""
    if "://" in port:
        return None
    common = (f'GROUP="dialout", MODE="0660", ENV{{ID_MM_DEVICE_IGNORE}}="1", '
              f'SYMLINK+="lobby-kiosk/{name}"')
    folder = serial_dir()
    path = PurePosixPath(port)
    identity = identity_of(port) if path.parent.name == "by-id" else ""
    if identity:
        serial = identity.split(":", 1)[1]
        return f'SUBSYSTEM=="tty", ENV{{ID_SERIAL}}=="{serial}", {common}'
    if path.parent.name == "by-path" or str(path.parent) == str(folder / "by-path"):
        id_path = re.sub(r"-port\d+$", "", path.name)
        return f'SUBSYSTEM=="tty", ENV{{ID_PATH}}=="{id_path}", {common}'
    if str(path.parent) == "/dev" and path.name.startswith("tty"):
        return f'SUBSYSTEM=="tty", KERNEL=="{path.name}", {common}'
    return None  # a pty or a path udev does not manage


def plan(app: AppContext, roles: list[str], *, counter: int | None = None,
         db_url: str | None = None) -> dict[str, tuple[str, int]]:
    """The files of an installation (path below the root → (content, mode))."""
    if not roles:
        roles = ["customer"]
    for role in roles:
        if not _ROLE.match(role):
            raise UsageError(f"角色名无效：{role!r}", f"invalid role name {role!r}")
    if "counter" in roles and counter is None:
        raise UsageError("counter 角色需要 --counter N", "the counter role needs --counter N")
    with app.read() as session:
        printer = printer_setting(session, app.station)
        buses = port_configs(session, app.station)
    station = app.station
    rules = ["# Lobby Kiosk: the serial devices of station " + station,
             "# (written by kiosk install; removed by kiosk uninstall)"]
    devices = ([(printer.port, f"{station}-printer")] if printer else []) + [
        (bus.url, f"{station}-keypads-{n}") for n, bus in enumerate(buses, start=1)]
    for port, name in devices:
        rule = _device_rule(port, name)
        rules.append(rule if rule else f"# {name}: {port} is not a local serial device")
    env = {"KIOSK_STATION": station, "KIOSK_ROLES": " ".join(roles)}
    if db_url:
        env["KIOSK_DB_URL"] = db_url
    kiosk = f"{shlex.quote(sys.executable)} -m ui.cli"
    lines = ["#!/bin/bash", "# Lobby Kiosk X session (xinit): no blanking, each role on its "
             "own screen;", "# when one role exits the session ends and systemd starts it "
             "again.", "xset s off", "xset s noblank", "xset -dpms", "pids="]
    for screen, role in enumerate(roles):
        extra = f" --counter {counter}" if role == "counter" else ""
        lines.append(f"{kiosk} run --role {role} --screen {screen}{extra} & pids=\"$pids $!\"")
    lines += ["wait -n", "kill $pids 2>/dev/null", "exit 1"]
    unit = f"""[Unit]
Description=Lobby Kiosk station {station} ({', '.join(roles)})
After=systemd-user-sessions.service network-online.target sound.target
Wants=network-online.target
Conflicts=getty@tty1.service

[Service]
User={USER}
PAMName=login
TTYPath=/dev/tty1
EnvironmentFile=/{ENV_FILE}
ExecStart=/usr/bin/xinit /{SESSION} -- :0 vt1 -nolisten tcp -s 0 -dpms -keeptty
Restart=always
RestartSec=3
StandardOutput=journal
StandardError=journal

[Install]
WantedBy=multi-user.target
"""
    return {
        ENV_FILE: ("".join(f"{k}={shlex.quote(v)}\n" for k, v in env.items()), 0o644),
        RULES: ("\n".join(rules) + "\n", 0o644),
        SESSION: ("\n".join(lines) + "\n", 0o755),
        UNIT: (unit, 0o644),
    }


def _commands_install() -> list[list[str]]:
    groups = ",".join(GROUPS)
    return [["sh", "-c", f"id -u {USER} >/dev/null 2>&1 || useradd --system --create-home "
             f"--shell /usr/sbin/nologin {USER}"],
            ["usermod", "-aG", groups, USER],
            ["systemctl", "daemon-reload"],
            ["udevadm", "control", "--reload"],
            ["udevadm", "trigger", "--subsystem-match=tty"]]


def _commands_uninstall() -> list[list[str]]:
    return [["systemctl", "disable", "--now", SERVICE],
            ["systemctl", "daemon-reload"],
            ["udevadm", "control", "--reload"],
            ["sh", "-c", f"id -u {USER} >/dev/null 2>&1 && userdel {USER} || true"]]


def _run_or_record(root: Path, commands: list[list[str]], record: str) -> tuple[bool, str | None]:
    """Run ``commands`` on the live machine (root ``/``), else write them to a script
    below the root. Raises ``UsageError`` when a live command fails."""
    if root == Path("/"):
        for command in commands:
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise UsageError(f"命令失败：{shlex.join(command)}",
                                 f"command failed: {shlex.join(command)}: "
                                 f"{done.stderr.strip()}", code="install_failed")
        return True, None
    target = root / record
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("#!/bin/sh\n# Not run (kiosk install --root): what the live machine "
                      "would run.\nset -e\n" + "".join(shlex.join(c) + "\n" for c in commands))
    return False, "/" + record


def install(app: AppContext, root: Path, roles: list[str], *, counter: int | None = None,
            db_url: str | None = None) -> Installed:
    """Install below ``root`` (see the module docstring)."""
    root = _root(root)
    files = plan(app, roles, counter=counter, db_url=db_url)
    if root == Path("/") and os.geteuid() != 0:
        raise UsageError("安装需要 root 权限（sudo kiosk install）",
                         "installing needs root (sudo kiosk install), or use --root DIR",
                         code="not_root")
    if (root / MANIFEST).exists():
        uninstall(root)  # a second install replaces the first, leaving nothing behind
    written: list[str] = []
    created: list[str] = []  # folders made here, removed again by uninstall if empty
    for relative, (content, mode) in files.items():
        target = root / relative
        _make_folder(target.parent, root, created)
        target.write_text(content)
        target.chmod(mode)
        written.append(relative)
    xwrapper = root / XWRAPPER
    if not xwrapper.exists():  # never overwrite the PC's own X settings
        _make_folder(xwrapper.parent, root, created)
        xwrapper.write_text("# written by kiosk install: the kiosk user starts X on tty1\n"
                            "allowed_users=anybody\nneeds_root_rights=yes\n")
        written.append(XWRAPPER)
    link = root / WANTS
    _make_folder(link.parent, root, created)
    link.unlink(missing_ok=True)
    link.symlink_to(f"/{UNIT}")
    written.append(WANTS)
    _make_folder((root / MANIFEST).parent, root, created)
    commands = _commands_install()
    ran, record = _run_or_record(root, commands, INSTALL_COMMANDS)
    if record:
        written.append(INSTALL_COMMANDS)
    written.append(MANIFEST)
    used_roles = tuple(roles or ["customer"])
    (root / MANIFEST).write_text(json.dumps({
        "station": app.station, "roles": used_roles, "files": ["/" + f for f in written],
        "folders": ["/" + f for f in created]}, indent=2))
    return Installed(str(root), app.station, used_roles, tuple("/" + f for f in written),
                     tuple(shlex.join(c) for c in commands), ran, record)


def uninstall(root: Path) -> Installed:
    """Remove what the manifest below ``root`` lists; disable the service."""
    root = _root(root)
    manifest = root / MANIFEST
    try:
        listed = json.loads(manifest.read_text())
    except (OSError, ValueError) as exc:
        raise UsageError(f"{root} 下没有安装记录", f"no installation recorded below {root} "
                         f"({manifest} missing or unreadable)", code="not_installed") from exc
    if root == Path("/") and os.geteuid() != 0:
        raise UsageError("卸载需要 root 权限", "uninstalling needs root (sudo kiosk "
                         "uninstall)", code="not_root")
    removed: list[str] = []
    for name in listed["files"]:
        target = root / name.lstrip("/")
        if target.is_symlink() or target.exists():
            target.unlink()
            removed.append(name)
    for name in sorted(listed.get("folders", ()), key=len, reverse=True):
        with contextlib.suppress(OSError):  # not empty: something else lives there now
            (root / name.lstrip("/")).rmdir()
    commands = _commands_uninstall()
    ran, record = _run_or_record(root, commands, UNINSTALL_COMMANDS)
    return Installed(str(root), str(listed.get("station", "")), tuple(listed.get("roles", ())),
                     tuple(removed), tuple(shlex.join(c) for c in commands), ran, record)


def _make_folder(folder: Path, root: Path, created: list[str]) -> None:
    """Make ``folder`` and its missing parents, noting each one made (below ``root``)."""
    root.mkdir(parents=True, exist_ok=True)
    missing = []
    while not folder.exists() and folder != root:
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
        created.append(str(path.relative_to(root)))


def _root(root: Path) -> Path:
    if not root.is_absolute():
        root = root.resolve()
    return root


__all__ = ["Installed", "install", "plan", "uninstall"]
