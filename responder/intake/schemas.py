"""Field-level validation of channel payloads; every error names its field."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from responder.errors import ValidationFailed
from responder.models import CHANNELS, REQUEST_TYPES, URGENCIES
from responder.validation import choice_field, text_field

MAX_CONTENT = 20_000
MAX_META_BYTES = 16_000
KNOWN_FIELDS = {
    "channel", "external_id", "received_at", "content", "title", "request_type", "urgency",
    "citizen", "address", "consent_public", "meta",
}
CITIZEN_FIELDS = {"name": 80, "phone": 40, "id_number": 40}


@dataclass
class IntakeMessage:
    """A validated payload, ready to be normalised and stored."""

    channel: str
    external_id: str
    received_at: datetime
    content: str
    title: str | None = None
    request_type: str | None = None
    urgency: str | None = None
    citizen: dict = field(default_factory=dict)
    address: str | None = None
    consent_public: bool | None = None
    meta: dict = field(default_factory=dict)


EARLIEST_YEAR, LATEST_YEAR = 1990, 2100


def _received_at(payload, errors):
    value = payload.get("received_at")
    if value is None:
        errors["received_at"] = "必填"
        return None
    try:
        parsed = datetime.fromisoformat(str(value).strip())
    except ValueError:
        errors["received_at"] = "应为带时区的 ISO 8601 时间，如 2026-11-20T09:30:00+08:00"
        return None
    # A time ahead of ours is stored as given: channels schedule and back-date, and the contract
    # only asks for an offset. Deadlines simply count from it.
    if parsed.tzinfo is None:
        errors["received_at"] = "缺少时区，如 +08:00"
        return None
    # Still, a year no channel could mean is a typo (and before 1901 Beijing time has no fixed offset).
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        errors["received_at"] = f"年份应在 {EARLIEST_YEAR} 至 {LATEST_YEAR} 之间"
        return None
    return parsed


def _citizen(payload, errors):
    value = payload.get("citizen")
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors["citizen"] = "应为对象 {name, phone, id_number}"
        return {}
    citizen = {}
    for key, max_len in CITIZEN_FIELDS.items():
        text = text_field(value, key, errors, max_len=max_len)
        if f"{key}" in errors:
            errors[f"citizen.{key}"] = errors.pop(key)
        elif text:
            citizen[key] = text
    return citizen


def _meta(payload, extra, errors):
    value = payload.get("meta")
    if value is None:
        value = {}
    if not isinstance(value, dict):
        errors["meta"] = "应为对象"
        return {}
    meta = dict(value)
    if extra:
        # Unknown top-level fields are kept, not dropped: nothing accepted is lost.
        meta["extra"] = extra
    if len(json.dumps(meta, ensure_ascii=False, default=str).encode()) > MAX_META_BYTES:
        errors["meta"] = f"不能超过 {MAX_META_BYTES} 字节"
    return json.loads(json.dumps(meta, ensure_ascii=False, default=str))


def validate(payload) -> IntakeMessage:
    """Check a channel payload against the contract; raise ValidationFailed naming every bad field."""
    if not isinstance(payload, dict):
        raise ValidationFailed("请求体应为 JSON 对象", {"body": "应为 JSON 对象"})
    errors: dict[str, str] = {}
    channel = choice_field(payload, "channel", CHANNELS, errors, required=True)
    external_id = text_field(payload, "external_id", errors, required=True, max_len=128)
    received_at = _received_at(payload, errors)
    content = text_field(payload, "content", errors, required=True, max_len=MAX_CONTENT)
    title = text_field(payload, "title", errors, max_len=500)
    request_type = choice_field(payload, "request_type", REQUEST_TYPES, errors)
    urgency = choice_field(payload, "urgency", URGENCIES, errors)
    citizen = _citizen(payload, errors)
    address = text_field(payload, "address", errors, max_len=500)
    consent = payload.get("consent_public")
    if consent is not None and not isinstance(consent, bool):
        errors["consent_public"] = "应为 true 或 false"
    extra = {k: v for k, v in payload.items() if k not in KNOWN_FIELDS}
    meta = _meta(payload, extra, errors)
    if errors:
        raise ValidationFailed("数据校验未通过：" + "、".join(errors), errors)
    return IntakeMessage(channel, external_id, received_at, content, title, request_type, urgency,
                         citizen, address, consent, meta)
