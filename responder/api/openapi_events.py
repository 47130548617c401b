"""OpenAPI paths of opinion events (舆情事件) and hotspots (热点)."""

from __future__ import annotations

from responder.hotspots.service import KIND_LABELS, STATUSES
from responder.opinion import rules

ERROR = {"$ref": "#/components/schemas/Error"}
EVENT = {"$ref": "#/components/schemas/OpinionEvent"}
HOTSPOT = {"$ref": "#/components/schemas/Hotspot"}
TEXT = {"type": "string", "minLength": 1}
INSTANT = {"type": "string", "format": "date-time", "description": "ISO 8601，须带时区；缺省为当前时间，不能晚于当前"}
NAMES = {"type": "array", "items": {"type": "string"}}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {"401": _error("缺少或无效的令牌"), "403": _error("角色无权调用"),
          "404": _error("不存在，或本单位不是责任单位"),
          "409": _error("当前阶段不允许该操作"), "422": _error("字段校验未通过")}


def _path_id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def _query(name: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema}


def _post(summary: str, body: dict | None, answer: dict, param: str, status: str = "200") -> dict:
    operation = {"summary": summary, "parameters": [_path_id(param)],
                 "responses": {status: _json(answer, "成功"), **ERRORS}}
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return {"post": operation}


def _page_of(item: dict) -> dict:
    return {"type": "object", "properties": {"items": {"type": "array", "items": item}, "total": {"type": "integer"},
                                             "page": {"type": "integer"}, "per_page": {"type": "integer"}}}


PAGING = [_query("page", {"type": "integer", "minimum": 1}),
          _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100})]
DEADLINE = {"type": "object", "properties": {
    "kind": {"type": "string", "enum": list(rules.DEADLINE_LABELS)}, "label": {"type": "string"},
    "due_at": {"type": "string", "format": "date-time"}, "met_at": {"type": ["string", "null"], "format": "date-time"},
    "state": {"type": "string", "enum": ["open", "met", "met_late", "missed"]},
    "late_flagged_at": {"type": ["string", "null"], "format": "date-time"},
    "seconds_left": {"type": ["integer", "null"]}}}

EVENT_SCHEMAS = {
    "OpinionEvent": {"type": "object", "description": (
        "舆情事件。时限按级别自发现时起算（钟点小时）：特别重大、重大——5 小时内发布权威信息（info）、24 小时内召开"
        "新闻发布会（press）；一般——48 小时内作出回应（response）。阶段：收集 collecting → 会商 consulting → 研判 "
        "assessing → 回应 responding → 评估 evaluating → 已闭环 closed（登记评估即闭环）。"), "properties": {
        "id": {"type": "integer"}, "title": {"type": "string"},
        "level": {"type": "string", "enum": list(rules.LEVELS)}, "level_label": {"type": "string"},
        "discovered_at": {"type": "string", "format": "date-time"}, "summary": {"type": "string"},
        "stage": {"type": "string", "enum": list(rules.STAGES)}, "stage_label": {"type": "string"},
        "units": NAMES, "deadlines": {"type": "array", "items": DEADLINE}, "message_count": {"type": "integer"},
        "cycle": {"type": "array", "items": {"type": "object"}},
        "responses": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "integer"}, "channel": {"type": "string", "enum": list(rules.CHANNELS)},
            "responded_at": {"type": "string", "format": "date-time"}, "content": {"type": "string"},
            "meets": {"type": ["string", "null"]}, "on_time": {"type": ["boolean", "null"]}}}},
        "evaluation": {"type": ["string", "null"]},
        "outcome": {"type": ["string", "null"], "enum": [*rules.OUTCOMES, None]},
        "messages": {"type": "array", "description": "关联诉求（承办单位只见本单位的）",
                     "items": {"type": "object", "properties": {"tracking_no": {"type": "string"}}}}}},
    "Hotspot": {"type": "object", "description": (
        "热点：某主题/重点领域/关键词/地点在窗口（24h、7d）内的件数显著高于其此前同长窗口的均值"
        "（件数 ≥ 最小件数，且 ≥ 均值 + 3·max(标准差, √均值, 1)，且 ≥ 1.5 倍均值），"
        "或 7 天内 3 件以上的相似诉求聚集。"),
        "properties": {
            "id": {"type": "integer"}, "kind": {"type": "string", "enum": list(KIND_LABELS)},
            "key": {"type": "string"}, "label": {"type": "string"},
            "window": {"type": "string", "enum": ["24h", "7d"]},
            "window_start": {"type": "string", "format": "date-time"},
            "window_end": {"type": "string", "format": "date-time"}, "count": {"type": "integer"},
            "baseline": {"type": "number"}, "spread": {"type": "number"}, "score": {"type": "number"},
            "sample_message_ids": {"type": "array", "items": {"type": "integer"}},
            "status": {"type": "string", "enum": list(STATUSES)}, "event_id": {"type": ["integer", "null"]},
            "detected_at": {"type": "string", "format": "date-time"}}},
}

