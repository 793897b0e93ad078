"""What the CLI, the kiosk and the counter show of claims: a stored check (the dict
the notice and the forms of :mod:`printers.documents` are laid out from), the claim
types, and the documents and questions of one type."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kiosk.branch.info import BranchInfo, load_branch
from kiosk.claims.catalogue import ClaimCatalogue
from kiosk.claims.records import catalogue_for
from kiosk.models import ClaimCheck, Ticket


def check_view(session: Session, check: ClaimCheck,
               branch: BranchInfo | None = None) -> dict[str, Any]:
    """The stored check as the CLI, the kiosk and the counter show it."""
    branch = branch or load_branch(session)
    catalogue = catalogue_for(session, check)
    kind = catalogue.types.get(check.claim_type)
    ticket = session.get(Ticket, check.ticket_id) if check.ticket_id else None

    def named(code: str) -> dict[str, str]:
        document = catalogue.documents.get(code)
        if document is None:  # the version was replaced and the code is gone
            return {"code": code, "name_zh": code, "name_en": code, "hint_zh": "", "hint_en": ""}
        return {"code": code, "name_zh": document.name_zh, "name_en": document.name_en,
                "hint_zh": document.hint_zh, "hint_en": document.hint_en}

    return {
        "reference": check.reference,
        "complete": check.complete,
        "missing": list(check.missing),
        "originals_needed": list(check.originals_needed),
        "decision_by": check.decision_by.isoformat() if check.decision_by else None,
        "claim_type": check.claim_type,
        "claim_type_name_zh": kind.name_zh if kind else check.claim_type,
        "claim_type_name_en": kind.name_en if kind else check.claim_type,
        "catalogue_version": check.catalogue_version,
        "checked_at": branch.iso(check.checked_at),
        "answers": {code: "yes" if yes else "no" for code, yes in check.answers.items()},
        "documents": [{**named(item["code"]), "original": item["original"],
                       "present": item["present"]} for item in check.required],
        "extra": [c for c in check.documents if c not in {i["code"] for i in check.required}],
        "ticket": check.ticket_number,
        "priority": ticket.priority if ticket is not None else None,
    }


def types_view(catalogue: ClaimCatalogue) -> list[dict[str, str]]:
    """``kiosk claims types``: every claim type with its names."""
    return [{"code": t.code, "name_zh": t.name_zh, "name_en": t.name_en}
            for t in catalogue.types.values()]


def docs_view(catalogue: ClaimCatalogue, claim_type: str) -> dict[str, Any]:
    """``kiosk claims docs TYPE``: base documents and the questions that add more."""
    kind = catalogue.claim_type(claim_type)
    documents = []
    for code in kind.documents:
        doc = catalogue.documents[code]
        documents.append({"code": code, "name_zh": doc.name_zh, "name_en": doc.name_en,
                          "original": kind.originals.get(code, doc.original),
                          "hint_zh": doc.hint_zh, "hint_en": doc.hint_en})
    questions = []
    for code, effect in kind.questions.items():
        question = catalogue.questions[code]
        questions.append({"code": code, "text_zh": question.text_zh,
                          "text_en": question.text_en, "adds": list(effect.adds),
                          "drops": list(effect.drops)})
    return {"claim_type": kind.code, "name_zh": kind.name_zh, "name_en": kind.name_en,
            "catalogue_version": catalogue.version, "documents": documents,
            "questions": questions}


__all__ = ["check_view", "docs_view", "types_view"]
