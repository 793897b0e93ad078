"""Customer satisfaction ratings (服务评价): requests, ratings and the report.

A rating comes from a keypad (``kiosk.devices.keypads`` turns KP1 events into calls here) or
from the counter terminal's screen for a counter without a keypad; both go through
the same functions and the source is recorded. Rules:

- a finished ticket may be asked for a rating once (:func:`open_request`); a newer
  request at the same counter supersedes the old one, as the keypad itself does;
- the first answer is stored with the ticket, counter, staff member and time; a
  timeout is stored as "not rated" (value ``none``); one rating per ticket;
- a rating nobody asked for is stored as unsolicited with the counter and the staff
  member on duty at that moment, without a ticket;
- satisfaction rate = (very satisfied + satisfied) / ratings given, "not rated"
  excluded; participation rate = answered requests / requests that ended.

Functions take the caller's session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kiosk.branch.info import BranchInfo
from kiosk.errors import NotFound, RuleRefused, UsageError
from kiosk.models import Counter, Rating, RatingRequest, Ticket, TicketEvent
from kiosk.models.keypads import NOT_RATED, RATING_VALUES

# Key code (KP1) of each rating value: 1 very satisfied … 5 very dissatisfied.
RATING_KEYS: dict[str, int] = {value: i + 1 for i, value in enumerate(RATING_VALUES)}
VALUE_OF_KEY: dict[int, str] = {0: NOT_RATED, **{k: v for v, k in RATING_KEYS.items()}}
# The keys a keypad of each size carries. A 3-key keypad is 满意 / 一般 / 不满意.
SCALE_KEYS: dict[int, tuple[int, ...]] = {3: (2, 3, 4), 4: (1, 2, 3, 4), 5: (1, 2, 3, 4, 5)}
SATISFIED = ("very_satisfied", "satisfied")
LABELS: dict[str, tuple[str, str]] = {
    "very_satisfied": ("非常满意", "very satisfied"),
    "satisfied": ("满意", "satisfied"),
    "neutral": ("一般", "neutral"),
    "dissatisfied": ("不满意", "dissatisfied"),
    "very_dissatisfied": ("非常不满意", "very dissatisfied"),
    NOT_RATED: ("未评价", "not rated"),
}
# A request the keypad never answered (it restarted, or was unplugged) is closed as
# "not rated" this long after its own timeout.
REQUEST_GRACE_S = 15
OPEN_REQUEST = ("pending", "sent")
# A request whose REQUEST_RATING got no reply may still have reached the keypad (only
# the replies were lost): a key with its session proves it did, so it is answered.
ANSWERABLE = (*OPEN_REQUEST, "failed")


def scale_values(scale: int) -> list[str]:
    """The rating values offered on a scale of 3, 4 or 5 keys, best first."""
    if scale not in SCALE_KEYS:
        raise UsageError("评价等级只能为 3、4 或 5", "the rating scale must be 3, 4 or 5")
    return [VALUE_OF_KEY[k] for k in SCALE_KEYS[scale]]


def open_request(session: Session, branch: BranchInfo, finish: TicketEvent, *,
                 timeout_s: int, now: datetime, keypad_id: int | None = None) -> RatingRequest:
    """Ask for a rating of the ticket ``finish`` (a ``finish`` ticket event) closed.

    Earlier open requests of the same counter are superseded: the customer in front
    of the counter now is the one who rates. A finish older than the counter's latest
    request (committed late) is recorded as superseded at once and not sent."""
    if finish.counter_number is None:
        raise UsageError("结束记录没有窗口号", "the finish event has no counter")
    newer = session.scalar(select(RatingRequest.id).where(
        RatingRequest.branch_id == branch.id,
        RatingRequest.counter_number == finish.counter_number,
        RatingRequest.finish_event_id > finish.id).limit(1))
    if newer is None:
        session.execute(
            update(RatingRequest)
            .where(RatingRequest.branch_id == branch.id,
                   RatingRequest.counter_number == finish.counter_number,
                   RatingRequest.status.in_(ANSWERABLE))
            .values(status="superseded", closed_at=now)
            .execution_options(synchronize_session=False))
    request = RatingRequest(
        branch_id=branch.id, ticket_id=finish.ticket_id, finish_event_id=finish.id,
        counter_number=finish.counter_number, staff=finish.staff, keypad_id=keypad_id,
        requested_at=now, timeout_s=timeout_s,
        status="pending" if newer is None else "superseded",
        closed_at=None if newer is None else now)
    session.add(request)
    session.flush()
    return request


def answer_request(session: Session, branch: BranchInfo, request_id: int, value: str, *,
                   at: datetime, source: str = "keypad") -> Rating | None:
    """Store the answer (or ``none`` on timeout) to a request; the first one counts.

    Returns None when the request is unknown, already answered or superseded, or
    its ticket already has a rating: nothing is stored then."""
    _check_value(value)
    # populate_existing: a bulk UPDATE in this session (a supersede) must be seen
    request = session.get(RatingRequest, request_id, with_for_update=True,
                          populate_existing=True)
    if request is None or request.branch_id != branch.id or request.status not in ANSWERABLE:
        return None
    request.closed_at = at
    if _rating_of(session, request.ticket_id) is not None:
        request.status = "superseded"
        return None
    request.status = "not_rated" if value == NOT_RATED else "rated"
    rating = Rating(
        branch_id=branch.id, ticket_id=request.ticket_id, request_id=request.id,
        business_date=branch.business_date(at), rated_at=at,
        counter_number=request.counter_number, staff=request.staff, value=value,
        solicited=True, source=source)
    session.add(rating)
    session.flush()
    return rating


def record_unsolicited(session: Session, branch: BranchInfo, counter_number: int, value: str,
                       *, at: datetime, source: str = "keypad") -> Rating:
    """A rating pressed while none was asked for: counter and staff of this moment."""
    _check_value(value)
    if value == NOT_RATED:
        raise UsageError("未评价不能作为主动评价", "'none' is not a rating")
    counter = session.scalar(select(Counter).where(Counter.branch_id == branch.id,
                                                   Counter.number == counter_number))
    if counter is None:
        raise NotFound(f"没有 {counter_number} 号窗口", f"no counter {counter_number}")
    rating = Rating(
        branch_id=branch.id, ticket_id=None, request_id=None,
        business_date=branch.business_date(at), rated_at=at, counter_number=counter_number,
        staff=counter.staff, value=value, solicited=False, source=source)
    session.add(rating)
    session.flush()
    return rating


def rate_on_screen(session: Session, branch: BranchInfo, ticket_number: str, value: str, *,
                   at: datetime, day: date | None = None) -> Rating:
    """The counter terminal's on-screen rating, for a counter without a keypad.

    ``value`` is one of the scale's values, or ``none`` when the customer left
    without choosing. Counter and staff are those that finished the ticket."""
    scale = int(branch.setting("rating_scale"))
    if value != NOT_RATED and value not in scale_values(scale):
        raise UsageError(f"评价须为 {', '.join(scale_values(scale))} 之一",
                         f"the rating must be one of {', '.join(scale_values(scale))} "
                         f"(scale {scale}) or none")
    ticket = session.scalar(select(Ticket).where(
        Ticket.branch_id == branch.id, Ticket.number == ticket_number.upper(),
        Ticket.business_date == (day or branch.business_date(at))).with_for_update())
    if ticket is None:
        raise NotFound(f"没有 {ticket_number} 号票", f"no ticket {ticket_number}")
    if ticket.status != "done":
        raise RuleRefused(f"{ticket.number} 尚未办结，不能评价",
                          f"{ticket.number} is {ticket.status}; only finished tickets are rated",
                          code="not_finished")
    if _rating_of(session, ticket.id) is not None:
        raise RuleRefused(f"{ticket.number} 已评价", f"{ticket.number} has been rated already",
                          code="already_rated")
    finish = session.scalar(select(TicketEvent).where(
        TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "finish")
        .order_by(TicketEvent.id.desc()).limit(1))
    counter_number = finish.counter_number if finish else ticket.counter_number
    staff = finish.staff if finish else ticket.staff
    # Close any keypad request for the same ticket, so the two cannot both count.
    session.execute(update(RatingRequest).where(
        RatingRequest.ticket_id == ticket.id, RatingRequest.status.in_(OPEN_REQUEST))
        .values(status="superseded", closed_at=at).execution_options(synchronize_session=False))
    rating = Rating(
        branch_id=branch.id, ticket_id=ticket.id, request_id=None,
        business_date=branch.business_date(at), rated_at=at, counter_number=counter_number,
        staff=staff, value=value, solicited=True, source="screen")
    session.add(rating)
    session.flush()
    return rating


def expire_requests(session: Session, branch: BranchInfo, now: datetime,
                    grace_s: int = REQUEST_GRACE_S) -> int:
    """Close as "not rated" the requests whose keypad never reported a timeout."""
    stale = [r for r in session.scalars(select(RatingRequest).where(
        RatingRequest.branch_id == branch.id, RatingRequest.status.in_(OPEN_REQUEST)))
        if now - r.requested_at > timedelta(seconds=(r.timeout_s or 30) + grace_s)]
    for request in stale:
        answer_request(session, branch, request.id, NOT_RATED, at=now)
    return len(stale)


def _rating_of(session: Session, ticket_id: int) -> Rating | None:
    return session.scalar(select(Rating).where(Rating.ticket_id == ticket_id))


def _check_value(value: str) -> None:
    if value not in VALUE_OF_KEY.values():
        raise UsageError(f"未知评价 {value}", f"unknown rating {value!r}")


# ----- the report --------------------------------------------------------------------

# The list of individual ratings comes in pages of at most this many.
MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class RateFigures:
    given: int
    satisfied: int
    not_rated: int
    answered_requests: int

    @property
    def satisfaction_rate(self) -> float | None:
        return round(self.satisfied / self.given, 4) if self.given else None

    @property
    def participation_rate(self) -> float | None:
        ended = self.answered_requests + self.not_rated
        return round(self.answered_requests / ended, 4) if ended else None

    def __add__(self, other: RateFigures) -> RateFigures:
        return RateFigures(self.given + other.given, self.satisfied + other.satisfied,
                           self.not_rated + other.not_rated,
                           self.answered_requests + other.answered_requests)

    def as_dict(self) -> dict[str, Any]:
        return {"given": self.given, "not_rated": self.not_rated,
                "satisfaction_rate": self.satisfaction_rate,
                "participation_rate": self.participation_rate}


_NONE = RateFigures(0, 0, 0, 0)


def _period(branch: BranchInfo, first: date, last: date) -> Any:
    if last < first:
        raise UsageError("结束日期早于开始日期", "--to is before --from")
    return (Rating.branch_id == branch.id, Rating.business_date >= first,
            Rating.business_date <= last)


def rating_report(session: Session, branch: BranchInfo, first: date, last: date) -> dict[str, Any]:
    """Ratings of business days ``first``..``last``: counts, rates, per counter and per
    staff member. The database counts them (one grouped query, a few dozen rows a
    day); the individual ratings are listed by :func:`rating_page`."""
    # Grouped by day first, in the order of the index that covers it
    # (ix_rating_report): the database streams the groups without sorting the period.
    grouped = session.execute(
        select(Rating.counter_number, Rating.staff, Rating.value, Rating.solicited,
               func.count())
        .where(*_period(branch, first, last))
        .group_by(Rating.business_date, Rating.counter_number, Rating.staff, Rating.value,
                  Rating.solicited)).all()
    counts = {value: 0 for value in (*RATING_VALUES, NOT_RATED)}
    total, unsolicited = _NONE, 0
    by_counter: dict[int | None, RateFigures] = {}
    by_staff: dict[str | None, RateFigures] = {}
    for counter, staff, value, solicited, n in grouped:
        counts[value] = counts.get(value, 0) + n
        if not solicited:
            unsolicited += n
        given = 0 if value == NOT_RATED else n
        figures = RateFigures(given=given, satisfied=n if value in SATISFIED else 0,
                              not_rated=n - given, answered_requests=given if solicited else 0)
        total += figures
        by_counter[counter] = by_counter.get(counter, _NONE) + figures
        by_staff[staff] = by_staff.get(staff, _NONE) + figures

    return {
        "branch": branch.id, "from": first.isoformat(), "to": last.isoformat(),
        "scale": int(branch.setting("rating_scale")),
        **total.as_dict(),
        "unsolicited": unsolicited,
        "counts": counts,
        "by_counter": [{"counter": k, **v.as_dict()}
                       for k, v in sorted(by_counter.items(), key=lambda kv: str(kv[0]))],
        "by_staff": [{"staff": k, **v.as_dict()}
                     for k, v in sorted(by_staff.items(), key=lambda kv: str(kv[0]))],
    }


def rating_page(session: Session, branch: BranchInfo, first: date, last: date, *,
                page: int = 1, per_page: int = 100) -> dict[str, Any]:
    """One page of the individual ratings of ``first``..``last``, oldest first: time,
    ticket number, counter, staff, value, solicited, source; with the page number,
    its size and the total, so a screen can page through a year."""
    if page < 1 or not 1 <= per_page <= MAX_PAGE_SIZE:
        raise UsageError(f"页码须 ≥ 1，每页 1 到 {MAX_PAGE_SIZE} 条",
                         f"the page must be 1 or more and a page 1 to {MAX_PAGE_SIZE} ratings")
    period = _period(branch, first, last)
    total = int(session.scalar(select(func.count()).select_from(Rating).where(*period)) or 0)
    order = (Rating.business_date, Rating.rated_at, Rating.id)
    # The page's ids first: the rows skipped to reach a late page are read once, not
    # joined with their tickets.
    ids = (select(Rating.id).where(*period).order_by(*order)
           .limit(per_page).offset((page - 1) * per_page).scalar_subquery())
    rows = session.execute(
        select(Rating, Ticket.number).outerjoin(Ticket, Ticket.id == Rating.ticket_id)
        .where(Rating.id.in_(ids)).order_by(*order)).all()
    return {
        "page": page, "per_page": per_page, "total": total,
        "pages": (total + per_page - 1) // per_page,
        "ratings": [{
            "at": branch.iso(r.rated_at), "ticket": number, "counter": r.counter_number,
            "staff": r.staff, "value": r.value, "solicited": r.solicited, "source": r.source}
            for r, number in rows],
    }


__all__ = ["LABELS", "RATING_KEYS", "SCALE_KEYS", "VALUE_OF_KEY", "answer_request",
           "expire_requests", "open_request", "rate_on_screen", "rating_page", "rating_report",
           "record_unsolicited", "scale_values"]
