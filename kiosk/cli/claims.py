"""``kiosk claims ...``: claim types, their documents, the completeness check, the
ticket link, the hand-over form, and the catalogue versions."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.app.claims import ClaimCheckInfo
    from kiosk.cli import Commands, Context

PAPERS = ("roll80", "roll58", "a4")


def register(commands: Commands) -> None:
    """Add the ``claims`` group."""
    claims = commands.group("claims", help="claim documents: types, checks, hand-over")
    commands.add(claims, "types", cmd_types, "list the claim types")
    p = commands.add(claims, "docs", cmd_docs, "documents and questions of a claim type")
    p.add_argument("claim_type", metavar="TYPE")

    p = commands.add(claims, "check", cmd_check,
                     "check a customer's documents; store the check; print the notice")
    p.add_argument("claim_type", metavar="TYPE")
    p.add_argument("--have", action="append", default=[], metavar="CODE,CODE",
                   help="document codes the customer has (repeatable)")
    p.add_argument("--answer", action="append", default=[], metavar="QUESTION=yes|no",
                   help="answer to a question (repeatable; unanswered = no)")
    p.add_argument("--ticket", metavar="NUMBER", help="link to today's claims ticket")
    _add_output(p, papers=PAPERS)

    p = commands.add(claims, "show", cmd_show, "show a stored check (by reference or ticket)")
    p.add_argument("reference", nargs="?")
    p.add_argument("--ticket", metavar="NUMBER", help="the newest check linked to this ticket")
    _add_output(p, papers=PAPERS)

    p = commands.add(claims, "link", cmd_link, "link a stored check to today's claims ticket")
    p.add_argument("reference")
    p.add_argument("--ticket", metavar="NUMBER", required=True)

    p = commands.add(claims, "handover", cmd_handover,
                     "record the documents received for a check; A4 hand-over form")
    p.add_argument("reference")
    p.add_argument("--received", action="append", default=[], required=True,
                   metavar="CODE=O|C,...", help="documents received, original (O) or copy (C)")
    p.add_argument("--staff", default="", help="staff member receiving the documents")
    p.add_argument("--pdf", type=Path, metavar="FILE", help="write the A4 hand-over form")

    catalogue = commands.group("claims", "catalogue", help="claim document catalogue versions")
    p = commands.add(catalogue, "import", cmd_catalogue_import,
                     "validate a catalogue TOML and make it the version in use")
    p.add_argument("file", type=Path)
    p = commands.add(catalogue, "export", cmd_catalogue_export,
                     "write the catalogue in use as TOML")
    p.add_argument("file", help="output file, or - for stdout")
    commands.add(catalogue, "versions", cmd_catalogue_versions, "list the stored versions")


def _add_output(p: argparse.ArgumentParser, papers: tuple[str, ...]) -> None:
    p.add_argument("--pdf", type=Path, metavar="FILE", help="write the checklist notice as PDF")
    p.add_argument("--paper", choices=papers, default="roll80",
                   help="paper of the notice (default roll80)")
    p.add_argument("--print", dest="print_notice", action="store_true",
                   help="print the notice on the kiosk's roll printer")


def cmd_types(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.claims import claim_types

    result = claim_types(ctx.app)
    ctx.emit(result.to_json(), "\n".join(f"{t.code:<20} {t.name_zh}  {t.name_en}"
                                         for t in result.types))


def cmd_docs(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.claims import claim_documents

    view = claim_documents(ctx.app, args.claim_type).to_json()
    lines = [f"{view['name_zh']} {view['name_en']} (catalogue {view['catalogue_version']})"]
    lines += [f"  {d['code']:<22} {d['original']:<3} {d['name_zh']}  {d['name_en']}"
              for d in view["documents"]]
    if view["questions"]:
        lines.append("questions / 问题:")
        lines += [f"  {q['code']:<20} {q['text_zh']}  {q['text_en']}  +{','.join(q['adds'])}"
                  for q in view["questions"]]
    ctx.emit(view, "\n".join(lines))


def cmd_check(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.claims import check_claim, parse_answers, parse_codes

    answers = parse_answers(args.answer)
    have = parse_codes(args.have)
    _deliver(ctx, args, check_claim(ctx.app, args.claim_type, answers, have,
                                    ticket=args.ticket))


def cmd_show(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.claims import find_claim_check

    _deliver(ctx, args, find_claim_check(ctx.app, args.reference, ticket=args.ticket))


def cmd_link(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.claims import link_claim_check

    view = link_claim_check(ctx.app, args.reference, args.ticket).to_json()
    ctx.emit(view, f"{view['reference']} -> {view['ticket']} (priority {view['priority']})")


def cmd_handover(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.claims import parse_received, record_handover, write_handover_form

    received = parse_received(args.received)
    check = record_handover(ctx.app, args.reference, received, staff=args.staff)
    if args.pdf:
        check = write_handover_form(ctx.app, check, args.pdf)
    ctx.emit(check.to_json(), f"{check.reference}: {len(received)} document(s) received"
                              + (f"; form written to {args.pdf}" if args.pdf else ""))


def cmd_catalogue_import(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.admin import import_catalogue

    done = import_catalogue(ctx.app, args.file)
    ctx.emit(done.to_json(), f"claim catalogue {done.version} imported from {done.imported}")


def cmd_catalogue_export(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.admin import export_catalogue
    from kiosk.cli.core import write_export

    exported = export_catalogue(ctx.app)
    write_export(ctx, args.file, exported.toml, exported.to_json(), "write_failed",
                 f"claim catalogue {exported.version} written to {args.file}")


def cmd_catalogue_versions(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.admin import catalogue_versions

    result = catalogue_versions(ctx.app)
    ctx.emit(result.to_json(), "\n".join(f"{'*' if v.in_use else ' '} {v.version:<12} {v.source}"
                                         for v in result.versions))


# ----- output ------------------------------------------------------------------------------


def _deliver(ctx: Context, args: argparse.Namespace, check: ClaimCheckInfo) -> None:
    """Write the notice PDF and/or print it, then answer. The check is committed by
    now, so a failure here names its reference: the customer's check is not lost."""
    from kiosk.app.claims import print_notice, write_notice_pdf

    if args.pdf:
        check = write_notice_pdf(ctx.app, check, args.pdf, args.paper)
    if args.print_notice:
        check = print_notice(ctx.app, check)
        if check.print is not None and check.print.error is not None:
            raise check.print.error  # names the stored check and its queued job
    view = check.to_json()
    ctx.emit(view, _check_text(view))


def _check_text(view: dict[str, Any]) -> str:
    lines = [f"{view['reference']}  {view['claim_type_name_zh']} {view['claim_type_name_en']}"]
    if view["complete"]:
        lines.append(f"资料齐全 complete — 预计 {view['decision_by']} 前作出核定 "
                     f"(decision by {view['decision_by']})")
    else:
        lines.append(f"还缺 {len(view['missing'])} 份资料 / {len(view['missing'])} missing:")
    for doc in view["documents"]:
        box = "[x]" if doc["present"] else "[ ]"
        lines.append(f"  {box} {doc['code']:<22} {doc['original']:<3} "
                     f"{doc['name_zh']}  {doc['name_en']}")
    if view.get("ticket"):
        lines.append(f"ticket {view['ticket']} (priority {view['priority']})")
    if view.get("pdf"):
        lines.append(f"notice written to {view['pdf']}")
    return "\n".join(lines)