EVENT_IN = {"type": "object", "required": ["title", "level"], "properties": {
    "title": {"type": "string", "minLength": 1, "maxLength": 300},
    "level": {"type": "string", "enum": list(rules.LEVELS)},
    "discovered_at": INSTANT, "summary": {"type": "string", "maxLength": 5000},
    "units": {**NAMES, "description": "责任单位名称"}, "messages": {**NAMES, "description": "受理编号"}}}
RESPONSE_IN = {"type": "object", "required": ["channel", "content"], "properties": {
    "channel": {"type": "string", "enum": list(rules.CHANNELS)}, "content": TEXT, "responded_at": INSTANT,
    "meets": {"type": "string", "enum": list(rules.DEADLINE_LABELS),
              "description": "所满足的时限；缺省：发布会→press，其余→info（一般级别→response）"}}}

EVENT_PATHS = {
    "/api/v1/events": {
        "get": {"summary": "舆情事件列表（承办单位只见本单位为责任单位的事件）", "operationId": "listEvents",
                "parameters": [_query("stage", {"type": "string", "enum": list(rules.STAGES)}),
                               _query("level", {"type": "string", "enum": list(rules.LEVELS)}), *PAGING],
                "responses": {"200": _json(_page_of(EVENT), "一页事件"), "422": _error("查询参数不正确"),
                              "401": ERRORS["401"], "403": ERRORS["403"]}},
        "post": {"summary": "登记舆情事件（supervisor）", "operationId": "createEvent",
                 "requestBody": {"required": True, "content": {"application/json": {"schema": EVENT_IN}}},
                 "responses": {"201": _json(EVENT, "已登记"), "401": ERRORS["401"], "403": ERRORS["403"],
                               "422": ERRORS["422"]}},
    },
    "/api/v1/events/{event_id}": {
        "get": {"summary": "查看舆情事件（阶段、时限倒计时、回应、评估、关联诉求）", "operationId": "getEvent",
                "parameters": [_path_id("event_id")],
                "responses": {"200": _json(EVENT, "事件"), "401": ERRORS["401"], "403": ERRORS["403"],
                              "404": ERRORS["404"]}},
    },
    "/api/v1/events/{event_id}/advance": _post(
        "推进到下一阶段（supervisor；回应阶段须已登记回应）",
        {"type": "object", "properties": {"note": {"type": "string"}}},
        EVENT, "event_id"),
    "/api/v1/events/{event_id}/messages": _post(
        "归集诉求（supervisor）", {"type": "object", "required": ["messages"], "properties": {"messages": NAMES}},
        EVENT, "event_id"),
    "/api/v1/events/{event_id}/responses": _post(
        "登记回应（supervisor 或责任单位）", RESPONSE_IN, EVENT, "event_id", "201"),
    "/api/v1/events/{event_id}/evaluation": _post(
        "登记评估并闭环（supervisor；须处于评估阶段）",
        {"type": "object", "required": ["evaluation", "outcome"], "properties": {
            "evaluation": TEXT, "outcome": {"type": "string", "enum": list(rules.OUTCOMES)}}}, EVENT, "event_id"),
    "/api/v1/hotspots": {
        "get": {"summary": "热点列表（supervisor、admin）", "operationId": "listHotspots",
                "parameters": [_query("status", {"type": "string", "enum": list(STATUSES)}),
                               _query("kind", {"type": "string", "enum": list(KIND_LABELS)}), *PAGING],
                "responses": {"200": _json(_page_of(HOTSPOT), "一页热点"), "422": _error("查询参数不正确"),
                              "401": ERRORS["401"], "403": ERRORS["403"]}},
    },
    "/api/v1/hotspots/{hotspot_id}/convert": _post(
        "一键转为舆情事件并关联其全部诉求（supervisor；title、level、units 可选）",
        {"type": "object", "properties": EVENT_IN["properties"]}, EVENT, "hotspot_id", "201"),
    "/api/v1/hotspots/{hotspot_id}/dismiss": _post("忽略热点（supervisor）", None, HOTSPOT, "hotspot_id"),
}
