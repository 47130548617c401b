"""Hand labels of commitments in official replies, and how extracted ones are matched against them.

A label file is JSONL: lines starting with '#' are comments (the labelling guide goes there); every other
line is {"id": <row id in messages_with_replies.csv>, "commitments": [{"text": <clause copied from the
reply>, "deadline": "YYYY-MM-DD" | null}]}, or with "span": [start, end] (character offsets into the
reply) in place of "text". Span files quote nothing from the data, so they can live in the repository
(bench/labels/); the replies themselves are read from the shared data. Shared by the extractor's
trainer (train_scorer) and its bench (bench/commitments_eval.py), so both judge a match the same way.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path

from responder import labelfile


class LabelError(ValueError):
    """A label file that cannot be read against the replies."""


PUNCTUATION = re.compile(r"[\s，,。．.；;：:！!？?、“”\"'‘’（）()《》【】\[\]—…-]")


def _label(record: dict) -> dict:
    record["commitments"] = [{key: c[key] for key in ("text", "span") if key in c}
                             | {"deadline": c.get("deadline")} for c in record["commitments"]]
    if not all("text" in c or "span" in c for c in record["commitments"]):
        raise KeyError("text or span")
    return record


def read_labels(path: Path) -> list[dict]:
    """The labelled replies of a label file, comments and blank lines skipped."""
    return labelfile.read(path, _label, LabelError, "label")


def read_replies(data: Path) -> dict[str, tuple[str, date | None]]:
    """Reply text and reply date by row id, from the folder holding messages_with_replies.csv."""
    replies = {}
    with open(data / "messages_with_replies.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            day = re.match(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})", row["reply_time"] or "")
            replies[row["id"]] = (row["reply"], date(*map(int, day.groups())) if day else None)
    return replies


def resolve(labelled: list[dict], replies: dict) -> None:
    """Give every label its text: spans are cut from the reply; texts must occur in it."""
    for record in labelled:
        ident = str(record["id"])
        if ident not in replies:
            raise LabelError(f"row id {ident} is not in messages_with_replies.csv")
        reply = replies[ident][0]
        for label in record["commitments"]:
            if "span" in label:
                label["text"] = reply[slice(*label["span"])]
            elif label["text"] not in reply:
                raise LabelError(f"row id {ident}: label text is not in the reply: {label['text'][:40]}")


def write_spans(labelled: list[dict], replies: dict, out: Path, comments: list[str]) -> None:
    """The label file with each text replaced by its offsets in the reply (first occurrence after the last)."""
    with out.open("w", encoding="utf-8") as handle:
        handle.writelines(f"{line}\n" for line in comments)
        for record in labelled:
            reply, start = replies[str(record["id"])][0], 0
            spans = []
            for label in record["commitments"]:
                at = reply.find(label["text"], start)
                at = reply.find(label["text"]) if at < 0 else at
                spans.append({"span": [at, at + len(label["text"])], "deadline": label["deadline"]})
                start = at + 1
            handle.write(json.dumps({"id": str(record["id"]), "commitments": spans}) + "\n")


def overlap(found: str, label: str) -> float:
    """Longest common run over the shorter text's length (0 when under 4 characters)."""
    a, b = PUNCTUATION.sub("", found), PUNCTUATION.sub("", label)
    if not a or not b:
        return 0.0
    run = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size
    return run / min(len(a), len(b)) if run >= min(4, len(a), len(b)) else 0.0


def match(found: list[dict], labels: list[dict]) -> list[tuple[int, int]]:
    """(found index, label index) pairs, one-to-one, best overlaps first, each at least one half."""
    scored = sorted(((overlap(f["text"], lab["text"]), i, j) for i, f in enumerate(found)
                     for j, lab in enumerate(labels)), reverse=True)
    pairs, used_f, used_l = [], set(), set()
    for score, i, j in scored:
        if score >= 0.5 and i not in used_f and j not in used_l:
            pairs.append((i, j))
            used_f.add(i)
            used_l.add(j)
    return pairs
