"""``kiosk claims ...``: claim types, their documents, the completeness check, the
ticket link, the hand-over form, and the catalogue versions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import clock
from kiosk.branch.info import current_branch_id, load_branch
from kiosk.db import unit_of_work
from kiosk.errors import DeviceError, KioskError, UsageError

if TYPE_CHECKING:
    from kiosk.branch.info import BranchInfo
    from kiosk.cli import Commands, Context
    from printers.documents.slips import BranchHeading

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
    from kiosk.claims.catalogue_versions import active_catalogue
    from kiosk.claims.views import types_view

    with unit_of_work(ctx.engine) as session:
        types = types_view(active_catalogue(session, current_branch_id(session)))
    ctx.emit(types, "\n".join(f"{t['code']:<20} {t['name_zh']}  {t['name_en']}" for t in types))


def cmd_docs(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.claims.catalogue_versions import active_catalogue
    from kiosk.claims.views import docs_view

    with unit_of_work(ctx.engine) as session:
        view = docs_view(active_catalogue(session, current_branch_id(session)), args.claim_type)
    lines = [f"{view['name_zh']} {view['name_en']} (catalogue {view['catalogue_version']})"]
    lines += [f"  {d['code']:<22} {d['original']:<3} {d['name_zh']}  {d['name_en']}"
              for d in view["documents"]]
    if view["questions"]:
        lines.append("questions / 问题:")
        lines += [f"  {q['code']:<20} {q['text_zh']}  {q['text_en']}  +{','.join(q['adds'])}"
                  for q in view["questions"]]
    ctx.emit(view, "\n".join(lines))


def cmd_check(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.claims.checks import parse_answers, parse_codes
    from kiosk.claims.records import record_check
    from kiosk.claims.views import check_view

    answers = parse_answers(args.answer)
    have = parse_codes(args.have)
    with unit_of_work(ctx.engine, write=True) as session:
        check = record_check(session, args.claim_type, answers, have,
                             ticket_number=args.ticket)
        view = check_view(session, check)
    _deliver(ctx, args, view)


def cmd_show(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.claims.records import checks_for_ticket, find_check
    from kiosk.claims.views import check_view

    if bool(args.reference) == bool(args.ticket):
        raise UsageError("请给出核对编号或 --ticket 之一",
                         "give either a reference or --ticket NUMBER")
    with unit_of_work(ctx.engine) as session:
        if args.ticket:
            checks = checks_for_ticket(session, args.ticket)
            if not checks:
                from kiosk.errors import NotFound

                raise NotFound(f"{args.ticket} 没有关联的资料核对",
                               f"no claim check is linked to {args.ticket}",
                               code="no_check")
            check = checks[0]
        else:
            check = find_check(session, args.reference)
        view = check_view(session, check)
    _deliver(ctx, args, view)


def cmd_link(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.claims.records import link_ticket
    from kiosk.claims.views import check_view

    with unit_of_work(ctx.engine, write=True) as session:
        view = check_view(session, link_ticket(session, args.reference, args.ticket))
    ctx.emit(view, f"{view['reference']} -> {view['ticket']} (priority {view['priority']})")


def cmd_handover(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.claims.checks import parse_received
    from kiosk.claims.records import find_check, record_handover
    from kiosk.claims.views import check_view

    received = parse_received(args.received)
    with unit_of_work(ctx.engine, write=True) as session:
        branch = load_branch(session)
        check = find_check(session, args.reference, branch.id)
        handover = record_handover(session, check, received, staff=args.staff)
        view = check_view(session, check, branch)
        view["handover"] = {"at": branch.iso(handover.at), "staff": handover.staff,
                            "received": dict(handover.received)}
        if args.pdf:
            from printers.documents.claim_forms import handover_form_pdf

            handover_form_pdf(view, _branch_header(branch), args.pdf)
    if args.pdf:
        view["pdf"] = str(args.pdf)
    ctx.emit(view, f"{view['reference']}: {len(received)} document(s) received"
                   + (f"; form written to {args.pdf}" if args.pdf else ""))


def cmd_catalogue_import(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.claims.catalogue import load_catalogue_file
    from kiosk.claims.catalogue_versions import store_catalogue

    catalogue = load_catalogue_file(str(args.file))  # in full, before the database
    with unit_of_work(ctx.engine, write=True) as session:
        store_catalogue(session, current_branch_id(session), catalogue.text, str(args.file),
                        clock.now())
    ctx.emit({"imported": str(args.file), "version": catalogue.version,
              "types": len(catalogue.types)},
             f"claim catalogue {catalogue.version} imported from {args.file}")


def cmd_catalogue_export(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.claims.catalogue_versions import active_catalogue

    with unit_of_work(ctx.engine) as session:
        catalogue = active_catalogue(session, current_branch_id(session))
    if args.file == "-":
        sys.stdout.write(catalogue.text)
        return
    try:
        Path(args.file).write_text(catalogue.text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"无法写入 {args.file}：{exc.strerror}",
                         f"cannot write {args.file}: {exc.strerror}",
                         code="write_failed") from exc
    ctx.emit({"written": args.file, "version": catalogue.version},
             f"claim catalogue {catalogue.version} written to {args.file}")


def cmd_catalogue_versions(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.claims.catalogue import SHIPPED_SOURCE
    from kiosk.claims.catalogue_versions import active_catalogue, stored_versions

    with unit_of_work(ctx.engine) as session:
        branch = load_branch(session)
        rows = stored_versions(session, branch.id)
        versions = [{"version": r.version, "source": r.source,
                     "imported_at": branch.iso(r.imported_at), "in_use": i == len(rows) - 1}
                    for i, r in enumerate(rows)]
        if not rows:
            versions = [{"version": active_catalogue(session, branch.id).version,
                         "source": SHIPPED_SOURCE, "imported_at": None, "in_use": True}]
    ctx.emit({"versions": versions},
             "\n".join(f"{'*' if v['in_use'] else ' '} {v['version']:<12} {v['source']}"
                       for v in versions))


# ----- output ------------------------------------------------------------------------------


def _branch_header(branch: BranchInfo) -> BranchHeading:
    from printers.documents.slips import BranchHeading

    return BranchHeading(branch.name_zh, branch.name_en, branch.hotline)


def _deliver(ctx: Context, args: argparse.Namespace, view: dict[str, Any]) -> None:
    """Write the notice PDF and/or print it, then answer. The check is committed by
    now, so a failure here names its reference: the customer's check is not lost."""
    if args.pdf or args.print_notice:
        from printers.documents.claim_forms import checklist_notice_pdf

        with unit_of_work(ctx.engine) as session:
            header = _branch_header(load_branch(session))
        if args.pdf:
            try:
                checklist_notice_pdf(view, header, args.pdf, paper=args.paper)
            except KioskError as exc:
                raise _notice_failed(exc, view["reference"], None) from exc
            view["pdf"] = str(args.pdf)
        if args.print_notice:
            view["print"] = _print_notice(ctx, view, header)
    ctx.emit(view, _check_text(view))


