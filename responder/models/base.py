"""Shared column types and mixins for all models."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, DateTime, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

# JSON documents: JSONB where PostgreSQL offers it, plain JSON text on SQLite.
JSONDoc = JSON().with_variant(JSONB(), "postgresql")


LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def local_iso(value: datetime | None) -> str | None:
    """An instant in Beijing time with its offset, as the people reading it expect."""
    return value.astimezone(LOCAL_TZ).isoformat() if value else None


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (evaluated per row, never once at import)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Store instants as UTC and always hand back aware datetimes, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
