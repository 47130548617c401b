"""Pure rule matching: which routing rule fits a message, how sure we are, and why.

Order (highest first): admin rules with keywords (priority 50–80 by default) > topic → unit rules (10) >
plan-derived keyword rules (5) > location (0: an address naming a 街道/镇/乡/村/社区 that is a unit's name or
alias). Priority decides; at equal priority that same order of kinds breaks the tie, then more matched words.

Every hit has a score in [0, 1]:
- admin keyword rule: 0.6 + priority/250 (priority capped at 100) + 0.04 per extra matched word, at most 0.98;
- topic rule: the topic model's confidence;
- plan rule: 0.45 + 0.15 per matched word, at most 0.85;
- location: 0.40 from the address field, 0.35 from the content — a place says where, not what, so alone it
  stays below the default threshold (0.5) and waits for an operator, who sees it as the suggestion.
The first hit in order whose score reaches the threshold leads; each further hit naming the same lead adds 0.1
(agreement, at most 0.99) and its reason. With no hit at the threshold the best-scoring one is returned as a
suggestion (`confident` false). A location unit that does not lead is added as an assisting unit (属地协办).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MIN_SCORE = 0.5
MAX_EXTRA_ASSISTS = 3
# A lower-ranked rule for a concrete matter (keywords, priority at least this) brings its lead unit
# in to assist; any lower-ranked rule brings its own assisting units (e.g. the village committee).
CO_LEAD_PRIORITY = 50
KIND_ORDER = {"admin": 3, "topic": 2, "plan": 1, "location": 0}
AGREEMENT_BONUS = 0.1


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
    source: str = "admin"  # admin | demo | plan | location
    origin: str = ""  # for plan rules: 《plan》第N项

    @property
    def kind(self) -> str:
        if self.source in ("plan", "location"):
            return self.source
        return "admin" if self.keywords else "topic"


@dataclass(frozen=True)
class Place:
    """A place name (茅冈村, 百合圩社区, 城关街道) that is a unit's name or alias."""

    name: str
    unit: int
    unit_name: str


@dataclass
class Decision:
    """The chosen lead, assisting units, the explanation stored with each assignment, and the score."""

    rule: Rule
    lead: int
    assists: list[int]
    matched: list[str]
    reasons: dict[int, str] = field(default_factory=dict)  # unit id -> why
    score: float = 0.0
    confident: bool = True

    @property
    def rule_id(self) -> int | None:
        return self.rule.id if self.rule.id > 0 else None


_PLACE_SUFFIX = re.compile(r"(?:村民委员会|居民委员会|村委会|居委会|人民政府|政府|办事处|委员会)$")
_PLACE_END = re.compile(r"(?:街道|镇|乡|村|社区)$")


def place_names(unit_name: str, aliases: list[str]) -> list[str]:
    """The place names a unit stands for: its name or aliases ending in 街道/镇/乡/村/社区 (after 委会 etc.)."""
    found = []
    for raw in [unit_name, *aliases]:
        name = _PLACE_SUFFIX.sub("", raw or "")
        if len(name) >= 3 and _PLACE_END.search(name):
            found.append(name)
    return list(dict.fromkeys(found))


def _score(rule: Rule, matched: list[str], topic_confidence: float | None) -> float:
    if rule.kind == "topic":
        return round(min(float(topic_confidence or 0.0), 0.95), 3)
    if rule.kind == "plan":
        return round(min(0.45 + 0.15 * len(matched), 0.85), 3)
    if rule.kind == "location":
        return 0.4 if rule.source == "location" and rule.origin == "address" else 0.35
    return round(min(0.6 + min(rule.priority, 100) / 250 + 0.04 * max(len(matched) - 1, 0), 0.98), 3)


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
    if rule.kind == "location":
        parts = [f"属地：{'地址' if rule.origin == 'address' else '内容'}提及「{matched[0]}」（{rule.lead_name}）"]
    elif rule.kind == "plan":
        parts = [f"分工方案{rule.origin}「{rule.name.removeprefix('分工方案：')}」" if rule.origin
                 else f"规则「{rule.name}」"]
    else:
        parts = [f"规则「{rule.name}」（优先级 {rule.priority}）"]
    if rule.topic:
        parts.append(f"主题：{topic}")
    if matched and rule.kind != "location":
        parts.append("命中词：" + "、".join(matched))
    return "；".join(parts)


def locate(places: list[Place], address: str | None, content: str) -> Rule | None:
    """The most specific place named in the address (else the content), as a location rule."""
    where, text = ("address", address) if address and address.strip() else ("content", content)
    hits = [p for p in places if p.name in (text or "")]
    if not hits:
        return None
    best = max(hits, key=lambda p: len(p.name))
    return Rule(0, f"属地：{best.unit_name}", 0, None, (best.name,), best.unit, (), best.unit_name,
                source="location", origin=where)


def _hits(rules, topic, topic_confidence, text, location):
    hits = []
    for rule in rules:
        matched = _applies(rule, topic, text)
        if matched is not None:
            hits.append((rule, matched, _score(rule, matched, topic_confidence)))
    if location is not None:
        hits.append((location, list(location.keywords), _score(location, [], None)))
    hits.sort(key=lambda h: (h[0].priority, KIND_ORDER[h[0].kind], len(h[1]), -h[0].id), reverse=True)
    return hits


def decide(rules: list[Rule], topic: str | None, topic_confidence: float | None, text: str, *,
           places: list[Place] | None = None, address: str | None = None, content: str | None = None,
           min_score: float = MIN_SCORE, min_topic_confidence: float = 0.0) -> Decision | None:
    """The routing decision (None when nothing at all applies); `confident` false leaves it to an operator.

    A topic-only rule below `min_topic_confidence` (the app passes the review threshold: a topic waiting for
    an operator's review) is kept as a suggestion but never dispatches on its own.
    """
    unsure_topic = (topic_confidence or 0.0) < min_topic_confidence
    location = locate(places or [], address, content if content is not None else text)
    hits = _hits(rules, topic, topic_confidence, text, location)
    if not hits:
        return None
    ready = [h for h in hits if h[2] >= min_score and not (h[0].kind == "topic" and unsure_topic)]
    best, matched, score = ready[0] if ready else max(hits, key=lambda h: h[2])
    decision = Decision(best, best.lead, list(best.assists), matched, score=score, confident=bool(ready))
    decision.reasons[best.lead] = explain(best, matched, topic)
    for unit in best.assists:
        decision.reasons[unit] = explain(best, matched, topic) + "（协办）"
    extra = 0
    for rule, words, _ in hits:
        if rule is best:
            continue
        if rule.lead == decision.lead:  # another rule agrees on the lead
            decision.score = round(min(decision.score + AGREEMENT_BONUS, 0.99), 3)
            decision.reasons[decision.lead] += "；另据" + explain(rule, words, topic)
            continue
        brought = list(rule.assists)
        if rule.kind == "location" or (rule.keywords and rule.priority >= CO_LEAD_PRIORITY):
            brought.insert(0, rule.lead)
        for unit in brought:
            if unit == decision.lead or unit in decision.assists:
                continue
            if rule.kind != "location":
                if extra >= MAX_EXTRA_ASSISTS:
                    continue
                extra += 1
            decision.assists.append(unit)
            decision.reasons[unit] = explain(rule, words, topic) + "（协办）"
    lone_unsure_topic = best.kind == "topic" and unsure_topic
    decision.confident = decision.confident or (decision.score >= min_score and not lone_unsure_topic)
    decision.reasons[decision.lead] += f"；得分 {decision.score:.2f}"
    return decision
