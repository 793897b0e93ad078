"""``kiosk watch``: the call feed as it happens, one line per event, from any process
or PC sharing the database, until interrupted.

Contract (integrations such as an LED board or a voice box read it as is):
- with ``--json`` one JSON object per line and per event: ``id`` (the feed position;
  ``--from ID`` resumes after it), ``type``, ``ticket``, ``service``, ``counter``,
  ``recalls``, ``staff``, ``at`` (ISO 8601, branch time), ``reason``;
- lines come in feed order, each event once, also across a database restart (the
  listener reconnects; "lost"/"back" notes go to stderr, never to stdout);
- SIGTERM ends it with exit 0, SIGINT (Ctrl-C) with exit 130, after the last whole line.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from types import FrameType
from typing import TYPE_CHECKING

from kiosk.app import feed as app_feed
from kiosk.app.feed import FeedItem
from kiosk.queue import feed

if TYPE_CHECKING:
    from kiosk.cli import Commands, Context

EXIT_INTERRUPTED = 130


def register(commands: Commands) -> None:
    p = commands.add(commands.top, "watch", cmd_watch,
                     "print call, recall, counter... events as they happen (until Ctrl-C)")
    p.add_argument("--from", dest="from_id", type=int, metavar="ID",
                   help="replay the events after feed position ID first (0 = all)")
    p.add_argument("--kind", action="append", choices=feed.ALL_KINDS, metavar="TYPE",
                   help="only events of this type (repeatable): "
                        + ", ".join(feed.ALL_KINDS))


def cmd_watch(ctx: Context, args: argparse.Namespace) -> int:
    timezone = app_feed.branch_timezone(ctx.app)
    start = app_feed.feed_position(ctx.app) if args.from_id is None else args.from_id
    listener = app_feed.feed_listener(ctx.app, start, kinds=args.kind,
                                      on_connection=_report_connection)
    status = {"code": 0}

    def stop(signum: int, _frame: FrameType | None) -> None:
        status["code"] = EXIT_INTERRUPTED if signum == signal.SIGINT else 0
        listener.stop()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not listener.stopped:
            for event in listener.next_events():
                item = FeedItem.of(event, timezone)
                ctx.emit(item.to_json(), text_line(item))
    except BrokenPipeError:
        # The reader went away (``kiosk watch | head``): end quietly, and keep Python's
        # final flush of stdout from failing again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        listener.close()
    return status["code"]


def text_line(item: FeedItem) -> str:
    """``10:02:03  #42  call           A012   enquiry    counter 3  S01``."""
    parts = [item.at[11:19], f"#{item.id}", f"{item.type:<14}"]
    if item.ticket is not None:
        parts += [f"{item.ticket:<5}", f"{item.service or '':<9}"]
    if item.counter is not None:
        parts.append(f"counter {item.counter}")
    if item.staff:
        parts.append(item.staff)
    if item.type == "recall":
        parts.append(f"recall {item.recalls}")
    elif item.reason and item.reason != "normal":  # an issue's reason is its priority
        parts.append(item.reason)
    return "  ".join(parts).rstrip()


def _report_connection(connected: bool, reason: str) -> None:
    if connected:
        print("数据库已恢复连接 / database reachable again", file=sys.stderr, flush=True)
    else:
        print(f"数据库无法访问，正在重试 / database unreachable ({reason}); retrying",
              file=sys.stderr, flush=True)
