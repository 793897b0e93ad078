"""``kiosk run --role R``: the screens' entry point, added to the core's CLI from here.

The ``kiosk`` console script is :func:`main`, which runs ``kiosk.cli.main`` with this
module as an extra command module, so ``kiosk/`` never imports ``ui/`` and every other
command works as before. Nothing here imports Qt until ``run`` actually runs: the other
commands stay as fast as they were.

Screen issues add their role to :data:`ROLES` (a ``"module:factory"`` string, imported
only when that role runs). The factory gets a :class:`RunContext` and returns the
top-level window (normally a ``ui.shell.Shell``).
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kiosk.errors import UsageError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from kiosk.cli import Commands, Context


@dataclass(frozen=True)
class Option:
    """A role's own command-line option, e.g. ``Option(("--counter",), {"type": int})``."""

    flags: tuple[str, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Role:
    target: str | None
    """``"module:factory"``; None while the role's issue is not built."""
    help: str
    keyboard: bool = True
    """Whether the role types text (loads the on-screen keyboard)."""
    options: tuple[Option, ...] = ()
    compact: tuple[int, int] | None = None
    """A compact window of this size that stays on top (the counter terminal beside
    the counter PC's own programs) instead of full screen."""
    purges: bool = True
    """Whether the station asks for the daily purge of personal data (every real
    role; not the widget gallery)."""
    demo: bool = True
    """Whether ``scripts/demo.sh`` starts it (every built branch screen does)."""
    demo_args: tuple[str, ...] = ()
    """Its own options in the demo, e.g. ``("--counter", "1")``."""


ROLES: dict[str, Role] = {
    "gallery": Role("ui.gallery:make_window", "the shared widgets (theme check)",
                    purges=False, demo=False),
    "customer": Role("ui.customer.window:make_window", "customer touchscreen (issue 10)"),
    "counter": Role("ui.counter.window:make_window", "counter terminal", keyboard=False,
                    options=(Option(("--counter",), {"type": int, "metavar": "N",
                                                     "help": "the counter this PC serves"}),),
                    compact=(640, 1000), demo_args=("--counter", "1")),
    "admin": Role("ui.admin.window:make_window", "admin panel (issue 12): supervisor PIN "
                  "login, live board, complaints register"),
    "display": Role("ui.lobby.window:make_window", "lobby call display", keyboard=False),
    "setup": Role("ui.setup.window:make_window",
                  "technician device setup: ports, probe, assign, test, checks, diagnostics"),
}
"""Role name -> what ``kiosk run --role NAME`` opens. Screen issues fill these in."""


@dataclass
class RunContext:
    """What a role factory gets: the core's CLI context (``cli.engine`` opens the branch
    database, migrated, on first use) and the parsed command line (role options too)."""

    cli: Context
    args: argparse.Namespace


def resolve_role(name: str) -> tuple[Role, Callable[[RunContext], QWidget]]:
    """The role and its factory; an unknown or unbuilt role is a usage error (exit 2)."""
    role = ROLES.get(name)
    known = ", ".join(sorted(n for n, r in ROLES.items() if r.target))
    if role is None:
        raise UsageError(f"未知角色 {name!r}（可用：{known}）",
                         f"unknown role {name!r} (available: {known})", code="usage")
    if role.target is None:
        raise UsageError(f"角色 {name!r} 尚未实现（{role.help}）（可用：{known}）",
                         f"role {name!r} is not built yet ({role.help}); available: {known}",
                         code="usage")
    module, _, function = role.target.partition(":")
    factory: Callable[[RunContext], QWidget] = getattr(importlib.import_module(module),
                                                        function)
    return role, factory


def parse_size(text: str) -> tuple[int, int]:
    """``"1080x1920"`` -> (1080, 1920); anything else is a usage error."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"窗口尺寸格式应为 宽x高（例如 1280x800），而不是 {text!r}",
                         f"size must be WIDTHxHEIGHT (e.g. 1280x800), not {text!r}",
                         code="usage") from None
    if width < 320 or height < 240:
        raise UsageError(f"窗口尺寸 {text} 太小", f"size {text} is too small", code="usage")
    return width, height


def register(commands: Commands) -> None:
    parser = commands.add(commands.top, "run", handle_run,
                          help="open the screens of a role (full screen)")
    parser.add_argument("--role", required=True,
                        help="; ".join(f"{name}: {role.help}" for name, role in ROLES.items()))
    parser.add_argument("--screen", type=int, metavar="N",
                        help="screen number, from 0 (default: the primary screen)")
    parser.add_argument("--windowed", action="store_true",
                        help="a normal window instead of full screen (development)")
    parser.add_argument("--size", metavar="WxH", help="window size with --windowed "
                        "(e.g. 1080x1920 for portrait; default 1280x800)")
    parser.add_argument("--lang", choices=["zh_CN", "en"],
                        help="starting language (default: the branch's screen_language "
                             "setting, zh_CN unless changed)")
    parser.add_argument("--large-text", action="store_true", help="start in large text")
    for name, role in ROLES.items():
        for option in role.options:
            kwargs = dict(option.kwargs)
            kwargs["help"] = f"[{name}] {kwargs.get('help', '')}".strip()
            parser.add_argument(*option.flags, **kwargs)


def branch_language(ctx: Context) -> str:
    """The branch's ``screen_language`` setting; zh_CN when it cannot be read now (the
    screen then reports the database itself)."""
    from kiosk.app.admin_settings import language_defaults
    from kiosk.errors import KioskError

    try:
        return language_defaults(ctx.app).screen_language
    except KioskError:
        return "zh_CN"


def handle_run(ctx: Context, args: argparse.Namespace) -> int:
    role, factory = resolve_role(args.role)
    size = parse_size(args.size) if args.size else None
    from PySide6.QtCore import QTimer

    from ui.app import create_app
    from ui.fullscreen import show_compact, show_fullscreen, show_windowed

    language = args.lang or (branch_language(ctx) if role.purges else "zh_CN")
    app = create_app(language=language, large_text=args.large_text, keyboard=role.keyboard)
    shown: list[QWidget] = []

    def stop(*_: object) -> None:
        if shown and hasattr(shown[0], "allow_close"):
            shown[0].allow_close = True
        # Queued, not app.quit() now: before the event loop runs, quit() does nothing.
        QTimer.singleShot(0, app.quit)

    # From here, not once the window shows: a SIGTERM in between (the demo stopping a
    # screen whose window has just appeared) killed the program outright (exit -15).
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    from ui import i18n

    i18n.set_default_language(language)
    window = factory(RunContext(cli=ctx, args=args))
    shown.append(window)
    window.setWindowTitle("Lobby Kiosk")
    if role.purges:
        from ui.maintenance import DailyPurge

        window._purge = DailyPurge(ctx.app, window)  # type: ignore[attr-defined]
        window._purge.start()  # type: ignore[attr-defined]
    if role.keyboard:
        from ui.keyboard import VirtualKeyboard
        from ui.shell import Shell

        window._keyboard = VirtualKeyboard(  # type: ignore[attr-defined]
            window if isinstance(window, Shell) else None, window)
    if args.windowed:
        # a normal window for development and the demo: closing it ends the program
        if hasattr(window, "allow_close"):
            window.allow_close = True
        show_windowed(window, size, args.screen)
    elif role.compact:
        show_compact(window, size or role.compact, args.screen)
    else:
        show_fullscreen(window, args.screen)

    heartbeat = QTimer()  # lets Python run its signal handlers while Qt waits
    heartbeat.start(200)
    heartbeat.timeout.connect(lambda: None)
    return int(app.exec())


def main(argv: Sequence[str] | None = None) -> int:
    """The ``kiosk`` console script: the core's commands plus ``run`` and ``voice``."""
    from kiosk.cli import main as kiosk_main

    return kiosk_main(argv, extra_modules=["ui.cli", "ui.voice.commands"])


if __name__ == "__main__":
    sys.exit(main())
