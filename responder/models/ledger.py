"""Commitments (承诺) made in replies, followed to fulfilment and disclosure (the ledger issue extends this)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from responder.extensions import db
from responder.models.base import TimestampMixin, UTCDateTime


class Commitment(TimestampMixin, db.Model):
    """One promise to the public: what, by when, whether it was kept, and where that was made public."""

    __tablename__ = "commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    content: Mapped[str] = mapped_column(Text)
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    # pending | fulfilled | published; "overdue" is pending with overdue_at set (see state)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    evidence: Mapped[str | None] = mapped_column(Text)
    fulfilled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disclosure_url: Mapped[str | None] = mapped_column(String(1000))
    disclosed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def state(self) -> str:
        """pending 待落实 / overdue 逾期未落实 (flagged by the sweep) / fulfilled 已落实 / published 已公开."""
        return "overdue" if self.status == "pending" and self.overdue_at is not None else self.status

    response: Mapped[Response] = relationship(back_populates="commitments")  # noqa: F821
