"""Deadlines for stored items: the admin's policy rows and calendar days applied through sla.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from responder.caching import ReadCache
from responder.extensions import db
from responder.models import CalendarDay, TimeLimitPolicy
from responder.workflow import sla
from responder.workflow.calendar import WorkCalendar


@dataclass
class Clock:
    """Policies and calendar as plain values: a snapshot safe to share between requests and threads."""

    policies: list
    calendar: WorkCalendar
    # Which limit applies depends only on these four facts: bulk intake asks the same few questions.
    _limits: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls) -> Clock:
        """The active policies and the admin's calendar days, cached per process (see caching.py)."""
        cache = current_app.extensions.get("clock_cache")
        if cache is None:
            ttl = current_app.config.get("READ_CACHE_SECONDS", 10)
            cache = current_app.extensions.setdefault("clock_cache", ReadCache((TimeLimitPolicy, CalendarDay), ttl))
        return cache.get("clock", cls.read)

    @classmethod
    def read(cls) -> Clock:
        """Read the active policy rows and the admin's calendar days from the database."""
        policies = [sla.Policy(kind=p.kind, channel=p.channel, request_type=p.request_type, urgency=p.urgency,
                               working_days=p.working_days, hours=p.hours, note=p.note, active=p.active)
                    for p in db.session.scalars(select(TimeLimitPolicy).where(TimeLimitPolicy.active.is_(True))
                                                .order_by(TimeLimitPolicy.id))]
        if not policies:  # an unseeded database still gets the documented defaults, never no deadline
            policies = [sla.Policy(**row) for row in sla.DEFAULT_POLICIES]
        overrides = {row.day: row.is_workday for row in db.session.scalars(select(CalendarDay))}
        return cls(policies, WorkCalendar(overrides))

    def _deadline(self, kind, channel, request_type, urgency, start: datetime) -> sla.Deadline | None:
        key = (kind, channel, request_type, urgency)
        if key not in self._limits:
            self._limits[key] = sla.resolve_limit(self.policies, kind=kind, channel=channel,
                                                  request_type=request_type, urgency=urgency)
        limit = self._limits[key]
        return sla.due_at(start, limit, self.calendar) if limit else None

    def handling_deadline(self, channel, request_type, urgency, start: datetime) -> sla.Deadline | None:
        """When the message must be handled (办结时限), counted from `start`."""
        return self._deadline("handle", channel, request_type, urgency, start)

    def sign_deadline(self, channel, request_type, urgency, start: datetime) -> sla.Deadline | None:
        """When a dispatched assignment must be signed for (签收时限)."""
        return self._deadline("sign", channel, request_type, urgency, start)

    def assist_deadline(self, channel, request_type, urgency, start: datetime) -> sla.Deadline | None:
        """When an assisting unit's opinion (协办意见) is due."""
        return self._deadline("assist", channel, request_type, urgency, start)
