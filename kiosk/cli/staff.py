"""Staff, audit and retention commands: ``kiosk staff add|list|reset-pin|disable|enable|
login``, ``kiosk audit``, ``kiosk purge``.

A PIN never appears on the command line (it would stay in the shell's history and in
the process list): it is asked for on a terminal, or read as one line from standard
input when that is not a terminal (``echo 2580 | kiosk staff login S0401``).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.errors import UsageError

if TYPE_CHECKING:
    from kiosk.cli import Commands, Context


def register(commands: Commands) -> None:
    staff = commands.group("staff", help="staff accounts and PIN login")
    p = commands.add(staff, "add", cmd_staff_add, "add a staff account (PIN asked for)")
    p.add_argument("number", help="staff number, e.g. S0401")
    p.add_argument("--name", required=True)
    p.add_argument("--role", required=True, choices=["counter", "supervisor", "technician"])
    commands.add(staff, "list", cmd_staff_list, "list the staff accounts")
    for name, handler, help_text in [
            ("reset-pin", cmd_staff_reset_pin, "set a new PIN (asked for); lifts a lockout"),
            ("disable", cmd_staff_enabled, "disable an account (its sessions end)"),
            ("enable", cmd_staff_enabled, "enable a disabled account"),
            ("login", cmd_staff_login, "check a PIN (read from standard input)")]:
        p = commands.add(staff, name, handler, help_text)
        p.add_argument("number")
    p = commands.add(staff, "photo", cmd_staff_photo,
                     "set the staff-board photo (PNG or JPEG) or remove it")
    p.add_argument("number")
    photo = p.add_mutually_exclusive_group(required=True)
    photo.add_argument("file", nargs="?", type=Path, help="the photo file")
    photo.add_argument("--remove", action="store_true", help="remove the photo")

    p = commands.add(commands.top, "audit", cmd_audit, "the audit log of staff actions")
    p.add_argument("--from", dest="start", type=_date, help="first local date YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=_date, help="last local date YYYY-MM-DD")
    p.add_argument("--staff", help="only this staff member (or cli:USER, system)")

    p = commands.add(commands.top, "purge", cmd_purge,
                     "erase personal data older than the retention setting")
    p.add_argument("--dry-run", action="store_true", help="only count what would be erased")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from exc


def read_pin(prompt: str, *, confirm: bool = False) -> str:
    """A PIN from the terminal (not echoed; typed twice with ``confirm``) or one line
    of standard input when it is not a terminal."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line.strip():
            raise UsageError("标准输入中没有密码", "no PIN on standard input", code="no_pin")
        return line.strip()
    pin = getpass.getpass(prompt)
    if confirm and getpass.getpass("PIN again / 再次输入: ") != pin:
        raise UsageError("两次输入的密码不一致", "the two PINs differ", code="pin_mismatch")
    return pin


def cmd_staff_add(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app import staff

    pin = read_pin(f"PIN for {args.number} / {args.number} 的密码: ", confirm=True)
    view = staff.add_staff(ctx.app, staff.console(ctx.app), args.number, args.name,
                           args.role, pin)
    ctx.emit(view.to_json(), f"added {view.number} {view.name} ({view.role})")


def cmd_staff_list(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app import staff

    views = staff.list_staff(ctx.app, staff.console(ctx.app))
    lines = [f"{v.number:<10} {v.name:<12} {v.role:<11} "
             f"{'enabled' if v.enabled else 'disabled':<8}"
             f"{'  locked until ' + v.locked_until if v.locked_until else ''}" for v in views]
    ctx.emit({"staff": [v.to_json() for v in views]}, "\n".join(lines) or "no staff accounts")


def cmd_staff_reset_pin(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app import staff

    pin = read_pin(f"new PIN for {args.number} / {args.number} 的新密码: ", confirm=True)
    view = staff.reset_pin(ctx.app, staff.console(ctx.app), args.number, pin)
    ctx.emit(view.to_json(), f"new PIN set for {view.number}")


def cmd_staff_enabled(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app import staff

    enable = args.staff_command == "enable"
    view = staff.set_enabled(ctx.app, staff.console(ctx.app), args.number, enable)
    ctx.emit(view.to_json(), f"{view.number} {'enabled' if enable else 'disabled'}")


def cmd_staff_photo(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app import staff

    data = None
    if not args.remove:
        try:
            data = args.file.read_bytes()
        except OSError as exc:
            raise UsageError(f"无法读取照片文件 {args.file}：{exc.strerror}",
                             f"cannot read the photo {args.file}: {exc.strerror}",
                             code="bad_photo") from exc
    view = staff.set_photo(ctx.app, staff.console(ctx.app), args.number, data)
    ctx.emit(view.to_json(), f"{view.number}: photo {'set' if view.has_photo else 'removed'}")


def cmd_staff_login(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app import staff

    pin = read_pin(f"PIN for {args.number} / {args.number} 的密码: ")
    session = staff.login(ctx.app, args.number, pin)
    ctx.emit({"number": session.number, "name": session.name, "role": session.role,
              "station": session.station},
             f"PIN accepted: {session.number} {session.name} ({session.role})")


def cmd_audit(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app import privacy, staff

    rows = privacy.audit_log(ctx.app, staff.console(ctx.app), start=args.start, end=args.end,
                             staff_number=args.staff)
    lines = [f"{r.at}  {r.station:<10} {r.staff:<12} {r.action:<24} {r.subject} {r.detail}"
             .rstrip() for r in rows]
    ctx.emit({"entries": [r.to_json() for r in rows]}, "\n".join(lines) or "no entries")


def cmd_purge(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app import privacy, staff

    report = privacy.purge(ctx.app, staff.console(ctx.app), dry_run=args.dry_run)
    verb = "would erase" if report.dry_run else "erased"
    lines = [f"personal data older than {report.retention_days} days (before "
             f"{report.cutoff}): {verb} {report.total} records"]
    lines += [f"  {i.name:<20} {i.records:>6}  {i.label_en}" for i in report.items]
    ctx.emit(report.to_json(), "\n".join(lines))
