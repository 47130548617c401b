"""Deadlines for stored items: the admin's policy rows and calendar days applied through sla.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from responder.extensions import db
from responder.models import CalendarDay, TimeLimitPolicy
from responder.workflow import sla
from responder.workflow.calendar import WorkCalendar


@dataclass
class Clock:
    """Policies and calendar loaded once per use case (a request, a task, a sweep)."""

    policies: list
    calendar: WorkCalendar

    @classmethod
    def load(cls) -> Clock:
        """Read the active policy rows and the admin's calendar days."""
        policies = list(db.session.scalars(
            select(TimeLimitPolicy).where(TimeLimitPolicy.active.is_(True)).order_by(TimeLimitPolicy.id)
        ))
        if not policies:  # an unseeded database still gets the documented defaults, never no deadline
            policies = [sla.Policy(**row) for row in sla.DEFAULT_POLICIES]
        overrides = {row.day: row.is_workday for row in db.session.scalars(select(CalendarDay))}
        return cls(policies, WorkCalendar(overrides))

    def _deadline(self, kind, channel, request_type, urgency, start: datetime) -> sla.Deadline | None:
        limit = sla.resolve_limit(self.policies, kind=kind, channel=channel,
                                  request_type=request_type, urgency=urgency)
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