def _print_notice(ctx: Context, view: dict[str, Any], header: BranchHeading) -> dict[str, Any]:
    """Spool the roll notice and send it. The check is already committed, so a printer
    problem loses nothing: it raises ``DeviceError`` naming the reference and the job,
    which stays queued and prints when the printer is back (``kiosk print run``)."""
    from kiosk.devices.printing import enqueue, run_spool
    from printers.documents.claim_notice import checklist_notice
    from printers.escpos.transport import close_all

    with unit_of_work(ctx.engine, write=True) as session:
        job_id = enqueue(session, checklist_notice(view, header)).id
    try:
        run = run_spool(ctx.engine)
    except KioskError as exc:  # no printer configured: the job waits for one
        raise _notice_failed(exc, view["reference"], job_id) from exc
    finally:
        close_all()
    if job_id in run.printed:
        return {"job": job_id, "printed": True}
    error = run.error or DeviceError("打印任务未完成", "the print job did not complete")
    raise _notice_failed(error, view["reference"], job_id)


def _notice_failed(error: KioskError, reference: str, job_id: int | None) -> KioskError:
    """``error`` (same class, so the same exit code) prefixed with the stored check's
    reference and, when the notice was spooled, its queued job."""
    if job_id is None:
        zh = f"资料核对 {reference} 已保存，但告知书未能生成：{error.zh}"
        en = f"claim check {reference} is stored, but the notice was not written: {error.en}"
    else:
        zh = (f"资料核对 {reference} 已保存，但告知书打印失败（任务 {job_id} 已排队，打印机"
              f"恢复后补打）：{error.zh}")
        en = (f"claim check {reference} is stored, but the notice did not print (job {job_id} "
              f"is queued and will print when the printer is back): {error.en}")
    if isinstance(error, DeviceError):
        return DeviceError(zh, en, port=error.port, hint=error.hint)
    return type(error)(zh, en, code=error.code)


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
