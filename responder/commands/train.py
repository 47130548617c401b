"""`responder train topics FILE [--feedback] [--out DIR] [--folds K]`: retrain the topic model from own records."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from responder.cli import InputError


@click.group("train", help="用本单位的历史数据重新训练研判模型")
def train_group():
    """Retraining."""


@train_group.command("topics", help="从带标签的 CSV/XLSX（title?、body/content、label 列）重新训练主题分类模型")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--feedback", is_flag=True, help="加入受理员的研判纠正（analysis.correct 事件）作为训练数据")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="模型写入的目录（默认 instance/models）")
@click.option("--folds", type=int, default=5, show_default=True, help="交叉验证折数")
@with_appcontext
def train_topics_command(file, feedback, out_dir, folds):
    """Cross-validate, print accuracy and macro-F1 per class, write a versioned model the app then serves."""
    from responder.analysis import retrain
    from responder.analysis.setup import INSTANCE_MODEL

    try:
        rows = retrain.read_labelled(file)
        extra = retrain.feedback_rows() if feedback else []
        out = Path(out_dir) if out_dir else Path(current_app.instance_path) / INSTANCE_MODEL.parent
        report = retrain.train(rows, extra, folds=folds, out_dir=out)
    except retrain.TrainingInputError as exc:
        raise InputError(str(exc)) from None
    click.echo(f"训练样本 {report.rows} 条（其中受理员纠正 {report.feedback_rows} 条），跳过 {report.skipped} 条")
    click.echo(f"{report.folds} 折交叉验证：accuracy {report.accuracy:.4f}  macro-F1 {report.macro_f1:.4f}")
    click.echo("类别\t样本数\taccuracy\tF1")
    for name, figures in report.per_label.items():
        click.echo(f"{name}\t{figures['n']}\t{figures['accuracy']:.4f}\t{figures['f1']:.4f}")
    click.echo(f"模型版本 {report.version} → {report.path}")
    if feedback and not report.feedback_rows:
        click.echo("（没有可用的研判纠正：无纠正记录，或纠正的主题不在文件的类别中）", err=True)
