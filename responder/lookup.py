"""The citizen's own lookup (查询): tracking number plus query code, no account, no personal data."""

from __future__ import annotations

import hmac

from sqlalchemy import select

from responder.errors import NotFound
from responder.extensions import db
from responder.intake.service import query_code_digest
from responder.models import Event, Message
from responder.models.base import local_iso as iso
from responder.workflow.states import LABELS, Status

# What a citizen sees of the history: coarse steps, never who inside the government did what.
MILESTONES = {"receive": "已受理", "dispatch": "已转交承办单位办理", "accept": "承办单位已签收",
              "reply": "承办单位已答复，正在审核", "approve_response": "答复已发布", "answer": "已直接答复",
              "reopen": "根据您的回访意见重新办理", "close": "已办结归档", "merge": "已与相同诉求合并办理"}


def citizen_view(tracking_no: str, code: str | None) -> dict:
    """The message as its citizen may see it; merged items show the original's progress. 404 on any mismatch."""
    message = db.session.scalar(select(Message).where(Message.tracking_no == tracking_no))
    expected = query_code_digest(message.channel, message.external_id, code or "") if message else ""
    if message is None or not code or not hmac.compare_digest(expected, message.query_code_hash):
        raise NotFound("受理编号或查询码不正确")
    original = db.session.get(Message, message.merged_into_id) if message.merged_into_id else None
    followed = original or message
    own = original is None
    return {
        "tracking_no": message.tracking_no,
        "received_at": iso(message.received_at),
        "title": message.title,
        "content": message.content,
        "merged_into": original.tracking_no if original else None,
        "status": followed.status,
        "status_label": LABELS[Status(followed.status)],
        "due_at": iso(followed.due_at),
        "progress": _progress(message) + (_progress(original) if original else []),
        "replies": [
            {"content": r.content, "published_at": iso(r.published_at)}
            for r in followed.responses
            if r.status == "approved" and (own or (r.public and followed.consent_public))
        ],
    }


def _progress(message: Message) -> list[dict]:
    events = db.session.scalars(select(Event).where(Event.message_id == message.id, Event.subject_type == "message",
                                                    Event.action.in_(MILESTONES)).order_by(Event.id))
    return [{"at": iso(e.at), "step": MILESTONES[e.action]} for e in events]
