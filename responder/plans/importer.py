"""Write an imported 分工方案: its units, its groups, one routing rule per task with a concrete lead, and the
task ledger — all idempotent (importing the same plan twice changes nothing) and audited."""

from __future__ import annotations

import logging
import re

from sqlalchemy import select

from responder.audit import record
from responder.directory import ensure_unit, find_unit
from responder.errors import FieldError
from responder.extensions import db
from responder.models import RoutingRule, Unit
from responder.plans import groups as group_service
from responder.plans.ledger import resolve, upsert_task
from responder.routing.fengong import Plan, Task, is_group

RULE_SOURCE = "plan"
RULE_PREFIX = "分工方案："
# Plan rules rest on a few words of a work item: below the admin's keyword rules and the topic defaults (10),
# so they decide only when nothing more specific applies (routing.rules explains the order).
RULE_PRIORITY = 5
MAX_KEYWORDS = 5
GENERIC_WORDS = frozenset("""
公开 信息 工作 做好 加强 政务 政府 进一步 积极 及时 推进 落实 开展 相关 主动 持续 切实 不断 提高 提升 完善 建立 健全
要求 情况 有关 重点 重要 强化 注重 确保 实施 本镇 全镇 各类 方面 机制 制度 单位 部门 办公室 全面 深入 认真 规范 有效
严格 依法 社会 群众 公众 内容 方式 形式 平台 建设 工作人员 政务公开 信息公开 政府信息 年度 每年 一步 发布
各项 统一 更新 下达 使用 管理 发放 力度 水平 能力 作用 领域 事项 行政 相关信息 实际 根据 按照 围绕 注意
扎实 引导 政策 服务 基层 行动 运动 中国 类型 调查 意见 反馈 对照 日前 对外 编制 动态 添加 精准 解答 延伸 衔接
向村 全国 调整 负面 步调 发声 切实加强 阐释 融合线 党和国家 系统实施 基础性 用图表 准确度 到位 实时 跟进 理念
""".split())


def short_text(task: Task, limit: int = 40) -> str:
    """The task's first clause, for the rule name and the ledger's list."""
    head = re.split(r"[。；;！!]", task.text, maxsplit=1)[0].strip() or task.text.strip()
    return head if len(head) <= limit else head[:limit] + "…"


def keywords_for(task: Task, exclude: set[str]) -> list[str]:
    import jieba.analyse

    logging.getLogger("jieba").setLevel(logging.WARNING)
    words = []
    for word in jieba.analyse.extract_tags(task.text, topK=MAX_KEYWORDS * 4):
        if len(word) < 2 or word in GENERIC_WORDS or word in exclude or re.fullmatch(r"[\d.%]+", word):
            continue
        words.append(word)
        if len(words) == MAX_KEYWORDS:
            break
    return words


def task_note(plan: Plan, task: Task) -> str:
    return "；".join(x for x in (plan.title, task.section, f"第{task.number}项" if task.number else None,
                                f"时限：{task.deadline}" if task.deadline else None,
                                f"责任单位：{task.responsibility}" if task.responsibility else None) if x)


def rule_specs(plan: Plan, expansions: dict[str, list[str]] | None = None) -> list[dict]:
    """One rule per task whose leads name a concrete unit: name, keywords, lead, assists, note, task index.

    Mapped groups (`expansions`: group → unit names) add their units as assisting units.
    """
    expansions = expansions or {}
    specs, names = [], set()
    exclude = set(plan.units) | set(plan.groups)
    for index, task in enumerate(plan.tasks):
        leads = [u for u in task.lead if not is_group(u)]
        if not leads:
            continue
        name = RULE_PREFIX + short_text(task)
        if name in names and task.number:
            name = f"{name}（{task.number}）"
        names.add(name)
        assists = []
        for unit in leads[1:] + [u for u in task.lead if is_group(u)] + task.assist:
            assists.extend(expansions.get(unit, []) if is_group(unit) else [unit])
        assists = [u for u in dict.fromkeys(assists) if u != leads[0]]
        specs.append({"name": name[:200], "keywords": keywords_for(task, exclude), "lead": leads[0],
                      "assists": assists, "note": task_note(plan, task), "task": index})
    return specs


def _units(plan: Plan, actor: str, counts: dict) -> dict[str, Unit]:
    units = {}
    for name in plan.units:
        try:
            units[name] = find_unit(name)  # by name or alias
            counts["units_existing"] += 1
        except FieldError:
            units[name], created = ensure_unit(name, actor=actor)
            counts["units_created" if created else "units_existing"] += 1
    return units


def _write_rule(spec: dict, units: dict[str, Unit], actor: str, counts: dict) -> RoutingRule:
    lead = units[spec["lead"]]
    assists = [units[a] if a in units else db.session.get(Unit, a) for a in spec["assists"]]
    assists = [u for u in dict.fromkeys(assists) if u is not None and u.id != lead.id]
    rule = db.session.scalar(select(RoutingRule).where(RoutingRule.name == spec["name"],
                                                       RoutingRule.source == RULE_SOURCE))
    if rule is not None and (rule.lead_unit_id, sorted(u.id for u in rule.assist_units), rule.keywords,
                             rule.note) == (lead.id, sorted(u.id for u in assists), spec["keywords"], spec["note"]):
        counts["rules_unchanged"] += 1
        return rule
    action = "rule.update" if rule is not None else "rule.create"
    if rule is None:
        rule = RoutingRule(name=spec["name"], source=RULE_SOURCE, priority=RULE_PRIORITY, topic=None,
                           active=True, keywords=spec["keywords"], lead_unit_id=lead.id,
                           assist_units=assists, note=spec["note"])
        db.session.add(rule)
    else:
        rule.keywords, rule.lead_unit_id, rule.assist_units, rule.note = (spec["keywords"], lead.id, assists,
                                                                         spec["note"])
    db.session.flush()
    record(actor, action, subject_type="routing_rule", subject_id=rule.id,
           detail={"name": rule.name, "source": RULE_SOURCE, "keywords": spec["keywords"],
                   "lead": lead.name, "assists": [u.name for u in assists]})
    counts["rules_created" if action == "rule.create" else "rules_updated"] += 1
    return rule


def write_plan(plan: Plan, *, actor: str, plan_name: str | None = None) -> dict:
    """Create the plan's units, groups, routing rules and ledger rows; idempotent."""
    counts = dict.fromkeys(("units_created", "units_existing", "rules_created", "rules_updated",
                            "rules_unchanged", "tasks_created", "tasks_updated", "tasks_unchanged"), 0)
    units = _units(plan, actor, counts)
    group_service.ensure_groups(list(plan.groups), actor=actor)
    mapped = group_service.group_units()
    expansions = {name: ids for name, ids in mapped.items()}  # ids stand in for names: _write_rule takes both
    rules = {}
    for spec in rule_specs(plan, expansions):
        rules[spec["task"]] = _write_rule(spec, units, actor, counts)
    unit_ids = {name: unit.id for name, unit in units.items()}
    name = (plan_name or plan.title or "未命名方案")[:200]
    for index, task in enumerate(plan.tasks):
        lead_ids, assist_ids, named_groups = resolve(task.lead, task.assist, unit_ids, mapped)
        rule = rules.get(index)
        outcome = upsert_task(name, plan.title, task, short_text(task, 120), lead_ids, assist_ids, named_groups,
                              rule.id if rule else None, actor=actor)
        counts[f"tasks_{outcome}"] += 1
    db.session.commit()
    return counts
