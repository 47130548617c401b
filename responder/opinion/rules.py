"""The rules of 政务舆情回应 as data: levels, the five-stage cycle, response channels and deadlines by level."""

from __future__ import annotations

from datetime import datetime, timedelta

LEVELS = {"especially_major": "特别重大", "major": "重大", "general": "一般"}
# 收集 → 会商 → 研判 → 回应 → 评估; recording the evaluation closes the event (已闭环).
STAGES = {"collecting": "收集", "consulting": "会商", "assessing": "研判", "responding": "回应",
          "evaluating": "评估", "closed": "已闭环"}
CYCLE = ("collecting", "consulting", "assessing", "responding", "evaluating")
CHANNELS = {"website": "网站", "press_conference": "发布会", "new_media": "新媒体", "interview": "媒体采访"}
OUTCOMES = {"resolved": "已平息", "eased": "趋缓", "ongoing": "仍在发酵"}
DEADLINE_LABELS = {"info": "发布权威信息", "press": "召开新闻发布会", "response": "作出回应"}

# 国办 rules on 政务舆情回应: for 特别重大/重大 authoritative information within 5 hours and a press
# conference within 24 hours of discovery; otherwise a response within 48 hours.
DEADLINE_HOURS = {
    "especially_major": {"info": 5, "press": 24},
    "major": {"info": 5, "press": 24},
    "general": {"response": 48},
}


def deadlines_for(level: str, discovered_at: datetime) -> dict[str, datetime]:
    """Each deadline kind the level has, and when it falls (clock hours from discovery)."""
    return {kind: discovered_at + timedelta(hours=hours) for kind, hours in DEADLINE_HOURS[level].items()}


def next_stage(stage: str) -> str | None:
    """The stage after `stage` in the cycle (evaluating is left by recording the evaluation, not by advancing)."""
    if stage not in CYCLE or stage == "evaluating":
        return None
    return CYCLE[CYCLE.index(stage) + 1]


def default_meets(level: str, channel: str, open_kinds: set[str]) -> str | None:
    """The deadline a response answers when the caller does not say: a press conference meets 'press'
    (or, that one met, 'info'); any other channel 'info' (特别重大/重大) or 'response' (一般) while open."""
    order = ("press", "info") if channel == "press_conference" else ("info", "response")
    return next((kind for kind in order if kind in DEADLINE_HOURS[level] and kind in open_kinds), None)
