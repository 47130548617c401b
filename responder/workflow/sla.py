"""Time limits (办理时限): which policy applies to a message, and when its deadline falls.

Pure functions over policy rows and a WorkCalendar; the rows themselves (TimeLimitPolicy) are data
an admin edits, seeded from DEFAULT_POLICIES.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Protocol
from zoneinfo import ZoneInfo

from responder.workflow.calendar import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")
# A working-day limit runs to the end of its last day: anything done that day is on time.
END_OF_DAY = time(23, 59, 59)


@dataclass(frozen=True)
class Limit:
    """One resolved time limit: either working days on the calendar or calendar hours."""

    working_days: int | None = None
    hours: int | None = None

    def __post_init__(self):
        if (self.working_days is None) == (self.hours is None):
            raise ValueError("a Limit needs exactly one of working_days or hours")
        if (self.working_days or 0) < 0 or (self.hours or 0) < 0:
            raise ValueError("a Limit cannot be negative")


@dataclass(frozen=True)
class Deadline:
    """A due time, flagged provisional when it was counted through a year with no official schedule."""

    due_at: datetime
    provisional: bool


class PolicyLike(Protocol):
    """What resolve_limit reads from a policy row (TimeLimitPolicy or Policy)."""

    kind: str
    channel: str | None
    request_type: str | None
    urgency: str | None
    working_days: int | None
    hours: int | None
    active: bool


@dataclass(frozen=True)
class Policy:
    """An in-memory policy row, e.g. Policy(**row) for a row of DEFAULT_POLICIES."""

    kind: str
    channel: str | None = None
    request_type: str | None = None
    urgency: str | None = None
    working_days: int | None = None
    hours: int | None = None
    note: str = ""
    active: bool = True


def _row(kind, note, *, channel=None, request_type=None, urgency=None, working_days=None, hours=None):
    return {
        "kind": kind,
        "channel": channel,
        "request_type": request_type,
        "urgency": urgency,
        "working_days": working_days,
        "hours": hours,
        "note": note,
    }


DEFAULT_POLICIES: list[dict] = [
    # Handling (办理) by request type.
    _row("handle", "咨询类：2个工作日", request_type="consult", working_days=2),
    _row("handle", "求助类：10个工作日", request_type="help", working_days=10),
    _row("handle", "建议类：10个工作日", request_type="suggestion", working_days=10),
    _row("handle", "投诉类：15个工作日", request_type="complaint", working_days=15),
    _row("handle", "举报类：15个工作日", request_type="report", working_days=15),
    _row("handle", "表扬类：5个工作日", request_type="praise", working_days=5),
    _row("handle", "依申请公开：20个工作日", request_type="disclosure", working_days=20),
    # Urgent items run on the clock, whatever their type (urgency outranks type in scoring).
    _row("handle", "紧急件：24小时", urgency="urgent", hours=24),
    # Type not (yet) known: by channel. These lose to any type row, so they only apply without a type.
    _row("handle", "领导信箱（未分类）：15个工作日", channel="mailbox", working_days=15),
    _row("handle", "12345热线（未分类）：10个工作日", channel="hotline", working_days=10),
    _row("handle", "政务新媒体（未分类）：2个工作日", channel="newmedia", working_days=2),
    # Catch-all (score 0) for channels without a row above; every channel row outranks it.
    _row("handle", "其他（兜底）：15个工作日", working_days=15),
    # Signing for a dispatched item (签收), counted from dispatch.
    _row("sign", "紧急件签收：2小时", urgency="urgent", hours=2),
    _row("sign", "签收：派单后1个工作日", working_days=1),
    # Longest extension (延期) a supervisor may grant. Disclosure: at most 20 working days more
    # (政府信息公开条例 第三十三条).
    _row("extension_cap", "依申请公开延期：不超过20个工作日", request_type="disclosure", working_days=20),
    # The general cap is our own choice, not a statutory figure: one more full complaint period.
    _row("extension_cap", "一般延期：不超过15个工作日", working_days=15),
    # Assisting units' opinion to the lead (协办意见); capped at the lead's deadline by the workflow.
    _row("assist", "紧急件协办意见：12小时内", urgency="urgent", hours=12),
    _row("assist", "协办意见：派单后3个工作日内（不晚于主办时限）", working_days=3),
]


def _specificity(policy: PolicyLike) -> int:
    # Urgency is the strongest signal (an urgent complaint is urgent first), then type, then channel.
    urgency, request_type, channel = policy.urgency, policy.request_type, policy.channel
    return 4 * (urgency is not None) + 2 * (request_type is not None) + (channel is not None)


def _matches(policy: PolicyLike, kind: str, facts: dict[str, str | None]) -> bool:
    if not policy.active or policy.kind != kind:
        return False
    if policy.working_days is None and policy.hours is None:
        return False  # a row with no limit cannot produce a deadline; let a broader row apply
    return all(getattr(policy, name) in (None, value) for name, value in facts.items())


def resolve_limit(
    policies: Iterable[PolicyLike], *, kind: str, channel: str, request_type: str | None, urgency: str
) -> Limit | None:
    """The limit of the most specific active policy matching the message; None when none matches."""
    facts = {"channel": channel, "request_type": request_type, "urgency": urgency}
    best, best_score = None, -1
    for policy in policies:
        # A None in a policy matches anything; a None in the message matches only a None in the policy.
        if _matches(policy, kind, facts) and _specificity(policy) > best_score:
            best, best_score = policy, _specificity(policy)  # ties: the first row given wins
    if best is None:
        return None
    if best.hours is not None:  # a row with both set: the clock is the stricter, urgent reading
        return Limit(hours=best.hours)
    return Limit(working_days=best.working_days)


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def due_at(start: datetime, limit: Limit, calendar: WorkCalendar) -> Deadline:
    """When an item started at `start` is due under `limit`, in Asia/Shanghai time."""
    _require_aware(start, "start")
    if limit.hours is not None:
        # Add in UTC so the interval is exact elapsed time whatever zone `start` came in.
        due = (start.astimezone(timezone.utc) + timedelta(hours=limit.hours)).astimezone(TZ)
        return Deadline(due_at=due, provisional=False)
    # The local date decides: a message at 01:00 Beijing time is that day's, even if UTC says yesterday.
    day, provisional = calendar.add_working_days(start.astimezone(TZ).date(), limit.working_days)
    return Deadline(due_at=datetime.combine(day, END_OF_DAY, tzinfo=TZ), provisional=provisional)


def is_overdue(due: datetime, now: datetime) -> bool:
    """Whether `now` is past `due` (a deadline reached exactly is still on time)."""
    _require_aware(due, "due")
    _require_aware(now, "now")
    return now > due
