"""Domain exceptions and the handlers that turn every 4xx into the contract's error JSON."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

MESSAGES = {
    400: "请求格式不正确",
    401: "需要有效的访问令牌",
    403: "无权执行此操作",
    404: "未找到",
    405: "不支持该请求方法",
    409: "与当前状态冲突",
    413: "请求内容过大",
    415: "请求须为 JSON",
    422: "数据校验未通过",
    429: "请求过于频繁",
    500: "服务器内部错误",
    503: "服务暂时不可用，请稍后重试",
}
CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    422: "validation_failed", 429: "too_many_requests", 500: "internal_error", 503: "unavailable",
}


class DomainError(Exception):
    """Base for errors a user can act on; carries the HTTP status it maps to."""

    status = 400

    def __init__(self, message: str | None = None, fields: dict | None = None, code: str | None = None):
        super().__init__(message or MESSAGES[self.status])
        self.message = message or MESSAGES[self.status]
        self.fields = fields or {}
        self.code = code or CODES[self.status]


class ValidationFailed(DomainError):
    """Input failed validation; `fields` names every bad field and why."""

    status = 422


class FieldError(ValidationFailed):
    """One field is wrong."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"字段 {field} 不正确：{reason}", {field: reason})


class NotAuthenticated(DomainError):
    status = 401


class NotPermitted(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Unavailable(DomainError):
    status = 503


def error_body(status: int, message: str | None = None, fields: dict | None = None, code: str | None = None):
    """The contract's error document."""
    return {"error": code or CODES.get(status, "error"), "message": message or MESSAGES.get(status, ""),
            "fields": fields or {}}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def register_error_handlers(app: Flask) -> None:
    """JSON errors for the API (and for anyone asking for JSON); never an HTML 500 to the API."""
    from sqlalchemy.exc import OperationalError

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        # A 429 says when to come back (Retry-After), on pages and in the API alike.
        headers = {"Retry-After": str(exc.retry_after)} if getattr(exc, "retry_after", None) else {}
        if not wants_json():
            return render_template("errors/error.html", status=exc.status, message=exc.message), exc.status, headers
        return jsonify(error_body(exc.status, exc.message, exc.fields, exc.code)), exc.status, headers

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        if not wants_json():
            message = "表单已过期或缺少安全校验，请刷新页面后重试" if exc.name == "Bad Request" and "CSRF" in (
                exc.description or "") else MESSAGES.get(status, exc.name)
            return render_template("errors/error.html", status=status, message=message), status
        return jsonify(error_body(status)), status

    @app.errorhandler(OperationalError)
    def database_down(exc: OperationalError):
        log.warning("database unavailable: %s", exc.__class__.__name__)
        response = jsonify(error_body(503))
        response.status_code = 503
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        if wants_json():
            return jsonify(error_body(500)), 500
        return "服务器内部错误", 500
