"""`responder plan import FILE [--dry-run] [--json]`: a 分工方案 into units and plan routing rules."""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from responder.routing.fengong import Plan, PlanError, Task, is_group, parse_plan

RULE_SOURCE = "plan"
RULE_PREFIX = "分工方案："
# Plan rules rest on a few words of a work item: below the demo's topic defaults (10), so they decide
# only when nothing more specific applies.
RULE_PRIORITY = 5
MAX_KEYWORDS = 5
GENERIC_WORDS = frozenset("""
公开 信息 工作 做好 加强 政务 政府 进一步 积极 及时 推进 落实 开展 相关 主动 持续 切实 不断 提高 提升 完善 建立 健全
要求 情况 有关 重点 重要 强化 注重 确保 实施 本镇 全镇 各类 方面 机制 制度 单位 部门 办公室 全面 深入 认真 规范 有效
严格 依法 社会 群众 公众 内容 方式 形式 平台 建设 工作人员 政务公开 信息公开 政府信息 年度 每年 一步 发布
各项 统一 更新 下达 使用 管理 发放 力度 水平 能力 作用 领域 事项 行政 相关信息 实际 根据 按照 围绕 注意
""".split())


def plan_payload(plan: Plan) -> dict:
    """The contract's `--json` shape: units (concrete names only) and tasks; groups stay in the tasks."""
    return {
        "units": list(plan.units),
        "tasks": [{"text": t.text, "lead": t.lead, "assist": t.assist, "number": t.number, "section": t.section,
                   "deadline": t.deadline, "flagged": t.flagged} for t in plan.tasks],
    }


def short_text(task: Task, limit: int = 40) -> str:
    """The task's first clause, for the rule name."""
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


def rule_specs(plan: Plan) -> list[dict]:
    """One rule per task whose leads name a concrete unit: name, keywords, lead, assists, note."""
    specs, names = [], set()
    exclude = set(plan.units) | set(plan.groups)
    for task in plan.tasks:
        leads = [u for u in task.lead if not is_group(u)]
        if not leads:
            continue
        name = RULE_PREFIX + short_text(task)
        if name in names and task.number:
            name = f"{name}（{task.number}）"
        names.add(name)
        assists = [u for u in leads[1:] + task.assist if not is_group(u) and u != leads[0]]
        note = "；".join(x for x in (plan.title, task.section, f"第{task.number}项" if task.number else None,
                                    f"时限：{task.deadline}" if task.deadline else None,
                                    f"责任单位：{task.responsibility}" if task.responsibility else None) if x)
        specs.append({"name": name[:200], "keywords": keywords_for(task, exclude), "lead": leads[0],
                      "assists": list(dict.fromkeys(assists)), "note": note})
    return specs


def write_plan(plan: Plan, *, actor: str) -> dict:
    """Create the plan's units and routing rules; idempotent (rules matched by name and source)."""
    from responder.audit import record
    from responder.directory import ensure_unit, find_unit
    from responder.errors import FieldError
    from responder.extensions import db
    from responder.models.policy import RoutingRule

    counts = {"units_created": 0, "units_existing": 0, "rules_created": 0, "rules_updated": 0,
              "rules_unchanged": 0}
    units = {}
    for name in plan.units:
        try:
            units[name] = find_unit(name)  # by name or alias
            counts["units_existing"] += 1
        except FieldError:
            units[name], created = ensure_unit(name, actor=actor)
            counts["units_created" if created else "units_existing"] += 1
    for spec in rule_specs(plan):
        lead = units[spec["lead"]]
        assists = [units[a] for a in spec["assists"]]
        rule = db.session.scalar(select(RoutingRule).where(RoutingRule.name == spec["name"],
                                                           RoutingRule.source == RULE_SOURCE))
        if rule is not None and (rule.lead_unit_id, sorted(u.id for u in rule.assist_units), rule.keywords,
                                 rule.note) == (lead.id, sorted(u.id for u in assists), spec["keywords"],
                                                spec["note"]):
            counts["rules_unchanged"] += 1
            continue
        action = "rule.update" if rule is not None else "rule.create"
        if rule is None:
            rule = RoutingRule(name=spec["name"], source=RULE_SOURCE, priority=RULE_PRIORITY, topic=None,
                               active=True, keywords=spec["keywords"], lead_unit_id=lead.id,
                               assist_units=assists, note=spec["note"])
            db.session.add(rule)
        else:
            rule.keywords, rule.lead_unit_id, rule.assist_units, rule.note = (spec["keywords"], lead.id,
                                                                             assists, spec["note"])
        db.session.flush()
        record(actor, action, subject_type="routing_rule", subject_id=rule.id,
               detail={"name": rule.name, "source": RULE_SOURCE, "keywords": spec["keywords"],
                       "lead": lead.name, "assists": [u.name for u in assists]})
        counts["rules_created" if action == "rule.create" else "rules_updated"] += 1
    db.session.commit()
    return counts


@click.group("plan", help="分工方案：导入责任单位与工作任务分工")
def plan_group():
    """`responder plan …`."""


@plan_group.command("import", help="读取分工方案（表格：TXT/XLSX/DOCX；或文字方案），建立责任单位和派单规则")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="只解析并显示结果，不写入数据库")
@click.option("--json", "as_json", is_flag=True, help='输出 {"units": [...], "tasks": [...]}（JSON）')
@with_appcontext
def plan_import_command(file, dry_run, as_json):
    try:
        plan = parse_plan(file)
    except PlanError as exc:
        click.echo(f"错误：无法读取分工方案 {file}：{exc}", err=True)
        sys.exit(2)
    counts = None if dry_run else write_plan(plan, actor=f"cli:plan:{Path(file).name}")
    if as_json:
        click.echo(json.dumps(plan_payload(plan), ensure_ascii=False))
    echo = (lambda text: click.echo(text, err=True)) if as_json else click.echo
    flagged = [t for t in plan.tasks if t.flagged]
    echo(f"方案：{plan.title or Path(file).name}（{'表格' if plan.form == 'table' else '文字'}）")
    echo(f"工作任务 {len(plan.tasks)} 项，责任单位 {len(plan.units)} 个"
         + (f"，集体表述 {len(plan.groups)} 个（{'、'.join(plan.groups)}）" if plan.groups else ""))
    if flagged:
        echo(f"未写明责任单位的任务 {len(flagged)} 项：" + "、".join(f"第{t.number}项" if t.number else t.text[:12]
                                                          for t in flagged))
    if counts is None:
        echo("试运行：未写入数据库")
    else:
        echo(f"单位：新建 {counts['units_created']} 个，已有 {counts['units_existing']} 个；"
             f"派单规则：新建 {counts['rules_created']} 条，更新 {counts['rules_updated']} 条，"
             f"未变 {counts['rules_unchanged']} 条")
