"""`responder unit|user|token create`: the directory from the shell."""

from __future__ import annotations

import secrets
import sys

import click
from flask.cli import with_appcontext

from responder import directory
from responder.cli import input_errors
from responder.models import ROLES, TOKEN_ROLES

CLI_ACTOR = "cli:admin"


@click.group("unit", help="责任单位目录")
def unit_group():
    """Units (责任单位)."""


@unit_group.command("create", help="新增责任单位（按名称幂等）")
@click.argument("name")
@click.option("--parent", help="上级单位名称")
@click.option("--alias", "aliases", multiple=True, help="别名，可多次指定")
@with_appcontext
@input_errors
def unit_create(name, parent, aliases):
    unit, created = directory.ensure_unit(name, parent=parent, aliases=list(aliases), actor=CLI_ACTOR)
    click.echo(f"{'已创建' if created else '已存在'}单位：{unit.name}（id {unit.id}）")


@click.group("user", help="用户")
def user_group():
    """Users who sign in."""


@user_group.command("create", help="新增用户；承办人须指定 --unit")
@click.option("--username", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--unit", "unit_name", help="所属单位（role=unit 时必填）")
@click.option("--display-name", default="", help="显示姓名")
@click.option("--password-stdin", is_flag=True, help="从标准输入第一行读取密码")
@with_appcontext
@input_errors
def user_create(username, role, unit_name, display_name, password_stdin):
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        generated = False
    else:
        password, generated = secrets.token_urlsafe(12), True
    user = directory.create_user(username, role, unit_name, password, display_name=display_name, actor=CLI_ACTOR)
    click.echo(f"已创建用户：{user.username}（{role}{'，' + unit_name if unit_name else ''}）")
    if generated:
        click.echo(f"初始密码（仅显示一次）：{password}")


@click.group("token", help="API 访问令牌")
def token_group():
    """API tokens."""


@token_group.command("create", help="生成 API 令牌，仅在最后一行显示一次")
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(TOKEN_ROLES))
@click.option("--unit", "unit_name", help="所属单位（role=unit 时必填）")
@with_appcontext
@input_errors
def token_create(name, role, unit_name):
    token, plain = directory.create_token(name, role, unit_name, actor=CLI_ACTOR)
    click.echo(f"已创建令牌：{token.name}（{role}），请妥善保存，之后无法再次查看：")
    click.echo(plain)
