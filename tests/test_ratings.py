"""Rating rules and the report, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kiosk.branch.info import load_branch
from kiosk.db import unit_of_work
from kiosk.errors import RuleRefused, UsageError
from kiosk.feedback.ratings import (
    answer_request,
    expire_requests,
    open_request,
    rate_on_screen,
    rating_page,
    rating_report,
    record_unsolicited,
    scale_values,
)
from kiosk.models import RatingRequest, TicketEvent
from kiosk.queue.lobby import Lobby
from tests.conftest import MONDAY_10AM

T = MONDAY_10AM


def serve(engine: Engine, counter: int, service: str, minute: int) -> TicketEvent:
    """Take, call and finish a ticket at ``counter``; return its finish event."""
    at = T + timedelta(minutes=minute)
    with unit_of_work(engine, write=True) as session:
        lobby = Lobby(session, now=at)
        if lobby.counter(counter).status != "open":
            lobby.open_counter(counter, f"S0{counter}")
        lobby.take(service)
        lobby.call_next(counter)
        ticket = lobby.finish(counter)
        session.flush()
        finish = session.scalars(select(TicketEvent).where(
            TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "finish")).one()
        session.expunge(finish)
        return finish


def test_request_answer_not_rated_unsolicited_and_the_report(open_engine: Engine) -> None:
    finishes = [serve(open_engine, 1, "enquiry", m) for m in range(4)]
    with unit_of_work(open_engine, write=True) as session:
        branch = load_branch(session)
        values = ["very_satisfied", "satisfied", "dissatisfied", "none"]
        for finish, value in zip(finishes, values, strict=True):
            request = open_request(session, branch, finish, timeout_s=30, now=T)
            assert answer_request(session, branch, request.id, value, at=T) is not None
            # the first answer counts: a second one is ignored
            assert answer_request(session, branch, request.id, "neutral", at=T) is None
        record_unsolicited(session, branch, 1, "neutral", at=T)
        report = rating_report(session, branch, T.date(), T.date())
    assert report["counts"]["very_satisfied"] == 1
    assert report["given"] == 4  # three answers and one unsolicited
    assert report["not_rated"] == 1
    assert report["satisfaction_rate"] == 0.5  # (1 + 1) / 4
    assert report["participation_rate"] == 0.75  # 3 answered of 4 asked
    assert report["unsolicited"] == 1
    assert "ratings" not in report  # the list comes a page at a time, on request
    with unit_of_work(open_engine) as session:
        listed = rating_page(session, branch, T.date(), T.date(), per_page=3)
        rest = rating_page(session, branch, T.date(), T.date(), page=2, per_page=3)
    assert (listed["total"], listed["pages"], rest["page"]) == (5, 2, 2)
    assert [r["ticket"] for r in listed["ratings"] + rest["ratings"]] == [
        "A001", "A002", "A003", "A004", None]
    assert {r["staff"] for r in listed["ratings"] + rest["ratings"]} == {"S01"}
    assert report["by_counter"][0]["counter"] == 1


def test_a_newer_request_at_the_counter_supersedes_the_older(open_engine: Engine) -> None:
    first, second = serve(open_engine, 2, "new_business", 0), serve(open_engine, 2,
                                                                     "new_business", 1)
    with unit_of_work(open_engine, write=True) as session:
        branch = load_branch(session)
        old = open_request(session, branch, first, timeout_s=30, now=T)
        new = open_request(session, branch, second, timeout_s=30, now=T)
        assert answer_request(session, branch, old.id, "satisfied", at=T) is None
        rating = answer_request(session, branch, new.id, "satisfied", at=T)
    assert rating is not None
    assert rating.ticket_id == second.ticket_id


def test_on_screen_rating_is_the_same_service_and_one_per_ticket(open_engine: Engine) -> None:
    finish = serve(open_engine, 3, "policy_change", 0)
    at = T + timedelta(minutes=1)
    with unit_of_work(open_engine, write=True) as session:
        branch = load_branch(session)
        rating = rate_on_screen(session, branch, "c001", "satisfied", at=at)
        assert (rating.ticket_id, rating.counter_number, rating.staff, rating.source) == \
            (finish.ticket_id, 3, "S03", "screen")
        with pytest.raises(RuleRefused, match="already"):
            rate_on_screen(session, branch, "C001", "neutral", at=at)
        request = open_request(session, branch, finish, timeout_s=30, now=at)
        assert answer_request(session, branch, request.id, "neutral", at=at) is None


def test_screen_values_follow_the_rating_scale(open_engine: Engine) -> None:
    serve(open_engine, 1, "enquiry", 0)
    assert scale_values(3) == ["satisfied", "neutral", "dissatisfied"]
    assert scale_values(5)[-1] == "very_dissatisfied"
    with unit_of_work(open_engine, write=True) as session:
        branch = load_branch(session)  # default scale: 4 keys
        with pytest.raises(UsageError, match="scale 4"):
            rate_on_screen(session, branch, "A001", "very_dissatisfied", at=T)
        Lobby(session, now=T).take("enquiry")
        with pytest.raises(RuleRefused, match="finished"):
            rate_on_screen(session, branch, "A002", "satisfied", at=T)


def test_requests_never_answered_close_as_not_rated(open_engine: Engine) -> None:
    finish = serve(open_engine, 1, "enquiry", 0)
    with unit_of_work(open_engine, write=True) as session:
        branch = load_branch(session)
        request = open_request(session, branch, finish, timeout_s=20, now=T)
        assert expire_requests(session, branch, T + timedelta(seconds=30)) == 0
        assert expire_requests(session, branch, T + timedelta(seconds=40)) == 1
        assert session.get(RatingRequest, request.id).status == "not_rated"  # type: ignore[union-attr]


def test_a_finish_committed_late_does_not_supersede_a_newer_request(open_engine: Engine
                                                                    ) -> None:
    older, newer = serve(open_engine, 2, "new_business", 0), serve(open_engine, 2,
                                                                   "new_business", 1)
    with unit_of_work(open_engine, write=True) as session:
        branch = load_branch(session)
        current = open_request(session, branch, newer, timeout_s=30, now=T)
        late = open_request(session, branch, older, timeout_s=30, now=T)
        assert late.status == "superseded"
        assert answer_request(session, branch, current.id, "satisfied", at=T) is not None


def test_a_failed_request_is_answered_by_its_session_until_a_newer_one_supersedes_it(
        open_engine: Engine) -> None:
    first, second = serve(open_engine, 2, "new_business", 0), serve(open_engine, 2,
                                                                    "new_business", 1)
    with unit_of_work(open_engine, write=True) as session:
        branch = load_branch(session)
        lost = open_request(session, branch, first, timeout_s=30, now=T)
        lost.status = "failed"  # REQUEST_RATING got no reply; it may have arrived
        session.flush()
        assert answer_request(session, branch, lost.id, "satisfied", at=T) is not None
        again = open_request(session, branch, second, timeout_s=30, now=T)
        again.status = "failed"
        session.flush()
        open_request(session, branch, serve_in(session, 2, minute=2), timeout_s=30, now=T)
        # the customer now at the counter is a newer one: the old session is stale
        assert answer_request(session, branch, again.id, "satisfied", at=T) is None
        assert session.get(RatingRequest, again.id).status == "superseded"  # type: ignore[union-attr]


def serve_in(session: Session, counter: int, minute: int) -> TicketEvent:
    """Take, call and finish a ticket at ``counter`` within ``session``."""
    lobby = Lobby(session, now=T + timedelta(minutes=minute))
    lobby.take("new_business")
    lobby.call_next(counter)
    ticket = lobby.finish(counter)
    session.flush()
    return session.scalars(select(TicketEvent).where(
        TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "finish")).one()
