"""Low-confidence review (待复核): below a threshold a topic waits for an operator; topic-only rules do not route.

RESPONDER_TOPIC_REVIEW_THRESHOLD overrides the default, which was measured on out-of-fold predictions of the
shipped model: the lowest confidence above which at least 97 % of topics were right (see MODEL_CARD.md).
"""

from __future__ import annotations

from flask import current_app, has_app_context

DEFAULT_THRESHOLD = 0.87


def threshold() -> float:
    """The review threshold in force (the app's setting, else the measured default)."""
    if has_app_context():
        return float(current_app.config.get("TOPIC_REVIEW_THRESHOLD", DEFAULT_THRESHOLD))
    return DEFAULT_THRESHOLD


def needs_review(topic_confidence: float | None) -> bool:
    """Whether a topic with this confidence goes to operator review."""
    return topic_confidence is None or topic_confidence < threshold()
