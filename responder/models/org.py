"""The directory: units (责任单位, a tree), users and API tokens."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from responder.extensions import db
from responder.models.base import JSONDoc, TimestampMixin, UTCDateTime

ROLES = ("operator", "unit", "supervisor", "admin")  # 受理员, 承办人, 督办/审核, 管理员
TOKEN_ROLES = ROLES + ("integration",)  # 接口: may only ingest


class Unit(TimestampMixin, db.Model):
    """A responsible unit (责任单位); units form a tree (镇政府 → 办公室, 村委会 …)."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    aliases: Mapped[list] = mapped_column(JSONDoc, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    webhook_url: Mapped[str | None] = mapped_column(String(1000))
    webhook_secret: Mapped[str | None] = mapped_column(String(128))  # HMAC key shared with the unit's system

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")


class User(UserMixin, TimestampMixin, db.Model):
    """A person who signs in: operator, unit handler (of one unit), supervisor or admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(80), default="")
    password_hash: Mapped[str | None] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)  # consecutive failures; reset on success
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit: Mapped[Unit | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login: a deactivated user cannot sign in
        return self.active


class ApiToken(TimestampMixin, db.Model):
    """A bearer token; only its SHA-256 digest is stored, the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit: Mapped[Unit | None] = relationship()
