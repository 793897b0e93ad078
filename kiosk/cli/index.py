"""The index of the ``kiosk`` command line: every top-level command, its one-line help
and the command modules that add to it.

``kiosk --help`` lists the commands from here, and ``kiosk X ...`` imports only the
modules that add to ``X`` (:mod:`kiosk.cli`): a command module imports what its
commands need, so importing all of them to build the parser cost half a second of every
command (issue 8's cold start). ``tests/test_cli_index.py`` registers every module and
checks this table against what they really add, so the two cannot drift; a new
command or module is a line here.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

COMMAND_MODULES = [
    "kiosk.cli.core",
    "kiosk.cli.printing",
    "kiosk.cli.claims",
    "kiosk.cli.keypads",
    "kiosk.cli.watch",
    "kiosk.cli.stations",
    "kiosk.cli.display",
    "kiosk.cli.staff",
    "kiosk.cli.complaints",
    "kiosk.cli.complaint_register",
    "kiosk.cli.setup",
    "kiosk.cli.reports",
]
"""Every command module of the core, in the order they register (the order of
``kiosk --help`` and of the sub-commands of a group several modules add to)."""


class Entry(NamedTuple):
    """A top-level command: a command with a handler, or a group of sub-commands."""

    kind: Literal["command", "group"]
    help: str
    modules: tuple[str, ...]
    """The short names (``core`` for ``kiosk.cli.core``) of the modules adding to it."""


COMMANDS: dict[str, Entry] = {
    "init": Entry("command", "create or upgrade the database; seed settings", ("core",)),
    "settings": Entry("group", "export or import the branch settings (TOML)", ("core",)),
    "ticket": Entry("group", "take, show and cancel queue tickets", ("core", "printing")),
    "counter": Entry("group", "run a counter", ("core",)),
    "queue": Entry("command", "waiting tickets and counters now", ("core",)),
    "day": Entry("group", "the business day", ("core",)),
    "seed-demo": Entry("command", "fill the database with demo history", ("core",)),
    "demo": Entry("command", "run the demonstration (simulated devices)", ("core",)),
    "printer": Entry("group", "test and query a receipt printer", ("printing",)),
    "devices": Entry("group", "the devices of each station",
                     ("printing", "keypads", "stations", "setup")),
    "print": Entry("group", "the print spool", ("printing", "stations")),
    "simulate": Entry("group", "simulated devices for demos and tests",
                      ("printing", "keypads")),
    "claims": Entry("group", "claim documents: types, checks, hand-over", ("claims",)),
    "keypad": Entry("group", "rating keypads (KP1): scan, test, listen, serve", ("keypads",)),
    "ratings": Entry("command", "satisfaction ratings, rates and the list (business days)",
                     ("keypads",)),
    "rate": Entry("command", "on-screen rating of a finished ticket (counter without keypad)",
                  ("keypads",)),
    "watch": Entry("command",
                   "print call, recall, counter... events as they happen (until Ctrl-C)",
                   ("watch",)),
    "display": Entry("group", "the lobby call display", ("display",)),
    "staff": Entry("group", "staff accounts and PIN login", ("staff",)),
    "audit": Entry("command", "the audit log of staff actions", ("staff",)),
    "purge": Entry("command", "erase personal data older than the retention setting",
                   ("staff",)),
    "complaint": Entry("group", "feedback and complaints (the comment book)",
                       ("complaints", "complaint_register")),
    "install": Entry("command", "set this PC up as a kiosk station: kiosk user in dialout, "
                     "udev rules for its devices, a systemd service starting its roles at "
                     "boot (root)", ("setup",)),
    "uninstall": Entry("command", "undo kiosk install: remove the files it listed, disable "
                       "the service", ("setup",)),
    "diagnostics": Entry("group", "what to send to support", ("setup",)),
    "report": Entry("group", "service KPIs and the daily and monthly reports", ("reports",)),
}
"""Top-level command -> what it is; in the order ``kiosk --help`` lists them."""


def modules_of(command: str) -> list[str]:
    """The modules to import for ``command``, in registration order."""
    wanted = {f"kiosk.cli.{name}" for name in COMMANDS[command].modules}
    return [name for name in COMMAND_MODULES if name in wanted]


__all__ = ["COMMANDS", "COMMAND_MODULES", "Entry", "modules_of"]
