"""`responder import FILE --channel C`: CSV / XLSX / JSONL with a progress bar and a per-row report."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from tqdm import tqdm

from responder.intake import files
from responder.intake.importer import import_rows
from responder.models import CHANNELS


@click.command("import", help="从 CSV（UTF-8/GBK 自动识别）、XLSX 或 JSONL 文件批量导入诉求")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--channel", type=click.Choice(CHANNELS), help="渠道；文件中没有 channel 列时必填")
@click.option("--chunk", default=500, show_default=True, type=click.IntRange(1, 5000), help="每个事务的行数")
@with_appcontext
def import_command(file, channel, chunk):
    try:
        files.detect_format(file)
        total = files.count_rows(file)
        ignored = files.unknown_headers(file)
        rows = files.read_rows(file)
        with tqdm(total=total, unit="行", file=sys.stderr, desc="导入", mininterval=0.5) as bar:
            report = import_rows(rows, channel=channel, actor=f"cli:import:{file}", chunk=chunk,
                                 progress=bar.update)
    except files.UnusableFile as exc:
        click.echo(f"错误：无法读取文件 {file}：{exc}", err=True)
        sys.exit(2)
    if ignored:
        click.echo("提示：以下列未识别，已忽略：" + "、".join(ignored), err=True)
    click.echo(f"接收 {report.accepted} 条，重复 {report.duplicates} 条，拒绝 {len(report.rejected)} 条")
    for number, reason in report.rejected:
        click.echo("  " + (reason if reason.startswith(f"第{number}行") else f"第 {number} 行：{reason}"))
    sys.exit(1 if report.rejected else 0)
