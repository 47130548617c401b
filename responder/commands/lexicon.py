"""`responder lexicon add|list|remove`: the admin's cue words from the shell (same use cases as the admin page)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from responder.cli import input_errors

CLI_ACTOR = "cli:admin"


@click.group("lexicon", help="研判词库：风险词、紧急词、诉求类型词、重点领域（管理员扩充，审计留痕）")
def lexicon_group():
    """Admin-extended lexicons."""


@lexicon_group.command("add", help="添加词：KIND:NAME 词…，如 risk:self_harm 轻生念头；untag:领域 停用一个重点领域")
@click.argument("target")
@click.argument("words", nargs=-1)
@click.option("--regex", is_flag=True, help="词是正则表达式")
@click.option("--weight", type=float, default=2.0, show_default=True, help="诉求类型词的权重")
@click.option("--urgent/--not-urgent", default=None, help="风险类别是否标记为紧急")
@with_appcontext
@input_errors
def lexicon_add(target, words, regex, weight, urgent):
    from responder.analysis import lexicon_store

    rows = lexicon_store.add(target, list(words), CLI_ACTOR, regex=regex, weight=weight, urgent=urgent)
    added = "、".join(r.word for r in rows if r.word)
    click.echo(f"已添加 {len(rows)} 条" + (f"：{added}" if added else "" if rows else "（均已存在）"))


@lexicon_group.command("list", help="列出管理员添加的词")
@with_appcontext
def lexicon_list():
    from responder.analysis import lexicon_store

    for entry in lexicon_store.entries():
        extras = [label for label, on in (("regex", entry.is_regex), ("urgent", entry.urgent)) if on]
        if entry.kind == "request":
            extras.append(f"weight={entry.weight:g}")
        click.echo(f"{entry.kind}:{entry.name}\t{entry.word}\t{' '.join(extras)}".rstrip())


@lexicon_group.command("remove", help="删除管理员添加的词：KIND:NAME [词…]（不写词则删除该类下全部）")
@click.argument("target")
@click.argument("words", nargs=-1)
@with_appcontext
@input_errors
def lexicon_remove(target, words):
    from responder.analysis import lexicon_store

    click.echo(f"已删除 {lexicon_store.remove(target, list(words), CLI_ACTOR)} 条")
