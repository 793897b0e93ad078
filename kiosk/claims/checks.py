"""Claim document checks: what the customer said, and what the law's one-time notice
says back (Insurance Law art. 22).

For a claim type, the customer's yes/no answers and the documents they have,
:func:`evaluate` lists EVERYTHING still missing at once and which originals to bring;
:func:`decision_date` is the date a decision is promised by for a complete set
(``claim_decision_working_days`` working days after today on the branch calendar).
Both are pure: no session, nothing stored. Storing a check under a reference, the
ticket link and the hand-over are in :mod:`kiosk.claims.records`; what the screens
show, in :mod:`kiosk.claims.views`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from kiosk.branch.info import BranchInfo
from kiosk.claims.catalogue import ClaimCatalogue, ClaimType
from kiosk.errors import UsageError

RECEIVED_MARKS = ("O", "C")
_YES = ("yes", "y", "true", "1", "是")
_NO = ("no", "n", "false", "0", "否")


@dataclass(frozen=True)
class RequiredDocument:
    """One document the claim needs, with the mark that applies to this claim."""

    code: str
    original: str
    present: bool


@dataclass(frozen=True)
class ClaimChecklist:
    """The result of a completeness check (before it is stored)."""

    claim_type: str
    answers: Mapping[str, bool]
    have: tuple[str, ...]
    required: tuple[RequiredDocument, ...]
    extra: tuple[str, ...]

    @property
    def missing(self) -> list[str]:
        """Every required document not yet present, in the catalogue's order."""
        return [d.code for d in self.required if not d.present]

    @property
    def originals_needed(self) -> list[str]:
        """Required documents whose original must be brought (kept, or shown)."""
        return [d.code for d in self.required if d.original in ("O", "O*")]

    @property
    def complete(self) -> bool:
        return all(d.present for d in self.required)


# ----- parsing what the customer said ----------------------------------------------------


def parse_codes(values: Iterable[str]) -> list[str]:
    """``["CLAIM_FORM,BANK", "INVOICE"]`` → ``["CLAIM_FORM", "BANK", "INVOICE"]``."""
    codes: list[str] = []
    for part in _items(values):
        if part.upper() not in codes:
            codes.append(part.upper())
    return codes


def _items(values: Iterable[str]) -> Iterator[str]:
    """The non-empty comma-separated items of repeated options, stripped."""
    for value in values:
        yield from (part.strip() for part in value.split(",") if part.strip())


def _pair(part: str, allowed: tuple[str, ...]) -> tuple[str, str] | None:
    """``"code=value"`` → (code, value) with ``value`` lower-cased and in ``allowed``;
    None when the item is malformed."""
    code, sep, value = part.partition("=")
    code, value = code.strip(), value.strip().lower()
    return (code, value) if sep and code and value in allowed else None


def parse_answers(values: Iterable[str]) -> dict[str, bool]:
    """``["by_agent=yes", "theft=no,fire=yes"]`` → ``{"by_agent": True, ...}``.

    Raises:
        UsageError: a pair without ``=``, a value other than yes/no, or one question
            answered both ways.
    """
    answers: dict[str, bool] = {}
    for part in _items(values):
        pair = _pair(part, (*_YES, *_NO))
        if pair is None:
            raise UsageError(f"回答格式应为 问题=yes|no：{part}",
                             f"an answer is QUESTION=yes|no, got {part!r}", code="bad_answer")
        code, answer = pair[0].lower(), pair[1] in _YES
        if answers.get(code, answer) != answer:
            raise UsageError(f"问题 {code} 同时回答了是和否",
                             f"question {code!r} is answered both yes and no",
                             code="bad_answer")
        answers[code] = answer
    return answers


def parse_received(values: Iterable[str]) -> dict[str, str]:
    """``["CLAIM_FORM=O,BANK=C"]`` → ``{"CLAIM_FORM": "O", "BANK": "C"}``."""
    received: dict[str, str] = {}
    for part in _items(values):
        pair = _pair(part, ("o", "c"))
        if pair is None:
            raise UsageError(f"收件格式应为 资料代码=O|C：{part}",
                             f"each received document is CODE=O|C (original or copy), "
                             f"got {part!r}", code="bad_received")
        received[pair[0].upper()] = pair[1].upper()
    return received


# ----- the check -------------------------------------------------------------------------


def evaluate(catalogue: ClaimCatalogue, claim_type: str, answers: Mapping[str, bool],
             have: Iterable[str]) -> ClaimChecklist:
    """Check the documents of one claim against ``catalogue``.

    Args:
        catalogue: the catalogue version to check against.
        claim_type: a claim type code (``inpatient``...).
        answers: yes/no per question code; unanswered questions count as "no".
        have: document codes the customer has with them.

    Raises:
        UsageError: unknown claim type, a question that does not apply to this claim
            type, or a document code this claim type never asks for; the message lists
            the valid codes.
    """
    kind = catalogue.claim_type(claim_type)
    for code in answers:
        if code not in kind.questions:
            valid = ", ".join(kind.questions) or "-"
            known = code in catalogue.questions
            what_zh = "问题不适用于此理赔类型" if known else "未知问题"
            what_en = f"does not apply to {claim_type}" if known else "is unknown"
            raise UsageError(f"{what_zh}：{code}；{kind.name_zh}可回答的问题：{valid}",
                             f"question {code!r} {what_en}; valid: {valid}",
                             code="unknown_question")
    possible = kind.possible_documents()
    have_codes = list(dict.fromkeys(have))
    for code in have_codes:
        if code not in possible:
            valid = ", ".join(possible)
            known = code in catalogue.documents
            what_zh = "此理赔类型不需要该资料" if known else "未知资料代码"
            what_en = f"is not used by {claim_type}" if known else "is unknown"
            raise UsageError(f"{what_zh}：{code}；{kind.name_zh}的资料代码：{valid}",
                             f"document {code!r} {what_en}; valid: {valid}",
                             code="unknown_document")
    marks = _marks(catalogue, kind, answers)
    required = tuple(RequiredDocument(code=code, original=mark, present=code in have_codes)
                     for code, mark in marks.items())
    extra = tuple(code for code in have_codes if code not in marks)
    return ClaimChecklist(claim_type=kind.code, answers=dict(answers), have=tuple(have_codes),
                          required=required, extra=extra)


def _marks(catalogue: ClaimCatalogue, kind: ClaimType,
           answers: Mapping[str, bool]) -> dict[str, str]:
    """Required documents in order, each with the mark in force: the document's own,
    overridden by the claim type, overridden by a "yes" answer."""
    codes = list(kind.documents)
    overrides = dict(kind.originals)
    # Questions apply in the catalogue's order, so the result does not depend on the
    # order the customer answered in.
    for code, effect in kind.questions.items():
        if not answers.get(code, False):
            continue
        codes = [c for c in codes if c not in effect.drops]
        codes += [c for c in effect.adds if c not in codes]
        overrides.update(effect.originals)
    return {c: overrides.get(c, catalogue.documents[c].original) for c in codes}


def decision_date(branch: BranchInfo, today: date) -> date:
    """The promised decision date for a complete set handed in ``today``."""
    return branch.add_working_days(today, int(branch.setting("claim_decision_working_days")))


__all__ = ["RECEIVED_MARKS", "ClaimChecklist", "RequiredDocument", "decision_date", "evaluate",
           "parse_answers", "parse_codes", "parse_received"]
