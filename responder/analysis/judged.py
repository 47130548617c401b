"""Hand judgements of real citizens' messages, and how the analysis is scored against them.

A judgement file (bench/labels/analysis-*.jsonl) is JSONL: lines starting with '#' are comments (the
labelling guide goes there); every other line is {"key": "<src>:<id>", "sentiment": ..., "request_type":
..., "extreme": bool, "risk": [flags]}; sets searched for extreme content carry only "extreme" and "risk".
src names the shared data file (likes, replies, topic), id its row id, so the files quote nothing from the
data; the messages are read from the shared data folder. Shared by bench/analysis_eval.py and the tests
that put floors under the held-out figures, so both score the same way.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from responder import labelfile
from responder.analysis import pipeline, sentiment

SOURCES = {
    "likes": "messages_with_likes.csv",
    "replies": "messages_with_replies.csv",
    "topic": "topic_messages_train.csv",
}
SENTIMENTS = ("negative", "neutral", "positive")


class JudgementError(ValueError):
    """A judgement file that cannot be read against the shared data."""


def _judgement(record: dict) -> dict:
    source, _, ident = record["key"].partition(":")
    if source not in SOURCES or not ident:
        raise KeyError(f"key {record['key']!r}")
    if bool(record["extreme"]) != bool(record["risk"]):
        raise ValueError("extreme and risk disagree")
    return record


def read_judgements(path: Path) -> list[dict]:
    """The judged messages of a file, comments and blank lines skipped."""
    return labelfile.read(path, _judgement, JudgementError, "judgement")


def read_messages(data: Path, sources=tuple(SOURCES)) -> dict[str, dict]:
    """Every message of the named shared files by key ("likes:123"): title, body and, for replies, reply."""
    messages = {}
    for source in sources:
        with open(data / SOURCES[source], encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                messages[f"{source}:{row['id']}"] = row
    return messages


def macro_f1(pairs: list[tuple[str, str]], labels: tuple[str, ...]) -> float:
    """Mean F1 over `labels` of (judged, predicted) pairs; a label never judged nor predicted scores 0."""
    scores = []
    for label in labels:
        tp = sum(1 for want, got in pairs if want == label and got == label)
        judged = sum(1 for want, _ in pairs if want == label)
        predicted = sum(1 for _, got in pairs if got == label)
        scores.append(2 * tp / (judged + predicted) if judged + predicted else 0.0)
    return sum(scores) / len(scores)


def analyse(records: list[dict], messages: dict[str, dict]) -> list[tuple[dict, pipeline.Analysis]]:
    """Each judged record with what the analysis says of its message (title and body)."""
    pairs = []
    for record in records:
        row = messages.get(record["key"])
        if row is None:
            raise JudgementError(f"{record['key']}: not in the shared data")
        pairs.append((record, pipeline.analyse_text(row["body"], row.get("title") or None)))
    return pairs


def flagged(analysis: pipeline.Analysis) -> bool:
    """What the issue counts as caught: urgent, with at least one named risk flag."""
    return analysis.urgency == "urgent" and bool(analysis.risk_flags)


def score(pairs: list[tuple[dict, pipeline.Analysis]]) -> dict:
    """Agreement figures over judged messages (sentiment and request type only where judged)."""
    out: dict = {"messages": len(pairs)}
    tone = [(r["sentiment"], a.sentiment_label) for r, a in pairs if "sentiment" in r]
    if tone:
        always_negative = [(want, "negative") for want, _ in tone]
        out |= {
            "sentiment_judged": len(tone),
            "sentiment_accuracy": sum(w == g for w, g in tone) / len(tone),
            "sentiment_macro_f1_neg_neu": macro_f1(tone, ("negative", "neutral")),
            "sentiment_always_negative_f1": macro_f1(always_negative, ("negative", "neutral")),
            "sentiment_judged_counts": dict(Counter(w for w, _ in tone)),
            "sentiment_confusion": {f"{w}->{g}": n for (w, g), n in sorted(Counter(tone).items())},
        }
    kinds = [(r["request_type"], a.request_type) for r, a in pairs if "request_type" in r]
    if kinds:
        out |= {
            "request_type_judged": len(kinds),
            "request_type_agreement": sum(w == g for w, g in kinds) / len(kinds),
            "request_type_always_complaint": sum(w == "complaint" for w, _ in kinds) / len(kinds),
            "request_type_confusion": {f"{w}->{g}": n for (w, g), n in sorted(Counter(kinds).items()) if w != g},
        }
    extreme = [a for r, a in pairs if r["extreme"]]
    calm = [a for r, a in pairs if not r["extreme"]]
    out |= {
        "extreme": len(extreme),
        "extreme_flagged": sum(map(flagged, extreme)) / len(extreme) if extreme else None,
        "calm": len(calm),
        "calm_urgent": sum(a.urgency == "urgent" for a in calm) / len(calm) if calm else None,
    }
    return out


def replies_called_negative(messages: dict[str, dict]) -> tuple[int, int]:
    """(official replies whose sentiment label is negative, replies) over the replies file's reply column."""
    texts = [row["reply"].strip() for key, row in messages.items() if key.startswith("replies:")]
    texts = [text for text in texts if text]
    negative = sum(sentiment.label(sentiment.score(text)) == "negative" for text in texts)
    return negative, len(texts)
