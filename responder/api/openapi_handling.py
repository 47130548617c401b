"""OpenAPI paths of the handling calls (CONTRACT, Handling)."""

from __future__ import annotations

ERROR = {"$ref": "#/components/schemas/Error"}
MESSAGE = {"$ref": "#/components/schemas/Message"}
OBJECT = {"type": "object"}
TEXT = {"type": "string", "minLength": 1}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


COMMON_ERRORS = {
    "401": _error("缺少或无效的令牌"), "403": _error("角色无权调用"), "404": _error("不存在，或属于其他单位"),
    "409": _error("当前状态不允许该操作，或已被他人处理"), "422": _error("字段校验未通过"),
}


def _call(summary: str, role: str, body: dict | None, answer: dict, param: str, status: str = "200") -> dict:
    operation = {
        "summary": f"{summary}（{role}）",
        "parameters": [{"name": param, "in": "path", "required": True,
                        "schema": {"type": "integer"} if param.endswith("_id") else {"type": "string"}}],
        "responses": {status: {"description": "成功", "content": {"application/json": {"schema": answer}}},
                      **COMMON_ERRORS},
    }
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return {"post": operation}


def _obj(required: list[str], **props) -> dict:
    return {"type": "object", "required": required, "properties": props}


REASON = _obj(["reason"], reason=TEXT)
OPTIONAL_REASON = _obj([], reason={"type": "string"})
COMMITMENT = _obj(["content"], content=TEXT, due_date={"type": ["string", "null"], "format": "date"})

HANDLING_PATHS = {
    "/api/v1/messages/{tracking_no}/dispatch": _call(
        "派单 / 改派", "operator", _obj(["lead"], lead=TEXT, assist={"type": "array", "items": TEXT},
                                         note={"type": "string"}), MESSAGE, "tracking_no"),
    "/api/v1/assignments/{assignment_id}/accept": _call("签收", "unit", None, OBJECT, "assignment_id"),
    "/api/v1/assignments/{assignment_id}/return": _call("退单", "unit", REASON, OBJECT, "assignment_id"),
    "/api/v1/returns/{return_id}/refuse": _call("不予退单", "operator", REASON, OBJECT, "return_id"),
    "/api/v1/assignments/{assignment_id}/extension": _call(
        "延期申请", "unit", _obj(["days", "reason"], days={"type": "integer", "minimum": 1}, reason=TEXT),
        OBJECT, "assignment_id", "201"),
    "/api/v1/extensions/{extension_id}/approve": _call("批准延期", "supervisor", OPTIONAL_REASON, OBJECT,
                                                      "extension_id"),
    "/api/v1/extensions/{extension_id}/reject": _call("驳回延期", "supervisor", REASON, OBJECT, "extension_id"),
    "/api/v1/assignments/{assignment_id}/pause": _call("暂停计时（补正）", "unit", REASON, OBJECT, "assignment_id"),
    "/api/v1/assignments/{assignment_id}/resume": _call("恢复计时", "unit", None, OBJECT, "assignment_id"),
    "/api/v1/assignments/{assignment_id}/opinion": _call("提交协办意见", "unit", _obj(["content"], content=TEXT),
                                                         OBJECT, "assignment_id", "201"),
    "/api/v1/messages/{tracking_no}/responses": _call(
        "答复（主办单位，待审核）", "unit",
        _obj(["content"], content=TEXT, public={"type": "boolean"},
             commitments={"type": "array", "items": COMMITMENT, "maxItems": 20}), OBJECT, "tracking_no", "201"),
    "/api/v1/responses/{response_id}/approve": _call("审核通过并发布（先审后发）", "supervisor", OPTIONAL_REASON,
                                                     OBJECT, "response_id"),
    "/api/v1/responses/{response_id}/reject": _call("审核退回", "supervisor", REASON, OBJECT, "response_id"),
    "/api/v1/messages/{tracking_no}/callback": _call(
        "回访（不满意则重办）", "operator",
        _obj(["satisfaction"], satisfaction={"type": "string", "enum": ["satisfied", "basically_satisfied",
                                                                        "dissatisfied"]},
             solved={"type": "string", "enum": ["solved", "partly", "unsolved"]}, comment={"type": "string"}),
        MESSAGE, "tracking_no"),
    "/api/v1/messages/{tracking_no}/merge": _call("并单", "operator", _obj(["into"], into=TEXT), MESSAGE,
                                                  "tracking_no"),
    "/api/v1/messages/{tracking_no}/invalidate": _call("标记无效", "operator", REASON, MESSAGE, "tracking_no"),
    "/api/v1/messages/{tracking_no}/answer": _call("直接答复（咨询）", "operator", _obj(["content"], content=TEXT),
                                                   MESSAGE, "tracking_no"),
    "/api/v1/commitments/{commitment_id}/fulfil": _call("登记承诺落实", "unit", _obj(["evidence"], evidence=TEXT),
                                                         OBJECT, "commitment_id"),
    "/api/v1/commitments/{commitment_id}/publish": _call("登记落实情况公开", "supervisor",
                                                          _obj(["url"], url={"type": "string", "format": "uri"}),
                                                          OBJECT, "commitment_id"),
}


PUBLIC_PATHS = {
    "/api/v1/public/messages/{tracking_no}": {"get": {
        "summary": "群众查询本人诉求（受理编号 + 查询码，无需令牌；不含个人信息）",
        "security": [],
        "parameters": [{"name": "tracking_no", "in": "path", "required": True, "schema": {"type": "string"}},
                       {"name": "code", "in": "query", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "进度与已发布的答复", "content": {"application/json": {"schema": _obj(
            ["tracking_no", "status"], tracking_no={"type": "string"}, status={"type": "string"},
            status_label={"type": "string"}, merged_into={"type": ["string", "null"]},
            progress={"type": "array", "items": OBJECT}, replies={"type": "array", "items": OBJECT})}}},
            "404": _error("受理编号或查询码不正确"), "429": _error("查询过于频繁（见 Retry-After）")},
    }},
}
