"""`responder train topics`: retrain the topic classifier from a deployment's own labelled records.

Reads a CSV/XLSX with a body/content column, a label column and optionally a title column (the same
readers as `responder import`), optionally adds operators' corrections (the "analysis.correct" audit
events with their messages' text), cross-validates, fits on everything and writes a versioned model
that the app then serves (see `analysis.setup`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from responder.analysis import topics
from responder.analysis import train_topics as trainer
from responder.intake import files
from responder.intake.columns import cell_text

METHOD = "nbsvm+chars+taxonomy+title+unlabelled+offsets"  # the shipped model's method (MODEL_CARD.md)
COLUMNS = {
    "title": ("title", "标题", "主题", "留言主题", "留言标题"),
    "content": ("body", "content", "text", "内容", "正文", "留言详情", "留言内容", "诉求内容", "来信内容"),
    "label": ("label", "topic", "标签", "类别", "分类", "一级标签", "一级分类", "主题分类"),
}
HEADER_SEARCH_ROWS = 5


class TrainingInputError(ValueError):
    """The file or its columns cannot be used (the CLI exits 2); names the column."""


@dataclass
class Report:
    """What retraining measured and wrote."""

    version: str
    rows: int
    feedback_rows: int
    skipped: int
    folds: int
    accuracy: float
    macro_f1: float
    per_label: dict[str, dict] = field(default_factory=dict)
    path: Path | None = None


def read_labelled(path) -> list[tuple[str | None, str | None, str | None]]:
    """(title, content, label) per data row of a CSV/XLSX; raises TrainingInputError for a missing column."""
    try:
        records = files.table_records(path)
        where, seen = None, 0
        for _, cells in records:  # the header: the first row naming a content or label column (title rows skipped)
            if isinstance(cells, Exception) or not any(cell_text(c) for c in cells):
                continue
            names = [(cell_text(c) or "").lower() for c in cells]
            found = {key: next((i for i, n in enumerate(names) if n in aliases), None)
                     for key, aliases in COLUMNS.items()}
            seen += 1
            if found["content"] is not None or found["label"] is not None or seen == HEADER_SEARCH_ROWS:
                where = found
                break
        if where is None:
            raise TrainingInputError("文件中没有表头行（没有任何数据）")
        for key in ("content", "label"):
            if where[key] is None:
                raise TrainingInputError(f"缺少 {key} 列（可用列名：{'、'.join(COLUMNS[key])}）")

        def cell(cells, key):
            index = where[key]
            return cell_text(cells[index]) if index is not None and index < len(cells) else None

        return [(cell(c, "title"), cell(c, "content"), cell(c, "label"))
                for _, c in records if not isinstance(c, Exception)]
    except files.UnusableFile as exc:
        raise TrainingInputError(str(exc)) from None


def feedback_rows() -> list[tuple[str | None, str, str]]:
    """(title, content, corrected topic) for every message an operator corrected (the latest correction wins)."""
    from sqlalchemy import select

    from responder.extensions import db
    from responder.models import Event, Message

    latest: dict[int, tuple] = {}
    query = (select(Event.message_id, Event.detail, Message.title, Message.content)
             .join(Message, Message.id == Event.message_id)
             .where(Event.action == "analysis.correct").order_by(Event.id))
    for message_id, detail, title, content in db.session.execute(query):
        topic = ((detail or {}).get("to") or {}).get("topic")
        if topic:
            latest[message_id] = (title, content, topic)
    return list(latest.values())


def version_for(rows: list[tuple]) -> str:
    """topic-custom-YYYYMMDD-<hash of the training rows>: a new version whenever the data differs."""
    digest = hashlib.sha256(repr(sorted(rows, key=repr)).encode("utf-8")).hexdigest()[:8]
    return f"topic-custom-{dt.date.today():%Y%m%d}-{digest}"


def train(rows: list[tuple], extra: list[tuple] | None = None, folds: int = trainer.FOLDS,
          out_dir: Path | None = None) -> Report:
    """Cross-validate, fit on all rows (plus `extra` feedback rows) and write the model into out_dir."""
    if folds < 2:
        raise TrainingInputError("--folds 至少为 2")
    corpus = trainer.make_corpus(rows)
    labels = corpus.label_names
    extra = [r for r in (extra or []) if r[2] in labels]  # a feedback label the file lacks cannot be learnt here
    if extra:
        corpus = trainer.make_corpus(rows + extra, labels)
    _check(corpus, folds)
    corpus.taxonomy = shipped_taxonomy()
    # A deployment's file comes without unlabelled messages: "+unlabelled" then fits on the labelled ones alone.
    method = METHOD if corpus.taxonomy else METHOD.replace("+taxonomy", "")
    result = trainer.cross_validate(corpus, method, folds=folds)
    temperature = trainer.fit_temperature(result["oof_scores"], corpus.labels)
    vectorizer, coef, intercept = trainer.fit(corpus.tokens, corpus.labels, corpus.groups, method, corpus.texts,
                                              corpus.taxonomy, corpus.titles)
    version = version_for(rows + extra)
    predicted = result["oof_scores"].argmax(axis=1)
    per_label = {
        name: {"n": int(np.sum(corpus.labels == i)), "f1": result["per_label_f1"][name],
               "accuracy": round(float(np.mean(predicted[corpus.labels == i] == i)), 4)}
        for i, name in enumerate(labels)
    }
    meta = {"version": version, "method": method, "rows": len(corpus.labels), "feedback_rows": len(extra),
            "folds": folds, "accuracy": result["accuracy"], "macro_f1": result["macro_f1"], "per_label": per_label,
            "trained": dt.date.today().isoformat()}
    document = trainer.export(vectorizer, coef, intercept, temperature, meta, labels=labels, version=version)
    report = Report(version, len(corpus.labels), len(extra), corpus.skipped, folds, result["accuracy"],
                    result["macro_f1"], per_label)
    if out_dir is not None:
        out_dir = Path(out_dir)
        versioned = out_dir / f"{version}.json.gz"
        trainer.write_document(document, versioned)
        shutil.copyfile(versioned, out_dir / "topic_model.json.gz")  # the one the app serves
        report.path = versioned
    return report


def shipped_taxonomy() -> tuple | None:
    """The official taxonomy's terms as the shipped model carries them (features whatever the labels are)."""
    shipped = topics.shipped_model()
    return (shipped.taxonomy_labels, shipped.taxonomy) if shipped.taxonomy else None


def _check(corpus: trainer.Corpus, folds: int) -> None:
    if len(corpus.label_names) < 2:
        raise TrainingInputError("label 列至少要有两个不同的类别")
    counts = {name: int(np.sum(corpus.labels == i)) for i, name in enumerate(corpus.label_names)}
    small = [f"{name}（{n} 条）" for name, n in counts.items() if n < folds]
    if small:
        raise TrainingInputError(f"label 列中这些类别少于 {folds} 条，无法 {folds} 折交叉验证："
                                 f"{'、'.join(small)}；请补充数据或减小 --folds")
