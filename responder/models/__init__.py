"""All models, re-exported so Alembic autogenerate and services import one place."""

from responder.models.assignment import ASSIGNMENT_ROLES, Assignment
from responder.models.audit import AppendOnlyViolation, Event
from responder.models.base import utcnow
from responder.models.kpi import KpiDaily, KpiDay, KpiHours, KpiRollupState
from responder.models.ledger import Commitment
from responder.models.lexicon import LEXICON_KINDS, LexiconEntry
from responder.models.message import CHANNELS, REQUEST_TYPES, URGENCIES, AnalysisResult, Message
from responder.models.notify import Notification, WebhookDelivery
from responder.models.opinion import (
    Hotspot,
    HotspotKey,
    OpinionDeadline,
    OpinionEvent,
    OpinionEventMessage,
    OpinionResponse,
    opinion_event_units,
)
from responder.models.org import ROLES, TOKEN_ROLES, ApiToken, Unit, User
from responder.models.plan import TASK_STATUS_LABELS, TASK_STATUSES, PlanTask, UnitGroup
from responder.models.policy import CalendarDay, RoutingRule, TimeLimitPolicy, routing_rule_assists
from responder.models.workflow import Callback, ExtensionRequest, Opinion, Pause, Response, ReturnRequest

__all__ = [
    "LEXICON_KINDS", "LexiconEntry",
    "ASSIGNMENT_ROLES", "CHANNELS", "REQUEST_TYPES", "ROLES", "TOKEN_ROLES", "URGENCIES",
    "AnalysisResult", "ApiToken", "AppendOnlyViolation", "Assignment", "CalendarDay", "Callback", "Commitment",
    "Event", "ExtensionRequest", "Message", "Notification", "Opinion", "Pause", "Response", "ReturnRequest",
    "RoutingRule", "TimeLimitPolicy", "Unit", "User", "WebhookDelivery", "routing_rule_assists", "utcnow",
    "PlanTask", "TASK_STATUSES", "TASK_STATUS_LABELS", "UnitGroup",
    "Hotspot", "HotspotKey", "OpinionDeadline", "OpinionEvent", "OpinionEventMessage", "OpinionResponse",
    "opinion_event_units",
    "KpiDaily", "KpiDay", "KpiHours", "KpiRollupState",
]
