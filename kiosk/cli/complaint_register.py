"""``kiosk complaint take|hand-over|update|show REF``: the complaints register from a
command line, beside ``add`` and ``list`` (kiosk/cli/complaints.py).

Who acts: ``--staff NUMBER`` logs that member of staff in (the PIN is read from the
terminal or one line of standard input, never an argument), so the complaint's owner
is a person; without it the command acts as the console (``cli:USER``). Every step is
audited. Phones are masked in every output.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.app.complaint_register import RegisterEntry
    from kiosk.cli import Commands, Context, Handler
    from kiosk.staff.permissions import StaffSession


def register(commands: Commands) -> None:
    """Add the register's commands to the ``complaint`` group."""
    group = commands.group("complaint", help="feedback and complaints (the comment book)")

    def add(name: str, handler: Handler, help: str) -> argparse.ArgumentParser:
        p = commands.add(group, name, handler, help)
        p.add_argument("reference", metavar="REF", help="the complaint's reference (FB...)")
        p.add_argument("--staff", metavar="NUMBER",
                       help="act as this member of staff (PIN read from standard input); "
                            "default: the console, cli:<user>")
        return p

    add("take", cmd_take, "take a complaint: you own it and stay its first owner (首问负责)")
    p = add("hand-over", cmd_hand_over, "hand your complaint to a colleague (recorded)")
    p.add_argument("--to", required=True, metavar="NUMBER", help="the colleague's staff number")
    p.add_argument("--reason", required=True, help="why, for the history")
    p = add("update", cmd_update, "progress feedback, notes, complex, major dispute, "
                                  "reply or close")
    p.add_argument("--feedback", metavar="TEXT",
                   help="progress feedback given to the customer (what was said)")
    p.add_argument("--note", metavar="TEXT",
                   help="a note; with --state replied the reply, with closed a remark")
    p.add_argument("--complex", metavar="REASON", dest="complex_reason",
                   help="mark it complex: the longer decision deadline (reason required)")
    p.add_argument("--major-dispute", action="store_true",
                   help="a major claim dispute: investigated within the setting's working days")
    p.add_argument("--state", choices=["replied", "closed"],
                   help="replied: the decision was given (owner); closed: the first owner "
                        "confirms it is done")
    add("show", cmd_show, "one complaint with its deadlines, what is overdue and its history")


def _actor(ctx: Context, args: argparse.Namespace) -> StaffSession:
    from kiosk.app import staff
    from kiosk.cli.staff import read_pin

    if not args.staff:
        return staff.console(ctx.app)
    pin = read_pin(f"PIN for {args.staff} / {args.staff} 的密码: ")
    return staff.login(ctx.app, args.staff, pin)


def cmd_take(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.complaint_register import take_complaint

    entry = take_complaint(ctx.app, _actor(ctx, args), args.reference)
    ctx.emit(entry.to_json(), describe(entry))


def cmd_hand_over(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.complaint_register import hand_over_complaint

    entry = hand_over_complaint(ctx.app, _actor(ctx, args), args.reference, args.to,
                                args.reason)
    ctx.emit(entry.to_json(), describe(entry))


def cmd_update(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.complaint_register import update_complaint

    entry = update_complaint(ctx.app, _actor(ctx, args), args.reference,
                             feedback=args.feedback, note_text=args.note,
                             complex_reason=args.complex_reason,
                             major_dispute=args.major_dispute, state=args.state)
    ctx.emit(entry.to_json(), describe(entry))


def cmd_show(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.complaint_register import complaint_entry

    entry = complaint_entry(ctx.app, _actor(ctx, args), args.reference)
    lines = [describe(entry), f"  {entry.complaint.text}"]
    lines += [f"  {s.at[:16]}  {s.kind:<13} {s.staff:<10} {s.note}" for s in entry.history]
    ctx.emit(entry.to_json(), "\n".join(lines))


def describe(entry: RegisterEntry) -> str:
    c = entry.complaint
    owner = c.owner or "-"
    first = f"（首问 {entry.first_owner}）" if entry.first_owner and entry.first_owner != owner \
        else ""
    late = f"  逾期 overdue: {', '.join(entry.overdue)}" if entry.overdue else ""
    return (f"{c.reference}  {c.state}  负责 owner {owner}{first}  "
            f"反馈 feedback by {c.feedback_due}  决定 decision by {c.decision_due}"
            f"{'  调查 investigate by ' + entry.investigate_due if entry.investigate_due else ''}"
            f"  联系 contact {c.contact or '-'}{late}")
