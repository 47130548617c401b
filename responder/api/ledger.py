"""GET /api/v1/ledger (the response ledger as JSON, CSV or XLSX) and POST /api/v1/commitments/extract."""

from __future__ import annotations

from flask import g, jsonify, request

from responder.api import api_bp
from responder.api.stats import window_from_args
from responder.auth.permissions import require_role
from responder.errors import ValidationFailed
from responder.ledger import ledger
from responder.ledger.extract import extract
from responder.models import utcnow
from responder.reports.export import Sheet, csv_bytes, download, xlsx_bytes
from responder.validation import body_object, date_field, raise_if, text_field
from responder.workflow.sla import TZ

FORMATS = ("json", "csv", "xlsx")
MAX_PER_PAGE = 500


def _int_arg(args, name: str, default: int, high: int, errors: dict) -> int:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= high:
        errors[name] = f"应为 1 至 {high} 的整数"
        return default
    return int(raw)


def ledger_request(args, principal) -> tuple[ledger.LedgerQuery, str, str | None]:
    """Parse from/to/unit/format/part/page/per_page; a bad one is a 422 naming it."""
    window = window_from_args({k: v for k, v in args.items() if k in ("from", "to", "unit")}, principal)
    errors: dict[str, str] = {}
    fmt = (args.get("format") or "json").strip()
    if fmt not in FORMATS:
        errors["format"] = "取值应为 " + " / ".join(FORMATS)
    part = (args.get("part") or "").strip() or None
    if part and part not in ledger.PARTS:
        errors["part"] = "取值应为 " + " / ".join(ledger.PARTS)
    page = _int_arg(args, "page", 1, 100_000, errors)
    per_page = _int_arg(args, "per_page", 50, MAX_PER_PAGE, errors)
    if errors:
        raise ValidationFailed("查询参数不正确：" + "、".join(errors), errors)
    paged = fmt == "json"
    query = ledger.LedgerQuery(window.start, window.end, principal, window.unit_id,
                               page if paged else 1, per_page if paged else None)
    return query, fmt, part


def _json_value(value):
    if hasattr(value, "isoformat"):
        from responder.models.base import local_iso

        return local_iso(value) if hasattr(value, "hour") else value.isoformat()
    return value


@api_bp.get("/ledger")
@require_role("operator", "supervisor", "admin", "unit")
def ledger_export():
    """舆情回应台账 for messages received from..to; ?format=csv (one part) or xlsx (one sheet per part)."""
    query, fmt, part = ledger_request(request.args, g.principal)
    built = ledger.build(query, [part] if part else None)
    stem = f"ledger-{query.start.isoformat()}-{query.end.isoformat()}"
    if fmt == "xlsx":
        return download(xlsx_bytes(Sheet(p.title, p.columns, rows) for p, _, rows in built), f"{stem}.xlsx", fmt)
    if fmt == "csv":
        chosen, _, rows = built[0]
        return download(csv_bytes(Sheet(chosen.title, chosen.columns, rows)), f"{stem}-{chosen.key}.csv", fmt)
    return jsonify({
        "from": query.start.isoformat(), "to": query.end.isoformat(), "page": query.page,
        "per_page": query.per_page,
        "parts": [{"key": p.key, "title": p.title, "total": total,
                   "columns": [{"key": c.key, "label": c.label} for c in p.columns],
                   "items": [{k: _json_value(v) for k, v in row.items()} for row in rows]}
                  for p, total, rows in built],
    })


@api_bp.post("/commitments/extract")
@require_role("unit", "supervisor", "operator", "admin")
def extract_commitments():
    """Preview: the commitments a reply text makes, with deadlines, for the unit to confirm before replying."""
    body = body_object(request.get_json(silent=True) if request.data else {})
    errors: dict[str, str] = {}
    content = text_field(body, "content", errors, required=True, max_len=20_000)
    replied = date_field(body, "replied_at", errors)
    raise_if(errors)
    found = extract(content, replied or utcnow().astimezone(TZ).date())  # a reply written now counts from today
    return jsonify({"commitments": [{"content": c.text, "due_date": c.due_date.isoformat() if c.due_date else None,
                                     "confidence": c.confidence} for c in found]})
