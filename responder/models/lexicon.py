"""Cue words an admin adds to the shipped lexicons (风险词、紧急词、诉求类型词、重点领域词)."""

from __future__ import annotations

from sqlalchemy import Float, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from responder.extensions import db
from responder.models.base import TimestampMixin

#: Which lexicon an entry extends (see analysis.lexicon.extend): request type cues, risk cues, look-alikes
#: that cancel a risk cue, watch-list area words, or an area retired from the watch list.
LEXICON_KINDS = ("request", "risk", "exclude", "tag", "untag")


class LexiconEntry(TimestampMixin, db.Model):
    """One admin-added cue word (or retired watch-list area) layered over the shipped lexicons."""

    __tablename__ = "lexicon_entries"
    __table_args__ = (UniqueConstraint("kind", "name", "word"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(60))  # request type, risk flag, "*" or watch-list area
    word: Mapped[str] = mapped_column(String(200), default="")  # "" for an untag entry
    is_regex: Mapped[bool] = mapped_column(default=False)
    weight: Mapped[float] = mapped_column(Float, default=2.0)  # request cues only
    urgent: Mapped[bool | None] = mapped_column()  # risk flags only: makes the flag urgent (or not)
    created_by: Mapped[str] = mapped_column(String(160), default="")
