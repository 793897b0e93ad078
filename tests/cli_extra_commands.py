"""A command module from outside the core, as the screens register ``kiosk run``."""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.errors import RuleRefused


def register(commands: Any) -> None:
    hello = commands.add(commands.top, "hello", cmd_hello, help="say hello (test)")
    hello.add_argument("name")
    commands.add(commands.top, "refuse", cmd_refuse, help="always refused (test)")


def cmd_hello(ctx: Any, args: argparse.Namespace) -> None:
    ctx.emit({"hello": args.name}, f"hello {args.name}")


def cmd_refuse(ctx: Any, args: argparse.Namespace) -> None:
    raise RuleRefused("测试拒绝", "refused by the test module", code="test_refused")
