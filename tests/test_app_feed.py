"""The call feed at the application layer: typed pages with the JSON ``kiosk watch``
prints, positions the feed has not reached refused, a listener from a kept position."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from kiosk.app import AppContext
from kiosk.app import feed as app_feed
from kiosk.errors import UsageError
from tests.feed_support import act


def test_feed_since_pages_typed_items_in_branch_time(open_engine: Engine) -> None:
    app = AppContext(open_engine, "K1")
    start = app_feed.feed_position(app)
    act(open_engine, "open_counter", 2, "S2")
    act(open_engine, "take", "enquiry")
    act(open_engine, "call_next", 2, minutes=3)
    page = app_feed.feed_since(app, start, kinds=("call", "counter_open"))
    assert [(i.type, i.ticket, i.counter) for i in page.events] == [
        ("counter_open", None, 2), ("call", "A001", 2)]
    assert page.latest == start + 3
    assert page.to_json()["events"][1] == {
        "id": start + 3, "type": "call", "ticket": "A001", "service": "enquiry",
        "counter": 2, "recalls": 0, "staff": "S2", "at": "2026-11-23T10:03:00.000+08:00",
        "reason": ""}
    first, rest = app_feed.feed_since(app, start, limit=1), app_feed.feed_since(app, start + 1)
    assert first.events + rest.events == app_feed.feed_since(app, start).events


def test_a_position_the_feed_has_not_reached_is_refused(open_engine: Engine) -> None:
    app = AppContext(open_engine, "K1")
    latest = app_feed.feed_position(app)
    for bad in (latest + 1, -1):
        with pytest.raises(UsageError) as refused:
            app_feed.feed_since(app, bad)
        assert refused.value.code == "bad_position"
        with pytest.raises(UsageError):
            app_feed.feed_listener(app, bad)


def test_a_listener_carries_on_from_a_kept_position(open_engine: Engine) -> None:
    app = AppContext(open_engine, "K1")
    act(open_engine, "open_counter", 1, "S1")
    kept = app_feed.feed_position(app)
    act(open_engine, "take", "enquiry")
    listener = app_feed.feed_listener(app, kept, kinds=("issue",))
    try:
        events = listener.next_events(timeout=60)
    finally:
        listener.close()
    assert [(e.kind, e.ticket) for e in events] == [("issue", "A001")]
