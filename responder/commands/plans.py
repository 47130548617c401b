"""`responder plan import FILE [--dry-run] [--json]`: a 分工方案 into units, plan routing rules and the task ledger
(the work is in responder.plans.importer)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from responder.plans.importer import write_plan
from responder.routing.fengong import Plan, PlanError, parse_plan


def plan_payload(plan: Plan) -> dict:
    """The contract's `--json` shape: units (concrete names only) and tasks; groups stay in the tasks."""
    return {
        "units": list(plan.units),
        "tasks": [{"text": t.text, "lead": t.lead, "assist": t.assist, "number": t.number, "section": t.section,
                   "deadline": t.deadline, "flagged": t.flagged} for t in plan.tasks],
    }


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
    name = Path(file).name
    counts = None if dry_run else write_plan(plan, actor=f"cli:plan:{name}", plan_name=plan.title or name)
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
             f"未变 {counts['rules_unchanged']} 条；"
             f"任务台账：新建 {counts['tasks_created']} 项，更新 {counts['tasks_updated']} 项，"
             f"未变 {counts['tasks_unchanged']} 项")
