"""Statuses and the transition tables: (status, action) -> (new status, roles allowed).

Every status change in the code goes through workflow.service with one of these tables, so the
tables below are the whole life of a message and of each unit's assignment.
"""

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


class AssignmentStatus(StrEnum):
    DISPATCHED = "dispatched"        # 待签收
    ACCEPTED = "accepted"            # 办理中 (signed for)
    RETURNED = "returned"            # 已退单
    OPINION_GIVEN = "opinion_given"  # 已提交协办意见
    REPLIED = "replied"              # 已答复待审
    DONE = "done"                    # 已办结
    CANCELLED = "cancelled"          # 已撤销 (merged, invalid)


LABELS = {
    Status.RECEIVED: "已接收", Status.ANALYZED: "已研判", Status.DISPATCHED: "已派单",
    Status.IN_PROGRESS: "办理中", Status.REPLIED: "已答复", Status.PUBLISHED: "已办结",
    Status.CLOSED: "已归档", Status.MERGED: "重复件", Status.INVALID: "无效",
}
ASSIGNMENT_LABELS = {
    AssignmentStatus.DISPATCHED: "待签收", AssignmentStatus.ACCEPTED: "办理中", AssignmentStatus.RETURNED: "已退单",
    AssignmentStatus.OPINION_GIVEN: "已提交协办意见", AssignmentStatus.REPLIED: "已答复待审",
    AssignmentStatus.DONE: "已办结", AssignmentStatus.CANCELLED: "已撤销",
}
# Statuses whose clock no longer runs.
FINISHED = frozenset({Status.PUBLISHED, Status.CLOSED, Status.MERGED, Status.INVALID})
ASSIGNMENT_FINISHED = frozenset({AssignmentStatus.RETURNED, AssignmentStatus.DONE, AssignmentStatus.CANCELLED})

SYSTEM = "system"
OPERATOR, UNIT, SUPERVISOR, ADMIN = "operator", "unit", "supervisor", "admin"
S, M = Status, AssignmentStatus


def _rows(*rows):
    table = {}
    for sources, action, to, roles in rows:
        for source in sources:
            table[(source, action)] = (to, frozenset(roles))
    return table


MESSAGE_TRANSITIONS = _rows(
    ((S.RECEIVED,), "analyse", S.ANALYZED, {SYSTEM}),
    ((S.RECEIVED, S.ANALYZED), "dispatch", S.DISPATCHED, {SYSTEM, OPERATOR}),        # 派单 / 改派
    ((S.DISPATCHED,), "accept", S.IN_PROGRESS, {UNIT}),                                # 签收 (lead)
    ((S.DISPATCHED,), "return", S.ANALYZED, {UNIT}),                                   # 退单 (lead)
    ((S.ANALYZED,), "refuse_return", S.DISPATCHED, {OPERATOR}),                       # 退单不予认可
    ((S.IN_PROGRESS,), "reply", S.REPLIED, {UNIT}),                                    # 答复 (lead)
    ((S.REPLIED,), "approve_response", S.PUBLISHED, {SUPERVISOR}),                     # 先审后发
    ((S.REPLIED,), "reject_response", S.IN_PROGRESS, {SUPERVISOR}),
    ((S.RECEIVED, S.ANALYZED), "answer", S.PUBLISHED, {OPERATOR}),                     # 直接答复 (咨询)
    ((S.PUBLISHED,), "close", S.CLOSED, {OPERATOR}),                                   # 回访满意 → 归档
    ((S.PUBLISHED,), "reopen", S.IN_PROGRESS, {OPERATOR}),                             # 回访不满意 → 重办
    ((S.PUBLISHED,), "reopen_unassigned", S.ANALYZED, {OPERATOR}),                     # 直接答复被回访不满意 → 派单
    ((S.RECEIVED, S.ANALYZED, S.DISPATCHED, S.IN_PROGRESS), "merge", S.MERGED, {OPERATOR}),  # 并单
    ((S.RECEIVED, S.ANALYZED, S.DISPATCHED), "invalidate", S.INVALID, {OPERATOR}),    # 无效件
)

ASSIGNMENT_TRANSITIONS = _rows(
    ((M.DISPATCHED,), "accept", M.ACCEPTED, {UNIT}),
    ((M.DISPATCHED,), "return", M.RETURNED, {UNIT}),
    ((M.RETURNED,), "refuse_return", M.DISPATCHED, {OPERATOR}),
    ((M.ACCEPTED,), "reply", M.REPLIED, {UNIT}),                                      # lead
    ((M.ACCEPTED,), "opinion", M.OPINION_GIVEN, {UNIT}),                              # assist
    ((M.REPLIED,), "reject_response", M.ACCEPTED, {SUPERVISOR}),
    ((M.REPLIED, M.ACCEPTED, M.OPINION_GIVEN, M.DISPATCHED), "finish", M.DONE, {SUPERVISOR, OPERATOR}),
    ((M.DONE,), "reopen", M.ACCEPTED, {OPERATOR}),
    ((M.DISPATCHED, M.ACCEPTED, M.OPINION_GIVEN, M.REPLIED), "cancel", M.CANCELLED, {OPERATOR}),
)

