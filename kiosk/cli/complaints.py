"""``kiosk complaint ...``: take in feedback or a complaint for a customer, and list the
comment book. Phones and numbers in the text are masked in every output."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from kiosk.errors import DeviceError, UsageError

if TYPE_CHECKING:
    from kiosk.app.complaints import ComplaintInfo
    from kiosk.cli import Commands, Context


def register(commands: Commands) -> None:
    """Add the ``complaint`` group."""
    from kiosk.feedback.complaints import CATEGORIES

    group = commands.group("complaint", help="feedback and complaints (the comment book)")
    p = commands.add(group, "add", cmd_add, "take in feedback or a complaint for a customer")
    p.add_argument("--category", required=True, choices=[c.code for c in CATEGORIES])
    p.add_argument("--text", required=True, help="what the customer said")
    p.add_argument("--phone", help="call-back number; give it only when the customer "
                                   "agreed to be called back (recorded as consent)")
    p.add_argument("--ticket", metavar="NUMBER", help="today's ticket it is about")
    p.add_argument("--source", choices=["staff", "kiosk"], default="staff",
                   help="who took it in (default staff: a member of staff at this PC)")
    p.add_argument("--staff", default="", help="staff number of who took it in "
                                               "(default: cli:<user>)")
    p.add_argument("--print", dest="print_receipt", action="store_true",
                   help="print the acknowledgement on the roll printer")

    p = commands.add(group, "list", cmd_list, "list feedback and complaints, newest first")
    p.add_argument("--state", action="append", default=[],
                   help="only in this state (repeatable): received, investigating, "
                        "replied, closed")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="received on or after this day")
    p.add_argument("--limit", type=int, default=200)


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    from kiosk.app.complaints import submit_complaint
    from kiosk.cli import EXIT_DEVICE, EXIT_FAILED
    from kiosk.privacy.audit import cli_actor

    staff = args.staff or (cli_actor() if args.source == "staff" else "")
    info = submit_complaint(ctx.app, args.category, args.text, phone=args.phone,
                            consent=bool(args.phone), source=args.source, entered_by=staff,
                            ticket=args.ticket, print_receipt=args.print_receipt)
    ctx.emit(info.to_json(), describe(info))
    if info.print is not None and info.print.error is not None:
        print(info.print.error.bilingual(), file=sys.stderr)
        return EXIT_DEVICE if isinstance(info.print.error, DeviceError) else EXIT_FAILED
    return 0


def cmd_list(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.complaints import list_complaints

    since = _day(args.since) if args.since else None
    result = list_complaints(ctx.app, states=args.state, since=since, limit=args.limit)
    lines = [f"{c.reference}  {c.received_at[:16]}  {c.state:<13} {c.category_name_zh:<6} "
             f"{c.contact or '-':<13} {_one_line(c.text)}" for c in result.complaints]
    ctx.emit(result.to_json(), "\n".join(lines) if lines else "没有记录 / none")


def describe(info: ComplaintInfo) -> str:
    contact = f"，回电 {info.contact}" if info.contact else ""
    return (f"已受理 {info.reference}（{info.category_name_zh}{contact}），"
            f"{info.feedback_due} 前反馈 / received {info.reference}, feedback by "
            f"{info.feedback_due}, reply by {info.reply_due}")


def _one_line(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[:width - 1] + "…"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"日期格式应为 YYYY-MM-DD：{text}",
                         f"the date must be YYYY-MM-DD, not {text!r}", code="usage") from None
