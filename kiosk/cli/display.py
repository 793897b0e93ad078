"""The lobby display's settings from the command line: ``kiosk display notice``, the
scrolling line staff set (the display shows it within seconds, in every process)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.cli import Commands, Context


def register(commands: Commands) -> None:
    display = commands.group("display", help="the lobby call display")
    p = commands.add(display, "notice", cmd_notice,
                     "show (no text), set or --clear the display's scrolling notice")
    p.add_argument("text", nargs="?", help="the notice, in the words staff want shown")
    p.add_argument("--clear", action="store_true", help="remove the notice")


def cmd_notice(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.display import display_notice, set_display_notice
    from kiosk.errors import UsageError

    if args.clear and args.text is not None:
        raise UsageError("不能同时设置和清除通知", "give a notice or --clear, not both",
                         code="usage")
    if args.text is None and not args.clear:
        notice = display_notice(ctx.app)
        ctx.emit({"notice": notice}, notice or "(no notice / 无通知)")
        return
    if args.text is not None and not args.text.split():
        raise UsageError("通知内容为空（清除请用 --clear）",
                         "the notice is empty (use --clear to remove it)", code="usage")
    text = set_display_notice(ctx.app, "" if args.clear else args.text)
    ctx.emit({"notice": text}, f"notice set: {text}" if text else "notice cleared")
