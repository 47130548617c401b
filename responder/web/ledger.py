"""Ledger pages: the 台账 with exports, the 回头看 of commitments, the annual report tables; and the forms
that move a commitment on (落实 by the unit, 公开 by a supervisor) or fill a reply's commitments from its text.

Pages only read (ledger.ledger, reports.annual); changes go through ledger.service via actions.perform.
"""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, render_template, request, url_for

from responder.api.ledger import ledger_request
from responder.auth.permissions import get_message_for
from responder.errors import ValidationFailed
from responder.ledger import ledger
from responder.ledger import service as commitments
from responder.ledger.extract import extract
from responder.ledger.outcomes import OUTCOMES
from responder.models import utcnow
from responder.reports import annual
from responder.reports.export import Sheet, csv_bytes, download, xlsx_bytes
from responder.web.actions import form_body, perform
from responder.web.guards import principal, role_required
from responder.workflow.sla import TZ

bp = Blueprint("ledger", __name__)
PER_PAGE = 50


def _query(part: str | None):
    """The page's filters as a LedgerQuery (bad ones shown, defaults used); exports take every row."""
    args = {k: v for k, v in request.args.items() if k in ("from", "to", "unit", "format", "page") and v}
    if part:
        args["part"] = part
    args["per_page"] = str(PER_PAGE)
    try:
        return *ledger_request(args, principal()), None
    except ValidationFailed as refused:
        error = refused.message + "".join(f"（{k}：{v}）" for k, v in refused.fields.items())
        return *ledger_request({"part": part} if part else {}, principal()), error


def _export(query, fmt: str, parts: list, stem: str):
    sheets = [Sheet(p.title, p.columns, rows) for p, _, rows in parts]
    if fmt == "xlsx":
        return download(xlsx_bytes(sheets), f"{stem}.xlsx", fmt)
    return download(csv_bytes(sheets[0]), f"{stem}-{parts[0][0].key}.csv", fmt)


@bp.get("/supervisor/ledger")
@role_required("supervisor")
def ledger_page():
    """舆情回应台账: one part at a time on screen, every part in the XLSX."""
    part = request.args.get("part") if request.args.get("part") in ledger.PARTS else "messages"
    query, fmt, _, error = _query(part)
    if fmt in ("csv", "xlsx"):
        keys = None if fmt == "xlsx" else [part]
        return _export(query, fmt, ledger.build(query, keys), f"ledger-{query.start}-{query.end}")
    (shown, total, rows), = ledger.build(query, [part])
    return render_template("ledger/ledger.html", parts=ledger.PARTS, part=shown, total=total, rows=rows,
                           query=query, error=error, unit=request.args.get("unit", ""),
                           pages=max(1, -(-total // PER_PAGE)))


@bp.get("/supervisor/commitments")
@role_required("supervisor")
def review_page():
    """回头看: every commitment made in the period with its outcome, and the outcome counts."""
    query, fmt, _, error = _query("commitments")
    if fmt in ("csv", "xlsx"):
        return _export(query, fmt, ledger.build(query, ["commitments"]), f"commitments-{query.start}-{query.end}")
    everything = ledger.LedgerQuery(query.start, query.end, query.principal, query.unit_id)
    _, all_rows = ledger.load_commitments(everything)
    counts = Counter(r["outcome"] for r in all_rows)
    (shown, total, rows), = ledger.build(query, ["commitments"])
    return render_template("ledger/commitments.html", part=shown, total=total, rows=rows, query=query, error=error,
                           outcomes=[(o, counts.get(o, 0)) for o in OUTCOMES],
                           disclosed=sum(1 for r in all_rows if r["disclosure_url"]),
                           unit=request.args.get("unit", ""), pages=max(1, -(-total // PER_PAGE)))


@bp.get("/supervisor/annual")
@role_required("supervisor")
def annual_page():
    """年度报告统计表: a year's counts by channel, type, result, month; satisfaction; commitments; charts."""
    this_year = utcnow().astimezone(TZ).year
    raw = request.args.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= this_year + 1 else this_year
    found = annual.report(year)
    fmt = request.args.get("format")
    if fmt == "xlsx":
        return download(xlsx_bytes(annual.sheets(found)), f"annual-{year}.xlsx", fmt)
    if fmt == "csv":
        return download(csv_bytes(annual.flat_sheet(found)), f"annual-{year}.csv", fmt)
    return render_template("ledger/annual.html", found=found, year=year, years=range(this_year, this_year - 6, -1),
                           error=None if not raw or str(year) == raw else "年份不正确，已显示今年")


def _back(commitment) -> str:
    from responder.extensions import db
    from responder.models import Message

    return url_for("web.message_detail", tracking_no=db.session.get(Message, commitment.message_id).tracking_no)


@bp.post("/ledger/commitments/<int:commitment_id>/fulfil")
@role_required("unit")
def fulfil(commitment_id: int):
    row = commitments.get_commitment_for(principal(), commitment_id)
    return perform(lambda: commitments.fulfil(row, form_body(), principal()), "已登记承诺落实情况", _back(row))


@bp.post("/ledger/commitments/<int:commitment_id>/publish")
@role_required("supervisor")
def publish(commitment_id: int):
    row = commitments.get_commitment_for(principal(), commitment_id)
    return perform(lambda: commitments.publish(row, form_body(), principal()), "已登记落实情况公开", _back(row))


@bp.post("/unit/messages/<tracking_no>/reply/candidates")
@role_required("unit")
def reply_candidates(tracking_no: str):
    """识别承诺: the message page again, the reply kept and its commitment fields filled from the text."""
    from responder.web.messages import render_message
    from responder.web.unit import COMMITMENT_ROWS

    message = get_message_for(principal(), tracking_no)
    content = (request.form.get("content") or "").strip()
    found = extract(content, utcnow().astimezone(TZ).date()) if content else []
    draft = {"content": content, "public": request.form.get("public") in ("1", "on", "true"),
             "commitments": [{"content": c.text, "due_date": c.due_date.isoformat() if c.due_date else ""}
                             for c in found[:COMMITMENT_ROWS]],
             "found": len(found)}
    return render_message(message, reply_draft=draft)

