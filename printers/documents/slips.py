"""The slips the kiosk prints on the receipt roll: the queue ticket and the
acknowledgement of a feedback or complaint. Each is a :class:`RollDocument` built from
facts the caller fills (no database here, and no personal data on either)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from printers.documents.model import Block, Line, Qr, RollDocument, Rule, Space


@dataclass(frozen=True)
class BranchHeading:
    """What every roll document says about the branch at its top and bottom."""

    name_zh: str
    name_en: str
    hotline: str = ""


@dataclass(frozen=True)
class TicketFacts:
    """What a queue ticket shows. No personal data exists on a ticket."""

    number: str
    service_zh: str
    service_en: str
    priority: str  # normal | care | vip
    ahead: int
    wait_min: tuple[int, int] | None
    issued_local: str  # "2026-11-23 10:00", the branch's local time
    qr_payload: str  # the ticket reference
    notice_zh: Sequence[str] = ()
    notice_en: Sequence[str] = ()


_PRIORITY_MARK = {"care": "★ 爱心窗口 优先办理 / Priority (care)",
                  "vip": "◆ VIP 贵宾 / VIP"}


def _heading(branch: BranchHeading) -> list[Block]:
    return [Line(branch.name_zh, size=1, bold=True), Line(branch.name_en), Rule()]


def _footer(branch: BranchHeading) -> list[Block]:
    if not branch.hotline:
        return []
    return [Line(f"服务热线 Hotline {branch.hotline}")]


def queue_ticket(facts: TicketFacts, branch: BranchHeading) -> RollDocument:
    """The queue ticket: branch, service, the number very large, people ahead, the wait
    as a range, issue time, QR reference, priority mark, the branch's notice lines."""
    blocks: list[Block] = [*_heading(branch),
                           Line(facts.service_zh, size=2, bold=True),
                           Line(facts.service_en),
                           Line(facts.number, size=5, bold=True)]
    mark = _PRIORITY_MARK.get(facts.priority)
    if mark:
        blocks.append(Line(mark, bold=True))
    blocks.append(Line(f"前面还有 {facts.ahead} 人 / {facts.ahead} ahead of you"))
    if facts.wait_min:
        lo, hi = facts.wait_min
        blocks.append(Line(f"预计等候 {lo}-{hi} 分钟 / Estimated wait {lo}-{hi} min"))
    else:
        blocks.append(Line("预计等候时间暂无 / No wait estimate yet"))
    blocks += [Line(f"取号时间 Issued {facts.issued_local}"),
               Qr(facts.qr_payload), Rule()]
    blocks += [Line(text, align="left") for text in _interleave(facts.notice_zh,
                                                               facts.notice_en)]
    blocks += _footer(branch)
    return RollDocument("queue_ticket", facts.number, tuple(blocks))


def _interleave(first: Iterable[str], second: Iterable[str]) -> list[str]:
    a, b = list(first), list(second)
    out: list[str] = []
    for i in range(max(len(a), len(b))):
        out += [x[i] for x in (a, b) if i < len(x)]
    return out


@dataclass(frozen=True)
class AcknowledgementFacts:
    """A feedback or complaint receipt: what was received and when we answer."""

    reference: str
    category_zh: str
    category_en: str
    received_local: str
    feedback_date: str  # ISO date on the working-day calendar
    working_days: int
    qr_payload: str


def acknowledgement(facts: AcknowledgementFacts, branch: BranchHeading) -> RollDocument:
    """Acknowledgement of a feedback or complaint, with the promised feedback date."""
    blocks: list[Block] = [
        *_heading(branch),
        Line("受理回执", size=2, bold=True),
        Line("Acknowledgement of receipt"),
        Space(12),
        Line(f"受理编号 Reference: {facts.reference}", align="left", bold=True),
        Line(f"类别 Category: {facts.category_zh} {facts.category_en}", align="left"),
        Line(f"受理时间 Received: {facts.received_local}", align="left"),
        Line(f"我们将于 {facts.feedback_date} 前（{facts.working_days} 个工作日内）反馈处理进展",
             align="left"),
        Line(f"We will report progress by {facts.feedback_date} "
             f"(within {facts.working_days} working days).", align="left"),
        Qr(facts.qr_payload),
        Rule(),
        Line("请保留此回执以便查询 / Keep this receipt for enquiries", align="left"),
        *_footer(branch),
    ]
    return RollDocument("acknowledgement", facts.reference, tuple(blocks))


__all__ = ["AcknowledgementFacts", "BranchHeading", "TicketFacts", "acknowledgement",
           "queue_ticket"]
