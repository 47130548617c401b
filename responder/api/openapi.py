"""The OpenAPI document for /api/v1 (kept beside the routes it describes)."""

from __future__ import annotations

from flask import jsonify

from responder import __version__
from responder.api import api_bp
from responder.api.openapi_admin import ADMIN_PATHS
from responder.api.openapi_events import EVENT_PATHS, EVENT_SCHEMAS
from responder.api.openapi_handling import HANDLING_PATHS, PUBLIC_PATHS
from responder.api.openapi_ledger import LEDGER_PATHS
from responder.intake.schemas import MAX_CONTENT
from responder.models import CHANNELS, REQUEST_TYPES, URGENCIES
from responder.workflow.states import Status

ERROR = {"$ref": "#/components/schemas/Error"}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


NULLABLE_STR = {"type": ["string", "null"]}
DATETIME = {"type": ["string", "null"], "format": "date-time"}

SCHEMAS = {
    "Error": {"type": "object", "required": ["error", "message", "fields"], "properties": {
        "error": {"type": "string"}, "message": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}}}},
    "MessageIn": {"type": "object", "required": ["channel", "external_id", "received_at", "content"], "properties": {
        "channel": {"type": "string", "enum": list(CHANNELS)},
        "external_id": {"type": "string", "minLength": 1, "maxLength": 128},
        "received_at": {"type": "string", "format": "date-time", "description": "ISO 8601，须带时区"},
        "content": {"type": "string", "minLength": 1, "maxLength": MAX_CONTENT},
        "title": {"type": "string", "maxLength": 500},
        "request_type": {"type": "string", "enum": list(REQUEST_TYPES)},
        "urgency": {"type": "string", "enum": list(URGENCIES)},
        "citizen": {"type": "object", "properties": {
            "name": {"type": "string"}, "phone": {"type": "string"}, "id_number": {"type": "string"}}},
        "address": {"type": "string", "maxLength": 500},
        "consent_public": {"type": "boolean"},
        "meta": {"type": "object", "description": "platform, account, post_id, post_url, nickname …"}}},
    "Analysis": {"type": ["object", "null"], "properties": {
        "topic": NULLABLE_STR, "topic_confidence": {"type": ["number", "null"]},
        "sentiment": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
        "sentiment_label": {"type": ["string", "null"], "enum": ["negative", "neutral", "positive", None]},
        "request_type": NULLABLE_STR, "request_type_confidence": {"type": ["number", "null"]},
        "urgency": {"type": "string"}, "risk_flags": {"type": "array", "items": {"type": "string"}},
        "tags": {"type": "array", "items": {"type": "string"}}, "model_version": {"type": "string"},
        "needs_review": {"type": "boolean", "description": "待复核: topic confidence below the review threshold, "
                         "not yet confirmed or corrected by an operator"}}},
    "Assignment": {"type": "object", "properties": {
        "id": {"type": "integer"}, "unit": {"type": "string"}, "role": {"type": "string", "enum": ["lead", "assist"]},
        "status": {"type": "string"}, "sign_due_at": DATETIME, "due_at": DATETIME, "accepted_at": DATETIME,
        "reason": NULLABLE_STR}},
    "Event": {"type": "object", "properties": {
        "at": {"type": "string", "format": "date-time"}, "actor": {"type": "string"},
        "action": {"type": "string"}, "detail": {"type": "object"}}},
    "Message": {"type": "object", "required": ["tracking_no", "channel", "external_id", "status"], "properties": {
        "tracking_no": {"type": "string"}, "query_code": {"type": "string", "description": "仅在创建时返回"},
        "channel": {"type": "string", "enum": list(CHANNELS)}, "external_id": {"type": "string"},
        "received_at": {"type": "string", "format": "date-time"}, "title": NULLABLE_STR,
        "content": {"type": "string"}, "request_type": NULLABLE_STR, "urgency": {"type": "string"},
        "status": {"type": "string", "enum": [s.value for s in Status]}, "status_label": {"type": "string"},
        "due_at": DATETIME, "due_provisional": {"type": "boolean"}, "overdue": {"type": "boolean"},
        "citizen": {"type": ["object", "null"], "description": "按角色脱敏"},
        "address": NULLABLE_STR, "consent_public": {"type": ["boolean", "null"]}, "meta": {"type": "object"},
        "analysis": {"$ref": "#/components/schemas/Analysis"},
        "assignments": {"type": "array", "items": {"$ref": "#/components/schemas/Assignment"}},
        "responses": {"type": "array", "items": {"type": "object"}},
        "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}}},
}

MESSAGE = {"$ref": "#/components/schemas/Message"}
AUTH_ERRORS = {"401": _error("缺少或无效的令牌"), "403": _error("角色无权调用"),
               "429": _error("请求过于频繁（见 Retry-After）"), "503": _error("数据库暂不可用（见 Retry-After）")}


def _param(name: str, schema: dict, where: str = "query", required: bool = False) -> dict:
    return {"name": name, "in": where, "required": required, "schema": schema}


PATHS = {
    "/api/v1/messages": {
        "post": {"summary": "受理一条诉求（渠道推送）", "operationId": "createMessage",
                 "requestBody": {"required": True, "content": {"application/json": {
                     "schema": {"$ref": "#/components/schemas/MessageIn"}}}},
                 "responses": {"201": _json(MESSAGE, "新诉求已保存"), "200": _json(MESSAGE, "重复推送，返回已有诉求"),
                               "422": _error("字段校验未通过"), **AUTH_ERRORS}},
        "get": {"summary": "诉求列表（承办单位只见本单位）", "operationId": "listMessages",
                "parameters": [
                    _param("status", {"type": "string", "enum": [s.value for s in Status]}),
                    _param("unit", {"type": "string"}), _param("topic", {"type": "string"}),
                    _param("channel", {"type": "string", "enum": list(CHANNELS)}),
                    _param("overdue", {"type": "boolean", "description": "true：只列已超期未办结的，超期最久的在前"
                                                                        "（其余情况按受理时间最新在前）"}),
                    _param("q", {"type": "string"}),
                    _param("page", {"type": "integer", "minimum": 1}),
                    _param("per_page", {"type": "integer", "minimum": 1, "maximum": 100})],
                "responses": {"200": _json({"type": "object", "properties": {
                    "items": {"type": "array", "items": MESSAGE}, "total": {"type": "integer"},
                    "total_capped": {"type": "boolean", "description": "为 true 时 total 只数到上限（实际更多）"},
                    "page": {"type": "integer"}, "per_page": {"type": "integer"}}}, "一页诉求"),
                    "422": _error("查询参数不正确"), **AUTH_ERRORS}},
    },
    "/api/v1/messages/batch": {
        "post": {"summary": "批量受理（至多 1000 条，逐条应答）", "operationId": "createMessages",
                 "requestBody": {"required": True, "content": {"application/json": {"schema": {
                     "type": "object", "required": ["messages"], "properties": {"messages": {
                         "type": "array", "minItems": 1, "maxItems": 1000,
                         "items": {"$ref": "#/components/schemas/MessageIn"}}}}}}},
                 "responses": {"200": _json({"type": "object", "properties": {
                     "results": {"type": "array", "items": {"type": "object", "properties": {
                         "status": {"type": "integer", "enum": [200, 201, 422]},
                         "message": {"anyOf": [MESSAGE, {"type": "string", "description": "422 时为拒收原因"}]},
                         "error": {"type": "string"}, "fields": {"type": "object"}}}},
                     "created": {"type": "integer"}, "duplicates": {"type": "integer"},
                     "rejected": {"type": "integer"}}}, "逐条结果"),
                     "422": _error("请求体不正确"), **AUTH_ERRORS}},
    },
    "/api/v1/messages/{tracking_no}": {
        "get": {"summary": "查看一件诉求（含研判、派单、办理记录）", "operationId": "getMessage",
                "parameters": [_param("tracking_no", {"type": "string"}, "path", True)],
                "responses": {"200": _json(MESSAGE, "诉求详情"), "404": _error("不存在或无权查看"), **AUTH_ERRORS}},
    },
    "/api/v1/stats/summary": {
        "get": {"summary": "考核指标（按受理日期统计，可按单位/主题/渠道/日/周/月分组；承办单位只见本单位）",
                "operationId": "statsSummary",
                "description": (
                    "统计 from..to（北京时间受理日期，含两端；缺省为最近 30 天，至多 731 天；"
                    "日期须在 2000-01-01 至次年 12 月 31 日之间）内受理的诉求。"
                    "比率为 [0,1] 的小数，分母为 0 时为 null，并附分子分母计数。"
                    "on_time_sign_rate 签收及时率 = 截止前签收的派单 / 有签收时限且已签收或已超时未签收的派单"
                    "（未签收即退单或撤销的不计）；on_time_completion_rate 按期办结率 = 在 due_at（含延期、暂停顺延、"
                    "重办重算）前办结的诉求 / 已办结或已超期的诉求（不含重复件、无效件）；hours_mean、hours_p90 "
                    "办理时长：受理至办结的工作时长（官方日历的工作日每天计 24 小时，节假日不计），"
                    "p90 为最近秩法（工时先取到 0.01 小时）；"
                    "satisfaction_rate 满意率 = (满意+基本满意) / 回访次数；"
                    "return_rate 退单率 = 被退过单的派单 / 派单；"
                    "reopen_rate 重办率 = 重办过的诉求 / 办结过的诉求；"
                    "extension_rate 延期率 = 申请过延期的派单 / 派单；"
                    "repeat_rate 重复件率 = 重复件 / 诉求；"
                    "routing_accuracy 自动派单准确率 = 无人改派的自动派单（主办） / 自动派单（主办），"
                    "也在顶层字段 routing_accuracy 给出。诉求类指标归主办单位，派单类指标归各派单单位。"),
                "parameters": [
                    _param("from", {"type": "string", "format": "date"}),
                    _param("to", {"type": "string", "format": "date"}),
                    _param("unit", {"type": "string", "description": "单位名称；承办单位令牌固定为本单位"}),
                    _param("by", {"type": "string", "enum": ["unit", "topic", "channel", "day", "week", "month"]})],
                "responses": {"200": _json({"type": "object", "properties": {
                    "from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"},
                    "unit": NULLABLE_STR, "by": NULLABLE_STR,
                    "routing_accuracy": {"type": ["number", "null"], "description": "自动派单准确率"},
                    "totals": {"type": "object", "additionalProperties": {"type": ["number", "null"]}},
                    "groups": {"type": "array", "items": {"type": "object", "properties": {
                        "key": NULLABLE_STR}, "additionalProperties": {"type": ["number", "null"]}}}}}, "指标"),
                    "422": _error("查询参数不正确"), **AUTH_ERRORS}},
    },
}


def document() -> dict:
    """The whole OpenAPI 3.1 document."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "responder 政务舆情回应与诉求办理系统 API", "version": __version__},
        "servers": [{"url": "/"}],
        "components": {"schemas": {**SCHEMAS, **EVENT_SCHEMAS},
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
        "paths": {**PATHS, **HANDLING_PATHS, **PUBLIC_PATHS, **ADMIN_PATHS, **EVENT_PATHS, **LEDGER_PATHS},
    }


@api_bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI document (no token needed)."""
    return jsonify(document())
