"""OpenAPI paths of the admin API (/api/v1/admin: units, groups, rules, policies, plan tasks)."""

from __future__ import annotations

from responder.models import TASK_STATUSES

ERROR = {"$ref": "#/components/schemas/Error"}
OBJECT = {"type": "object"}
STRINGS = {"type": "array", "items": {"type": "string"}}
NULLABLE_STR = {"type": ["string", "null"]}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


ERRORS = {"401": _error("缺少或无效的令牌"), "403": _error("仅限管理员令牌"), "404": _error("不存在"),
          "422": _error("字段校验未通过")}


def _op(summary: str, answer: dict, *, body: dict | None = None, params: list | None = None,
        status: str = "200", description: str | None = None, also: dict | None = None) -> dict:
    """One admin operation; `also` documents further success statuses (status → description) with the same body."""
    ok = {code: {"description": text, "content": {"application/json": {"schema": answer}}}
          for code, text in {status: "成功", **(also or {})}.items()}
    operation = {"summary": f"{summary}（admin）", "parameters": params or [], "responses": {**ok, **ERRORS}}
    if description:
        operation["description"] = description
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return operation


def _path(name: str, kind: str = "integer") -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


def _query(name: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema}


UNIT_NODE = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                                              "aliases": STRINGS, "active": {"type": "boolean"},
                                              "children": {"type": "array", "items": OBJECT}}}
UNIT_MADE = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                                              "aliases": STRINGS, "created": {"type": "boolean"}}}
GROUP = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "units": STRINGS,
                                          "mapped": {"type": "boolean"}, "note": {"type": "string"}}}
RULE = {"type": "object", "properties": {
    "id": {"type": "integer"}, "name": {"type": "string"}, "priority": {"type": "integer"}, "topic": NULLABLE_STR,
    "keywords": STRINGS, "lead": {"type": "string"}, "assists": STRINGS,
    "source": {"type": "string", "enum": ["admin", "demo", "plan"]}, "active": {"type": "boolean"},
    "note": {"type": "string"}}}
RULE_IN = {"type": "object", "properties": {
    "name": {"type": "string"}, "priority": {"type": "integer"}, "topic": NULLABLE_STR, "keywords": STRINGS,
    "lead": {"type": "string", "description": "主办单位名称或别名"}, "assists": STRINGS, "note": {"type": "string"},
    "active": {"type": "boolean"}}}
POLICY = {"type": "object", "properties": {
    "id": {"type": "integer"}, "kind": {"type": "string"}, "channel": NULLABLE_STR, "request_type": NULLABLE_STR,
    "urgency": NULLABLE_STR, "working_days": {"type": ["integer", "null"]}, "hours": {"type": ["integer", "null"]},
    "note": {"type": "string"}, "active": {"type": "boolean"}}}
TASK = {"type": "object", "properties": {
    "id": {"type": "integer"}, "plan": {"type": "string"}, "year": {"type": ["integer", "null"]},
    "number": NULLABLE_STR, "section": NULLABLE_STR, "text": {"type": "string"}, "requirement": {"type": "string"},
    "responsibility": {"type": "string"}, "lead": STRINGS, "assist": STRINGS, "groups": STRINGS,
    "deadline_text": NULLABLE_STR, "deadline": {"type": ["string", "null"], "format": "date"},
    "flagged_no_unit": {"type": "boolean"}, "status": {"type": "string", "enum": list(TASK_STATUSES)},
    "status_label": {"type": "string"}, "progress_note": NULLABLE_STR, "rule_id": {"type": ["integer", "null"]}}}

EXPORTS = {"text/csv": {"schema": {"type": "string"}},
           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
               "schema": {"type": "string", "format": "binary"}}}

ADMIN_PATHS = {
    "/api/v1/admin/units": {
        "get": _op("单位树（含别名）与集体表述映射", {"type": "object", "properties": {
            "units": {"type": "array", "items": UNIT_NODE}, "groups": {"type": "array", "items": GROUP}}}),
        "post": _op("新增单位（按名称幂等）", UNIT_MADE, status="201", body={"type": "object", "required": ["name"],
                    "properties": {"name": {"type": "string"}, "parent": NULLABLE_STR, "aliases": STRINGS}},
                    also={"200": "同名单位已存在：返回该单位（created 为 false）"}),
    },
    "/api/v1/admin/units/{unit_id}": {
        "patch": _op("替换单位别名", OBJECT, params=[_path("unit_id")],
                     body={"type": "object", "required": ["aliases"], "properties": {"aliases": STRINGS}}),
    },
    "/api/v1/admin/groups/{name}": {
        "put": _op("把集体表述（各科室、相关各部门……）映射到单位", GROUP, params=[_path("name", "string")],
                   body={"type": "object", "required": ["units"], "properties": {
                       "units": STRINGS, "note": {"type": "string"}}},
                   description="映射后，引用该表述的重点任务和分工方案派单规则把这些单位列为协办单位。"),
    },
    "/api/v1/admin/rules": {
        "get": _op("派单规则（优先级从高到低）", {"type": "object", "properties": {
            "items": {"type": "array", "items": RULE}}},
            params=[_query("source", {"type": "string", "enum": ["admin", "demo", "plan"]})]),
        "post": _op("新增派单规则", RULE, body=RULE_IN, status="201"),
    },
    "/api/v1/admin/rules/{rule_id}": {
        "patch": _op("修改派单规则（未给出的字段不变）", RULE, params=[_path("rule_id")], body=RULE_IN),
    },
    "/api/v1/admin/policies": {
        "get": _op("办理时限规则", {"type": "object", "properties": {"items": {"type": "array", "items": POLICY}}}),
    },
    "/api/v1/admin/policies/{policy_id}": {
        "patch": _op("修改办理时限（working_days 与 hours 只填一项）", POLICY, params=[_path("policy_id")],
                     body={"type": "object", "properties": {
                         "working_days": {"type": ["integer", "null"]}, "hours": {"type": ["integer", "null"]},
                         "active": {"type": "boolean"}, "note": {"type": "string"}}}),
    },
    "/api/v1/admin/plan-tasks": {
        "get": _op("重点任务台账（可按方案、单位、状态、是否缺责任单位筛选；format=csv/xlsx 导出）", {
            "type": "object", "properties": {"items": {"type": "array", "items": TASK}, "total": {"type": "integer"},
                                             "page": {"type": "integer"}}},
            params=[_query("plan", {"type": "string"}), _query("unit", {"type": "string"}),
                    _query("status", {"type": "string", "enum": list(TASK_STATUSES)}),
                    _query("flagged", {"type": "boolean"}), _query("page", {"type": "integer", "minimum": 1}),
                    _query("format", {"type": "string", "enum": ["json", "csv", "xlsx"]})]),
    },
    "/api/v1/admin/plan-tasks/{task_id}": {
        "patch": _op("更新任务进度（未启动 / 推进中 / 已完成）", TASK, params=[_path("task_id")],
                     body={"type": "object", "required": ["status"], "properties": {
                         "status": {"type": "string", "enum": list(TASK_STATUSES)},
                         "progress_note": {"type": "string", "maxLength": 2000}}}),
    },
}
# The ledger also answers format=csv / xlsx with the file itself (every matching row).
ADMIN_PATHS["/api/v1/admin/plan-tasks"]["get"]["responses"]["200"]["content"].update(EXPORTS)
