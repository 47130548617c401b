"""`responder rule list|add`, `responder unit alias|group`: routing knowledge from the shell (audited)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from responder import admin_service, directory
from responder.cli import input_errors
from responder.commands.directory import CLI_ACTOR, unit_group
from responder.extensions import db
from responder.models import RoutingRule
from responder.plans import groups


@click.group("rule", help="派单规则")
def rule_group():
    """Routing rules."""


@rule_group.command("list", help="列出派单规则（优先级从高到低）")
@click.option("--source", type=click.Choice(["admin", "demo", "plan"]), help="只看某一来源")
@with_appcontext
def rule_list(source):
    query = select(RoutingRule).options(selectinload(RoutingRule.lead_unit), selectinload(RoutingRule.assist_units))
    if source:
        query = query.where(RoutingRule.source == source)
    for rule in db.session.scalars(query.order_by(RoutingRule.priority.desc(), RoutingRule.id)):
        assists = "、".join(u.name for u in rule.assist_units)
        click.echo("\t".join([str(rule.id), str(rule.priority), rule.source, "" if rule.active else "停用",
                              rule.name, rule.topic or "", "、".join(rule.keywords or []),
                              rule.lead_unit.name + (f"（协办：{assists}）" if assists else "")]))


@rule_group.command("add", help="新增派单规则：关键词和/或主题 → 主办单位（及协办单位）")
@click.option("--name", required=True)
@click.option("--lead", required=True, help="主办单位名称或别名")
@click.option("--keyword", "keywords", multiple=True, help="关键词，可多次指定")
@click.option("--topic", help="主题（如 城乡建设）")
@click.option("--assist", "assists", multiple=True, help="协办单位，可多次指定")
@click.option("--priority", default=50, show_default=True, type=int)
@click.option("--note", default="")
@with_appcontext
@input_errors
def rule_add(name, lead, keywords, topic, assists, priority, note):
    rule = admin_service.save_rule(None, {"name": name, "priority": priority, "topic": topic,
                                          "keywords": "，".join(keywords), "lead": lead,
                                          "assists": "，".join(assists), "note": note}, actor=CLI_ACTOR)
    click.echo(f"已创建规则：{rule.name}（id {rule.id}，优先级 {rule.priority}）")


@unit_group.command("alias", help="为单位添加别名（如 局办公室 → 办公室）")
@click.argument("name")
@click.argument("aliases", nargs=-1, required=True)
@with_appcontext
@input_errors
def unit_alias(name, aliases):
    unit = directory.find_unit(name, "name")
    unit, _ = directory.ensure_unit(unit.name, aliases=list(aliases), actor=CLI_ACTOR)
    click.echo(f"{unit.name} 的别名：{'、'.join(unit.aliases or [])}")


@unit_group.command("group", help="把集体表述（各科室、相关各部门……）映射到单位")
@click.argument("group")
@click.option("--unit", "units", multiple=True, required=True, help="单位名称，可多次指定")
@with_appcontext
@input_errors
def unit_group_map(group, units):
    mapped = groups.map_group(group, list(units), actor=CLI_ACTOR)
    click.echo(f"{mapped.name} → {'、'.join(units)}")
