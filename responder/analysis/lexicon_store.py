"""Admin-extended lexicons kept in the database (词库维护), layered over the shipped cue words.

Every change is a LexiconEntry row plus an audit event ("lexicon.add" / "lexicon.remove") in one
transaction. A process applies the rows to `analysis.lexicon` and then looks at most every
LEXICON_REFRESH_SECONDS whether a newer lexicon event exists (the id of the latest one is the
version counter: events are append-only), so workers pick changes up without a restart.
"""

from __future__ import annotations

import re
import threading
import time

from flask import current_app, has_app_context
from sqlalchemy import delete, func, select

from responder.analysis import lexicon
from responder.audit import record
from responder.errors import FieldError
from responder.extensions import db
from responder.models import LEXICON_KINDS, Event, LexiconEntry

ACTIONS = ("lexicon.add", "lexicon.remove")
REFRESH_SECONDS = 30.0
MAX_WORD = 200
KIND_LABELS = {"request": "诉求类型词", "risk": "风险词", "exclude": "风险排除词", "tag": "重点领域词",
               "untag": "停用的重点领域"}

_lock = threading.Lock()
_state: dict = {"source": None, "seen": None, "checked": 0.0}


def _latest_change() -> int | None:
    return db.session.scalar(select(func.max(Event.id)).where(Event.action.in_(ACTIONS)))


def refresh(force: bool = False) -> bool:
    """Apply the database entries if they changed since this process last looked; True if applied."""
    source = str(db.engine.url)
    every = float(current_app.config.get("LEXICON_REFRESH_SECONDS", REFRESH_SECONDS)) if has_app_context() \
        else REFRESH_SECONDS
    now = time.monotonic()
    same_db = _state["source"] == source
    if not force and same_db and now - _state["checked"] < every:
        return False
    latest = _latest_change()
    _state["checked"] = now
    if not force and same_db and latest == _state["seen"]:
        return False
    rows = db.session.scalars(select(LexiconEntry).order_by(LexiconEntry.id))
    with _lock:
        lexicon.apply([(f"{e.kind}:{e.name}", e.word, e.weight, e.is_regex, e.urgent) for e in rows])
        _state.update(source=source, seen=latest)
    return True


def entries() -> list[LexiconEntry]:
    """Every admin entry, by lexicon and name."""
    return list(db.session.scalars(select(LexiconEntry).order_by(LexiconEntry.kind, LexiconEntry.name,
                                                                 LexiconEntry.id)))


def parse_target(target: str) -> tuple[str, str]:
    """'risk:self_harm' → ('risk', 'self_harm'), checked; raises FieldError("kind") naming what is wrong."""
    kind, _, name = (target or "").strip().partition(":")
    kind, name = kind.strip(), name.strip()
    if kind not in LEXICON_KINDS:
        raise FieldError("kind", f"词库类别应为 {', '.join(LEXICON_KINDS)} 之一，形如 risk:self_harm")
    if not name or len(name) > 60:
        raise FieldError("kind", "请写明名称（1–60 字），形如 risk:self_harm、tag:小区物业管理")
    if kind == "request" and name not in lexicon.REQUEST_TYPES:
        raise FieldError("kind", f"诉求类型应为 {', '.join(lexicon.REQUEST_TYPES)} 之一")
    if kind == "exclude" and name != "*" and name not in lexicon.RISK_CUES:
        raise FieldError("kind", f"没有名为 {name} 的风险类别")
    return kind, name


def add(target: str, words: list[str], actor: str, *, regex: bool = False, weight: float = 2.0,
        urgent: bool | None = None) -> list[LexiconEntry]:
    """Add cue words (or, for untag:AREA, retire a watch-list area); returns the new rows (existing ones skipped)."""
    kind, name = parse_target(target)
    words = [""] if kind == "untag" else [w.strip() for w in words if w and w.strip()]
    if not words:
        raise FieldError("words", "请至少填写一个词")
    for word in words:
        if len(word) > MAX_WORD:
            raise FieldError("words", f"每个词不超过 {MAX_WORD} 字")
        if regex:
            try:
                re.compile(word)
            except re.error as exc:
                raise FieldError("words", f"正则表达式「{word}」有误：{exc}") from None
    if not 0 < weight <= 10:
        raise FieldError("weight", "权重应在 0 到 10 之间")
    if kind == "untag" and name not in lexicon.WATCH_TAGS:
        raise FieldError("kind", f"没有名为 {name} 的重点领域")
    existing = set(db.session.scalars(select(LexiconEntry.word).where(LexiconEntry.kind == kind,
                                                                      LexiconEntry.name == name)))
    rows = [LexiconEntry(kind=kind, name=name, word=w, is_regex=regex, weight=weight,
                         urgent=urgent if kind == "risk" else None, created_by=actor)
            for w in dict.fromkeys(words) if w not in existing]
    if rows:
        db.session.add_all(rows)
        record(actor, "lexicon.add", subject_type="lexicon", detail={
            "kind": kind, "name": name, "words": [r.word for r in rows], "regex": regex,
            "weight": weight if kind == "request" else None, "urgent": urgent if kind == "risk" else None})
        db.session.commit()
        refresh(force=True)
    return rows


def remove(target: str, words: list[str], actor: str) -> int:
    """Remove admin-added words (all of KIND:NAME when no word is given); a retired area comes back."""
    kind, name = parse_target(target)
    query = delete(LexiconEntry).where(LexiconEntry.kind == kind, LexiconEntry.name == name)
    words = [w.strip() for w in words if w and w.strip()]
    if words:
        query = query.where(LexiconEntry.word.in_(words))
    removed = db.session.execute(query.execution_options(synchronize_session=False)).rowcount
    if not removed:
        raise FieldError("words", f"词库 {kind}:{name} 中没有管理员添加的这些词（内置词不能删除）")
    record(actor, "lexicon.remove", subject_type="lexicon",
           detail={"kind": kind, "name": name, "words": words or "*", "removed": removed})
    db.session.commit()
    refresh(force=True)
    return removed
