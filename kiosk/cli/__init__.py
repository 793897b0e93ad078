"""The ``kiosk`` command.

Contract (scripts and tests depend on it):
- exit 0 done; 2 usage error; 3 refused by a business rule; 4 device error;
  1 anything else (the database unreachable, say);
- the reason goes to stderr in Chinese and English;
- with ``--json`` a command prints exactly one JSON object (or, for streaming
  commands, one object per line) on stdout, errors included.

Each subsystem adds its commands in its own module with a ``register(commands)``
function, listed in :mod:`kiosk.cli.index` with every top-level command, its help and
the modules adding to it: the parser lists them all but imports only the modules of
the command named on the command line (a module imports what its commands need). A
higher layer that the core must not import (the screens: ``kiosk run``) adds its own
command modules the same way, by name: ``main(extra_modules=["ui.cli"])``; those are
imported for every command, so they import what their handlers need in the handlers.

No SQLAlchemy here: a command that does not need it (``kiosk queue`` on an up-to-date
SQLite file) must not pay for its import.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn, cast

from kiosk.cli.index import COMMANDS, Entry, modules_of
from kiosk.errors import ConfigError, DeviceError, KioskError, RuleRefused, UsageError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kiosk.app import AppContext
    from kiosk.branch.calendar import CalendarGap

    _SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]
else:
    _SubParsers = argparse._SubParsersAction

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_REFUSED, EXIT_DEVICE = 0, 1, 2, 3, 4

Handler = Callable[["Context", argparse.Namespace], Any]

# Commands staff run (not a customer's ticket): after them, stderr says when this year
# or the coming one has no public holiday calendar (kiosk.branch.calendar).
STAFF_COMMANDS = frozenset({"init", "settings", "counter", "queue", "day", "ratings"})


@dataclass
class Context:
    """What a command handler needs: the application (database and station), and how
    to answer."""

    db_url: str | None
    json: bool = False
    station: str | None = None
    _app: AppContext | None = field(default=None, repr=False)
    calendar_checked: bool = False
    """A command that read the branch's calendar gap itself (``kiosk queue`` without
    the engine) sets it, with ``calendar_gap``; the notice after it prints that."""
    calendar_gap: CalendarGap | None = None

    @property
    def opened(self) -> bool:
        """Whether the application context (the engine) is open."""
        return self._app is not None

    @property
    def app(self) -> AppContext:
        """The application context: the branch database, migrated and seeded on first
        use; every handler passes it to the use cases of :mod:`kiosk.app`."""
        if self._app is None:
            from kiosk.app import AppContext

            self._app = AppContext.open(self.db_url, station=self.station)
        return self._app

    @property
    def engine(self) -> Engine:
        """The branch database (``app.engine``)."""
        return self.app.engine

    def emit(self, obj: dict[str, Any], text: str | None = None) -> None:
        """Print ``obj`` as one JSON line with ``--json``, else ``text``. Only an object:
        a list is wrapped by the command (``{"types": [...]}``), never printed bare."""
        if not isinstance(obj, dict):
            raise TypeError(f"--json prints one object, not {type(obj).__name__}")
        if self.json:
            print(json.dumps(obj, ensure_ascii=False, default=str), flush=True)
        elif text is not None:
            print(text, flush=True)

    def close(self) -> None:
        if self._app is not None:
            self._app.close()


class Commands:
    """Registry the command modules add their sub-commands to.

    With an ``index`` (:data:`kiosk.cli.index.COMMANDS`) its top-level commands exist
    before any module registers, in the index's order and with its help; a module
    adding to one fills that parser in, and :meth:`load` registers the modules of one
    command. ``created`` records what the modules registered themselves added at the
    top level (the index's test compares them)."""

    def __init__(self, subparsers: Any, common: argparse.ArgumentParser,
                 index: Mapping[str, Entry] | None = None) -> None:
        self._subparsers = subparsers
        self.common = common
        self._groups: dict[tuple[str, ...], Any] = {}
        self._indexed: dict[str, argparse.ArgumentParser] = {
            name: subparsers.add_parser(name, help=entry.help,
                                        parents=[common] if entry.kind == "command" else [])
            for name, entry in (index or {}).items()}
        self._loaded: set[str] = set()
        self.created: dict[str, tuple[str, str]] = {}

    def group(self, *path: str, help: str = "") -> Any:
        """The sub-command group at ``path`` (``"devices", "set"``), made on first use,
        so several modules can add commands to one group."""
        if len(path) == 1:
            self._record(path[0], "group", help)
        if path in self._groups:
            return self._groups[path]
        if len(path) == 1 and path[0] in self._indexed:
            parser = self._indexed[path[0]]
        else:
            parent = self.group(*path[:-1]) if len(path) > 1 else self._subparsers
            parser = parent.add_parser(path[-1], help=help)
        dest = "_".join(path) + "_command"
        self._groups[path] = parser.add_subparsers(dest=dest, required=True, metavar="COMMAND")
        return self._groups[path]

    def add(self, subparsers: Any, name: str, handler: Handler,
            help: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser
        if subparsers is self._subparsers:
            self._record(name, "command", help)
        if subparsers is self._subparsers and name in self._indexed:
            parser = self._indexed[name]
        else:
            parser = subparsers.add_parser(name, help=help, parents=[self.common])
        parser.set_defaults(handler=handler)
        return parser

    @property
    def top(self) -> Any:
        return self._subparsers

    def load(self, command: str) -> None:
        """Import and register the modules that add to ``command`` (nothing for a
        command outside the index: an extra module's, registered already)."""
        if command not in COMMANDS:
            return
        for module in modules_of(command):
            if module not in self._loaded:
                self._loaded.add(module)
                importlib.import_module(module).register(self)

    def _record(self, name: str, kind: str, help: str) -> None:
        first_kind, first_help = self.created.get(name, (kind, ""))
        self.created[name] = (first_kind, first_help or help)


class _TopLevel(_SubParsers):
    """The top-level commands: imports the modules of the one named on the command
    line just before argparse hands it the rest of the line."""

    commands: Commands | None = None

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        if self.commands is not None and values:
            self.commands.load(values[0])
        super().__call__(parser, namespace, values, option_string)


class _CommandLineError(Exception):
    def __init__(self, parser: argparse.ArgumentParser, message: str) -> None:
        super().__init__(message)
        self.parser, self.message = parser, message


class _Parser(argparse.ArgumentParser):
    """Hands a malformed command line back to :func:`main`, which reports it like
    every other usage error (both languages; one JSON object with ``--json``)."""

    def error(self, message: str) -> NoReturn:
        raise _CommandLineError(self, message)


def build_parser(extra_modules: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The whole command line: the core's commands (:data:`kiosk.cli.index.COMMANDS`,
    their modules imported when one of them is parsed), then ``extra_modules``
    (importable module names, each with a ``register(commands)`` function)."""
    parser = _Parser(
        prog="kiosk", description="Lobby Kiosk: queue and service kiosk of an insurance branch")
    parser.add_argument("--db", metavar="URL",
                        help="database URL (default: KIOSK_DB_URL, else a SQLite file in "
                             "the user data directory)")
    parser.add_argument("--station", metavar="NAME",
                        help="the station (kiosk PC) whose devices to use (default: "
                             "KIOSK_STATION, else the host name)")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print one JSON object")
    subparsers = cast(_TopLevel, parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", action=_TopLevel))
    commands = Commands(subparsers, common, COMMANDS)
    subparsers.commands = commands
    for name in extra_modules:
        importlib.import_module(name).register(commands)
    return parser


def _calendar_notice(ctx: Context) -> None:
    if ctx.calendar_checked:
        gap = ctx.calendar_gap
    else:
        from sqlalchemy.exc import SQLAlchemyError

        from kiosk import clock
        from kiosk.branch.info import load_branch
        from kiosk.db import unit_of_work

        try:
            with unit_of_work(ctx.engine) as session:
                branch = load_branch(session)
            gap = branch.calendar_gap(branch.business_date(clock.now()))
        except (KioskError, SQLAlchemyError):
            return  # the command itself succeeded: a notice never turns it into a failure
    if gap is not None:
        print(f"注意：{gap.zh}\nnote: {gap.en}", file=sys.stderr)


def _report(ctx: Context, exc: KioskError, status: int) -> int:
    print(exc.bilingual(), file=sys.stderr)
    if ctx.json:
        payload: dict[str, Any] = {"error": exc.code, "message_zh": exc.zh, "message_en": exc.en}
        if isinstance(exc, DeviceError):
            payload.update(port=exc.port, hint=exc.hint)
        ctx.emit(payload)
    return status


def _database_url(ctx: Context) -> Any:
    """The URL of the database the command used (for naming it in an error)."""
    from sqlalchemy.engine import make_url

    from kiosk.db import resolve_url

    return ctx._app.engine.url if ctx._app is not None else make_url(resolve_url(ctx.db_url))


def main(argv: Sequence[str] | None = None, *, extra_modules: Sequence[str] = ()) -> int:
    """Run one command; returns its exit code. ``extra_modules`` as for :func:`build_parser`."""
    parser = build_parser(extra_modules)
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(words)
    except _CommandLineError as exc:
        exc.parser.print_usage(sys.stderr)
        usage = UsageError(f"用法错误：{exc.message}", f"usage error: {exc.message}",
                           code="usage")
        return _report(Context(db_url=None, json="--json" in words), usage, EXIT_USAGE)
    ctx = Context(db_url=args.db, json=getattr(args, "json", False), station=args.station)
    try:
        if args.station is not None:  # a bad --station is a usage error for every command
            from kiosk.devices.station_names import validate_station

            validate_station(args.station)
        result = args.handler(ctx, args)
        if args.command in STAFF_COMMANDS:
            _calendar_notice(ctx)
        return int(result) if isinstance(result, int) else EXIT_OK
    except RuleRefused as exc:
        return _report(ctx, exc, EXIT_REFUSED)
    except (UsageError, ConfigError) as exc:
        return _report(ctx, exc, EXIT_USAGE)
    except DeviceError as exc:
        return _report(ctx, exc, EXIT_DEVICE)
    except KioskError as exc:
        return _report(ctx, exc, EXIT_FAILED)
    except Exception as exc:
        # The use cases translate database failures themselves; this is the net for a
        # driver error raised outside them. A value too large is a usage error (2).
        # SQLAlchemy raised it only if it was imported: this module does not import it.
        sqlalchemy_errors = sys.modules.get("sqlalchemy.exc")
        if sqlalchemy_errors is None or not isinstance(exc, sqlalchemy_errors.DBAPIError):
            raise
        from kiosk.app.errors import translate

        error = translate(exc, _database_url(ctx))
        return _report(ctx, error, EXIT_USAGE if isinstance(error, UsageError) else EXIT_FAILED)
    except KeyboardInterrupt:
        return 130
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
