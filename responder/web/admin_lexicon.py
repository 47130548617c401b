"""Admin page 研判词库: cue words for risk, urgency, request type and the watch-list areas (over the shipped ones)."""

from __future__ import annotations

from flask import render_template, url_for

from responder.admin_service import split_words
from responder.analysis import lexicon, lexicon_store
from responder.errors import FieldError
from responder.web.actions import form_body, perform
from responder.web.admin import _actor, bp
from responder.web.filters import REQUEST_TYPE_LABELS

URGENT_CHOICES = {"": None, "urgent": True, "not_urgent": False}


@bp.get("/lexicon")
def lexicon_page():
    """The admin's entries, the watch-list areas in force and the retired ones, and the form to add words."""
    lexicon_store.refresh()
    entries = lexicon_store.entries()
    retired = [e.name for e in entries if e.kind == "untag"]
    return render_template(
        "admin/lexicon.html", entries=[e for e in entries if e.kind != "untag"], retired=retired,
        areas=list(lexicon.WATCH_TAGS), kinds=lexicon_store.KIND_LABELS,
        names={"request": [(t, REQUEST_TYPE_LABELS.get(t, t)) for t in lexicon.REQUEST_TYPES],
               "risk": [(f, lexicon.RISK_LABELS.get(f, f)) for f in lexicon.RISK_CUES],
               "tag": [(a, a) for a in lexicon.WATCH_TAGS]},
        urgent_flags=sorted(lexicon.URGENT_FLAGS), risk_labels=lexicon.RISK_LABELS)


@bp.post("/lexicon")
def lexicon_add():
    form = form_body()

    def add():
        if form.get("urgent", "") not in URGENT_CHOICES:
            raise FieldError("urgent", "应为 紧急 / 不紧急 / 不变")
        try:
            weight = float(form.get("weight") or 2.0)
        except ValueError:
            raise FieldError("weight", "应为数字") from None
        return lexicon_store.add(f"{form.get('kind', '')}:{form.get('name', '')}", split_words(form.get("words")),
                                 _actor(), regex=form.get("regex") == "1", weight=weight,
                                 urgent=URGENT_CHOICES[form.get("urgent", "")])

    return perform(add, "词库已更新，各进程将在一分钟内生效", url_for("admin.lexicon_page"))


@bp.post("/lexicon/remove")
def lexicon_remove():
    form = form_body()
    words = [form["word"]] if form.get("word") else []
    return perform(lambda: lexicon_store.remove(f"{form.get('kind', '')}:{form.get('name', '')}", words, _actor()),
                   "已从词库删除", url_for("admin.lexicon_page"))
