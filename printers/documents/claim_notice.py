"""The claim checklist notice on the receipt roll, and the words every claim printout
shares (the marks O / C / O*, their legend, the branch-local time of a check).

The notice is laid out from the check's view (the dict ``kiosk.claims.views.check_view``
returns), so this module needs no database and no claim rules. :func:`checklist_notice`
is the law's one-time notice as a :class:`RollDocument` (80 or 58 mm roll, printed
through the print spool like a queue ticket): what is present, EVERY missing document
with where to get it, the originals to bring, the decision date for a complete set, the
reference and its QR code. The same notice on A4 and the hand-over form are in
:mod:`printers.documents.claim_forms`.

No personal data appears on it: the reference is random and documents are named by kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from printers.documents.model import (
    ROLL_58MM,
    ROLL_80MM,
    Block,
    Line,
    Qr,
    RollDocument,
    Rule,
    Space,
)
from printers.documents.slips import BranchHeading
from printers.errors import UsageError

PAPERS = {"roll80": ROLL_80MM, "roll58": ROLL_58MM}
MARK_TEXT = {
    "O": ("原件", "original"),
    "C": ("复印件", "copy"),
    "O*": ("原件查验，留复印件", "original shown, copy kept"),
}
LEGEND_ZH = "O 原件  C 复印件  O* 原件查验后留存复印件"
LEGEND_EN = "O original · C copy · O* original shown, copy kept"


# ----- the roll notice ---------------------------------------------------------------------


def checklist_notice(view: Mapping[str, Any], branch: BranchHeading) -> RollDocument:
    """The checklist notice as roll blocks (the same for 80 and 58 mm; lines wrap)."""
    blocks: list[Block] = [
        Line(branch.name_zh, bold=True), Line(branch.name_en), Rule(),
        Line("理赔资料告知书", size=2, bold=True), Line("Claim documents notice"),
        Line(f"{view['claim_type_name_zh']} {view['claim_type_name_en']}", bold=True),
        Space(8),
        Line(f"编号 Reference: {view['reference']}", align="left", bold=True),
        Line(f"核对时间 Checked: {local_time(view['checked_at'])}", align="left"),
        Rule(),
    ]
    documents = list(view["documents"])
    missing = [d for d in documents if not d["present"]]
    if view["complete"]:
        blocks += [
            Line("资料齐全", size=2, bold=True), Line("Your documents are complete"),
            Line(f"资料交齐后，我们将于 {view['decision_by']} 前作出核定", align="left"),
            Line(f"We will decide on your claim by {view['decision_by']} once the "
                 f"documents are handed in.", align="left"),
        ]
    else:
        blocks += [
            Line(f"尚缺 {len(missing)} 份资料", size=2, bold=True),
            Line(f"{len(missing)} document(s) missing", bold=True),
            Line("以下为需补充的全部资料（一次性告知）", align="left"),
            Line("This is the complete list of what is still needed.", align="left"),
            Space(6),
        ]
        for doc in missing:
            zh_mark, en_mark = MARK_TEXT[doc["original"]]
            blocks += [
                Line(f"□ {doc['name_zh']}（{zh_mark}）", align="left", bold=True),
                Line(f"  {doc['name_en']} ({en_mark})", align="left"),
                Line(f"  {doc['hint_zh']}", align="left"),
                Line(f"  {doc['hint_en']}", align="left"),
            ]
    present = [d for d in documents if d["present"]]
    if present:
        blocks += [Rule(), Line("已备资料 Documents you have", align="left", bold=True)]
        blocks += [Line(f"√ {d['name_zh']} {d['name_en']}", align="left") for d in present]
    originals = [d for d in documents if d["code"] in view["originals_needed"]]
    if originals:
        blocks += [Rule(), Line("请带原件 Bring the originals of", align="left", bold=True)]
        blocks += [Line(f"· {d['name_zh']} {d['name_en']} [{d['original']}]", align="left")
                   for d in originals]
    blocks += [Line(LEGEND_ZH, align="left"), Line(LEGEND_EN, align="left"),
               Qr(view["reference"]), Line(view["reference"]), Rule(),
               Line("到理赔窗口办理时请出示本单", align="left"),
               Line("Show this notice at the claims counter.", align="left")]
    if branch.hotline:
        blocks.append(Line(f"服务热线 Hotline {branch.hotline}"))
    return RollDocument("claim_notice", view["reference"], tuple(blocks))


def write_pdf(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``; a bilingual usage error if that is impossible."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise UsageError(f"无法写入 {path}：{exc.strerror}",
                         f"cannot write {path}: {exc.strerror}", code="write_failed") from exc


def local_time(iso: str) -> str:
    """``2026-11-23T10:00:00+08:00`` → ``2026-11-23 10:00`` (already branch-local)."""
    return iso[:16].replace("T", " ")


__all__ = ["LEGEND_EN", "LEGEND_ZH", "MARK_TEXT", "PAPERS", "checklist_notice", "local_time",
           "write_pdf"]
