"""OpenAPI paths of the ledger and the commitment extractor preview."""

from __future__ import annotations

from responder.api.openapi_handling import COMMON_ERRORS, _error

DATE = {"type": "string", "format": "date"}
CANDIDATE = {"type": "object", "properties": {"content": {"type": "string"},
                                              "due_date": {"type": ["string", "null"], "format": "date"},
                                              "confidence": {"type": "number", "minimum": 0, "maximum": 1}}}


def _query(name: str, schema: dict, description: str = "") -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


LEDGER_PATHS = {
    "/api/v1/ledger": {"get": {
        "summary": "舆情回应台账（JSON 分页；CSV 单个部分，UTF-8 带 BOM；XLSX 每部分一张工作表）",
        "operationId": "getLedger",
        "description": (
            "部分：messages 办理台账（from..to 内受理、已进入办理的诉求，每件一行：受理编号、渠道、受理时间、主题、"
            "诉求类型、摘要、主办/协办单位、派单/签收/答复/办结时间、办理时限、是否按期、状态、满意度、承诺事项及落实情况、公开情况）；"
            "commitments 承诺事项（from..to 内作出的承诺，每项一行，含回头看结果）；"
            "后续功能可增加部分（如舆情事件）。承办单位令牌只见本单位。"
            "导出单元格以 = + - @ 开头时加前缀 '，XLSX 不含公式，日期为日期单元格（北京时间）。"),
        "parameters": [
            _query("from", DATE, "起始日期（北京时间，含），缺省为 to 前 29 天"),
            _query("to", DATE, "结束日期（含），缺省为今天"),
            _query("unit", {"type": "string"}, "单位名称（主办或协办）；承办单位令牌固定为本单位"),
            _query("format", {"type": "string", "enum": ["json", "csv", "xlsx"]}),
            _query("part", {"type": "string", "enum": ["messages", "commitments"]},
                   "只取一个部分；CSV 缺省为 messages"),
            _query("page", {"type": "integer", "minimum": 1}, "仅 JSON"),
            _query("per_page", {"type": "integer", "minimum": 1, "maximum": 500}, "仅 JSON，缺省 50")],
        "responses": {
            "200": {"description": "台账", "content": {
                "application/json": {"schema": {"type": "object", "properties": {
                    "from": DATE, "to": DATE, "page": {"type": "integer"}, "per_page": {"type": ["integer", "null"]},
                    "parts": {"type": "array", "items": {"type": "object", "properties": {
                        "key": {"type": "string"}, "title": {"type": "string"}, "total": {"type": "integer"},
                        "columns": {"type": "array", "items": {"type": "object"}},
                        "items": {"type": "array", "items": {"type": "object"}}}}}}}},
                "text/csv": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}}}},
            "401": COMMON_ERRORS["401"], "403": COMMON_ERRORS["403"], "422": _error("查询参数不正确")},
    }},
    "/api/v1/commitments/extract": {"post": {
        "summary": "识别答复中的承诺事项（预览，供承办单位确认后随答复提交）",
        "operationId": "extractCommitments",
        "description": ("返回的每项 {content, due_date} 可直接放入 POST /messages/{tracking_no}/responses 的 "
                        "commitments；相对时限（N个工作日内等）从 replied_at（缺省今天）按官方工作日日历计算，"
                        "无法确定时 due_date 为 null。只返回把握度 confidence（0–1）不低于阈值的候选。"),
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["content"], "properties": {
                "content": {"type": "string", "minLength": 1, "maxLength": 20000}, "replied_at": DATE}}}}},
        "responses": {
            "200": {"description": "候选承诺", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"commitments": {"type": "array", "items": CANDIDATE}}}}}},
            "401": COMMON_ERRORS["401"], "403": COMMON_ERRORS["403"], "422": COMMON_ERRORS["422"]},
    }},
}
