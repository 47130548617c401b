"""Statuses and the transition table: (status, action) -> (new status, roles allowed)."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    RECEIVED = "received"        # 已接收
    ANALYZED = "analyzed"        # 已研判 (waiting for dispatch)
    DISPATCHED = "dispatched"    # 已派单
    IN_PROGRESS = "in_progress"  # 办理中
    REPLIED = "replied"          # 已答复 (awaiting review)
    PUBLISHED = "published"      # 已办结
    CLOSED = "closed"            # 已归档
    MERGED = "merged"            # 重复件
    INVALID = "invalid"          # 无效


LABELS = {
    Status.RECEIVED: "已接收", Status.ANALYZED: "已研判", Status.DISPATCHED: "已派单",
    Status.IN_PROGRESS: "办理中", Status.REPLIED: "已答复", Status.PUBLISHED: "已办结",
    Status.CLOSED: "已归档", Status.MERGED: "重复件", Status.INVALID: "无效",
}
# Statuses whose clock no longer runs.
FINISHED = frozenset({Status.PUBLISHED, Status.CLOSED, Status.MERGED, Status.INVALID})

SYSTEM = "system"
OPERATOR, UNIT, SUPERVISOR, ADMIN = "operator", "unit", "supervisor", "admin"

# The handling-cycle issue extends this table; every status change in the code goes through it.
TRANSITIONS: dict[tuple[Status, str], tuple[Status, frozenset[str]]] = {
    (Status.RECEIVED, "analyse"): (Status.ANALYZED, frozenset({SYSTEM})),
    (Status.ANALYZED, "dispatch"): (Status.DISPATCHED, frozenset({SYSTEM, OPERATOR})),
    (Status.RECEIVED, "invalidate"): (Status.INVALID, frozenset({OPERATOR})),
    (Status.ANALYZED, "invalidate"): (Status.INVALID, frozenset({OPERATOR})),
}


def target(status: str, action: str) -> tuple[Status, frozenset[str]] | None:
    """The transition for `action` from `status`, or None when the table has none."""
    return TRANSITIONS.get((Status(status), action))
