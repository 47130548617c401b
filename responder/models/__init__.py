"""All models, re-exported so Alembic autogenerate and services import one place."""

from responder.models.assignment import ASSIGNMENT_ROLES, Assignment
from responder.models.audit import AppendOnlyViolation, Event
from responder.models.base import utcnow
from responder.models.ledger import Commitment
from responder.models.lexicon import LEXICON_KINDS, LexiconEntry
from responder.models.message import CHANNELS, REQUEST_TYPES, URGENCIES, AnalysisResult, Message
from responder.models.notify import Notification, WebhookDelivery
from responder.models.org import ROLES, TOKEN_ROLES, ApiToken, Unit, User
from responder.models.policy import CalendarDay, RoutingRule, TimeLimitPolicy, routing_rule_assists
from responder.models.workflow import Callback, ExtensionRequest, Opinion, Pause, Response, ReturnRequest

__all__ = [
    "LEXICON_KINDS", "LexiconEntry",
    "ASSIGNMENT_ROLES", "CHANNELS", "REQUEST_TYPES", "ROLES", "TOKEN_ROLES", "URGENCIES",
    "AnalysisResult", "ApiToken", "AppendOnlyViolation", "Assignment", "CalendarDay", "Callback", "Commitment",
    "Event", "ExtensionRequest", "Message", "Notification", "Opinion", "Pause", "Response", "ReturnRequest",
    "RoutingRule", "TimeLimitPolicy", "Unit", "User", "WebhookDelivery", "routing_rule_assists", "utcnow",
]
