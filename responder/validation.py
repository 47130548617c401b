"""Field-level checks shared by every JSON input; each records a reason under the field's name."""

from __future__ import annotations

from datetime import date

from werkzeug.routing import IntegerConverter

from responder.errors import ValidationFailed


def text_field(payload, name, errors, *, required=False, max_len=500):
    """A string field (ints accepted as text), stripped; records a Chinese reason in `errors`."""
    value = payload.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[name] = "必填" if value is None else "不能为空"
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        errors[name] = "应为字符串"
        return None
    value = str(value).strip()
    if len(value) > max_len:
        errors[name] = f"不能超过 {max_len} 个字符"
        return None
    return value


def choice_field(payload, name, choices, errors, *, required=False):
    """One of `choices`; records a Chinese reason in `errors`."""
    value = payload.get(name)
    if value is None:
        if required:
            errors[name] = "必填"
        return None
    if value not in choices:
        errors[name] = "取值应为 " + " / ".join(choices)
        return None
    return value


def int_field(payload, name, errors, *, low: int, high: int, required=False):
    """A whole number within [low, high]."""
    value = payload.get(name)
    if value is None:
        if required:
            errors[name] = "必填"
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors[name] = f"应为 {low} 至 {high} 的整数"
        return None
    return value


def date_field(payload, name, errors, *, required=False):
    """A calendar date written YYYY-MM-DD."""
    value = payload.get(name)
    if value is None:
        if required:
            errors[name] = "必填"
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors[name] = "应为日期，如 2026-12-31"
        return None


def bool_field(payload, name, errors, *, default=None):
    value = payload.get(name, default)
    if value is not None and not isinstance(value, bool):
        errors[name] = "应为 true 或 false"
        return default
    return value


def body_object(payload) -> dict:
    """The request body must be a JSON object."""
    if not isinstance(payload, dict):
        raise ValidationFailed("请求体应为 JSON 对象", {"body": "应为 JSON 对象"})
    return payload


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationFailed("数据校验未通过：" + "、".join(errors), errors)


def single_text(body, name: str, *, required: bool = True, max_len: int = 2000) -> str | None:
    """The one text field a simple action takes (a reason, an answer, evidence); 422 naming it if bad."""
    errors: dict[str, str] = {}
    value = text_field(body_object(body if body is not None else {}), name, errors, required=required,
                       max_len=max_len)
    raise_if(errors)
    return value


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` in URLs, but only ids a database column can hold: a larger number is a 404, not a 500."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002  werkzeug's own parameter name
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(map, *args, **kwargs)


MAX_PAGE = 1_000_000  # far past any real list, yet an OFFSET every database accepts


def page_number(raw) -> int:
    """A ?page= value as a page number: anything that is not a sensible one means the first or the last page."""
    text = str(raw or "1").strip()
    return min(max(int(text), 1), MAX_PAGE) if text.isdigit() and len(text) < 20 else 1
