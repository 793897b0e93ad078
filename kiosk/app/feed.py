"""The call feed as the screens and ``kiosk watch`` use it: every call, recall,
transfer, no-show, finish, cancel/expire and counter change of the branch, in commit
order, each once (:mod:`kiosk.queue.feed`), and a listener that wakes when another
process or PC commits one (:mod:`kiosk.queue.listen`).

A screen that follows the feed uses :class:`ui.feed.FeedWatcher` (it runs the listener
in a thread of its own); it starts from :func:`feed_position` (only what happens from
now on) or from a position it kept. :func:`feed_since` is one read, for a board that
polls or catches up.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from kiosk.app.context import AppContext
from kiosk.app.results import Result
from kiosk.branch.info import load_branch
from kiosk.errors import UsageError
from kiosk.queue import feed
from kiosk.queue.feed import FeedEvent
from kiosk.queue.listen import ConnectionCallback, FeedListener


@dataclass(frozen=True)
class FeedItem(Result):
    """One feed event; the object ``kiosk watch --json`` prints. ``id`` is its feed
    position (carry on after it), ``at`` ISO 8601 in branch time, to the millisecond."""

    id: int
    type: str
    ticket: str | None
    service: str | None
    counter: int | None
    recalls: int | None
    staff: str | None
    at: str
    reason: str

    @classmethod
    def of(cls, event: FeedEvent, timezone: str) -> FeedItem:
        return cls(**event.as_json(timezone))


@dataclass(frozen=True)
class FeedPage(Result):
    """Events after a position, oldest first; ``latest`` is where to carry on from."""

    events: tuple[FeedItem, ...]
    latest: int


def feed_position(app: AppContext) -> int:
    """The newest position now: follow from here to get only what happens next."""
    with app.read() as session:
        return feed.latest_id(session)


def feed_since(app: AppContext, after_id: int, *, kinds: Collection[str] | None = None,
               limit: int = feed.DEFAULT_LIMIT) -> FeedPage:
    """The events after ``after_id`` (``kinds``: only those types, see
    :data:`kiosk.queue.feed.ALL_KINDS`), at most ``limit``."""
    check_position(app, after_id)
    with app.read() as session:
        branch = load_branch(session)
        events, latest = feed.events_since(session, after_id, branch_id=branch.id,
                                           kinds=kinds, limit=limit)
    return FeedPage(tuple(FeedItem.of(e, branch.timezone) for e in events), latest)


def check_position(app: AppContext, after_id: int) -> int:
    """Refuse a position the feed has not reached (nothing would ever come); returns
    the newest position."""
    latest = feed_position(app)
    if not 0 <= after_id <= latest:
        raise UsageError(f"位置须在 0 到 {latest} 之间",
                         f"the feed position must be between 0 and {latest} (the newest "
                         f"event), not {after_id}", code="bad_position")
    return latest


def feed_listener(app: AppContext, after_id: int | None = None, *,
                  kinds: Collection[str] | None = None,
                  on_connection: ConnectionCallback | None = None) -> FeedListener:
    """A listener on this branch's feed from ``after_id`` (``None``: from now on).
    Block on its ``next_events()`` in a thread that may wait (not the GUI thread);
    ``stop()`` from anywhere; ``close()`` when done. It rides out the database going
    away (``on_connection(False, reason)``, later ``(True, "")``)."""
    if after_id is not None:
        check_position(app, after_id)
    return FeedListener(app.engine, after_id, kinds=kinds, on_connection=on_connection)


def branch_timezone(app: AppContext) -> str:
    """The branch's time zone, for :meth:`FeedItem.of`."""
    with app.read() as session:
        return load_branch(session).timezone


__all__ = ["FeedItem", "FeedPage", "branch_timezone", "check_position", "feed_listener",
           "feed_position", "feed_since"]
