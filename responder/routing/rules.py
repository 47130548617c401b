"""Pure rule matching: which routing rule fits a message, and why."""

from __future__ import annotations

from dataclasses import dataclass, field

# Below this topic confidence a rule that rests on the topic alone is only a suggestion.
MIN_TOPIC_CONFIDENCE = 0.45
MAX_EXTRA_ASSISTS = 3
# A lower-ranked rule for a concrete matter (keywords, priority at least this) brings its lead unit
# in to assist; any lower-ranked rule brings its own assisting units (e.g. the village committee).
CO_LEAD_PRIORITY = 50


@dataclass(frozen=True)
class Rule:
    id: int
    name: str
    priority: int
    topic: str | None
    keywords: tuple[str, ...]
    lead: int
    assists: tuple[int, ...] = ()
    lead_name: str = ""


@dataclass
class Decision:
    """The chosen lead, assisting units, and the explanation stored with the assignment."""

    rule: Rule
    lead: int
    assists: list[int]
    matched: list[str]
    reasons: dict[int, str] = field(default_factory=dict)  # unit id -> why


def _matched_words(rule: Rule, text: str) -> list[str] | None:
    """Matched keywords ([] for a topic-only rule), or None when the rule does not apply."""
    words = [w for w in rule.keywords if w and w in text]
    if rule.keywords and not words:
        return None
    return words


def _applies(rule: Rule, topic: str | None, text: str):
    if rule.topic is not None and rule.topic != topic:
        return None
    return _matched_words(rule, text)


def explain(rule: Rule, matched: list[str], topic: str | None) -> str:
    parts = [f"规则「{rule.name}」（优先级 {rule.priority}）"]
    if rule.topic:
        parts.append(f"主题：{topic}")
    if matched:
        parts.append("命中词：" + "、".join(matched))
    return "；".join(parts)


def decide(rules: list[Rule], topic: str | None, topic_confidence: float | None, text: str,
           min_topic_confidence: float = MIN_TOPIC_CONFIDENCE) -> Decision | None:
    """Pick the highest-priority applicable rule (more matched words break ties); None leaves it to an operator.

    A rule with a topic and no keywords needs the topic at `min_topic_confidence` (the review threshold in the
    app: a topic waiting for an operator's review does not route on its own).
    """
    hits = []
    for rule in rules:
        matched = _applies(rule, topic, text)
        if matched is None:
            continue
        if not rule.keywords and rule.topic and (topic_confidence or 0) < min_topic_confidence:
            continue
        hits.append((rule.priority, len(matched), -rule.id, rule, matched))
    if not hits:
        return None
    hits.sort(key=lambda h: h[:3], reverse=True)
    _, _, _, best, matched = hits[0]
    decision = Decision(best, best.lead, list(best.assists), matched)
    decision.reasons[best.lead] = explain(best, matched, topic)
    for unit in best.assists:
        decision.reasons[unit] = explain(best, matched, topic) + "（协办）"
    for _, _, _, rule, words in hits[1:]:
        brought = list(rule.assists)
        if rule.keywords and rule.priority >= CO_LEAD_PRIORITY:
            brought.insert(0, rule.lead)
        for unit in brought:
            if len(decision.assists) >= len(best.assists) + MAX_EXTRA_ASSISTS:
                return decision
            if unit != decision.lead and unit not in decision.assists:
                decision.assists.append(unit)
                decision.reasons[unit] = explain(rule, words, topic) + "（协办）"
    return decision
