"""Precision, recall and deadline accuracy of the commitment extractor against a hand-labelled file.

    python bench/commitments_eval.py LABELS.jsonl [--data DIR] [--show] [--threshold T] [--spans OUT]

LABELS: lines starting with '#' are comments (the labelling guide goes there); every other line is
{"id": <row id in messages_with_replies.csv>, "commitments": [{"text": <clause copied from the reply>,
"deadline": "YYYY-MM-DD" | null}]}, or with "span": [start, end] (character offsets into the reply) in
place of "text". The replies themselves are read from the shared data (RESPONDER_SHARED_DATA, else
../shared/data). A label file with text quotes the data, so it stays outside the repository;
`--spans OUT` writes its span form, which quotes nothing and is what bench/labels/ keeps. Deadlines
count from the reply's date (reply_time), as `responder commitments` does with replied_at.

A found commitment matches a labelled one of the same reply when, punctuation aside, the two share a
common run of at least half the shorter text (and of 4 characters); each label matches at most one
finding, best overlaps first. Precision = matched / found, recall = matched / labelled, deadline right =
matched pairs with the same date (or both none). --show prints every false positive, miss and wrong date.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path

from responder.ledger.confidence import OFFER_THRESHOLD
from responder.ledger.extract import extract
from responder.workflow.calendar import WorkCalendar

DATA = Path(os.environ.get("RESPONDER_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")
PUNCTUATION = re.compile(r"[\s，,。．.；;：:！!？?、“”\"'‘’（）()《》【】\[\]—…-]")


def read_labels(path: Path) -> list[dict]:
    """The labelled replies of a label file, comments and blank lines skipped."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            record = json.loads(line)
            record["commitments"] = [{key: c[key] for key in ("text", "span") if key in c}
                                     | {"deadline": c.get("deadline")} for c in record["commitments"]]
            if not all("text" in c or "span" in c for c in record["commitments"]):
                raise KeyError("text or span")
        except (ValueError, KeyError, TypeError) as exc:
            sys.exit(f"{path}:{number}: not a label line ({exc})")
        rows.append(record)
    return rows


def read_replies(data: Path) -> dict[str, tuple[str, date | None]]:
    """Reply text and reply date by row id."""
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
            sys.exit(f"row id {ident} is not in messages_with_replies.csv")
        reply = replies[ident][0]
        for label in record["commitments"]:
            if "span" in label:
                label["text"] = reply[slice(*label["span"])]
            elif label["text"] not in reply:
                sys.exit(f"row id {ident}: label text is not in the reply: {label['text'][:40]}")


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


def evaluate(labelled: list[dict], replies: dict, show: bool = False, threshold: float = OFFER_THRESHOLD) -> dict:
    """Counts over every labelled reply; prints the errors when `show`."""
    calendar = WorkCalendar()
    counts = {"replies": 0, "found": 0, "labelled": 0, "matched": 0, "deadline_right": 0,
              "dated_labels_matched": 0, "dated_right": 0}
    for record in labelled:
        ident = str(record["id"])
        text, replied = replies[ident]
        found = [c.as_dict() for c in extract(text, replied, calendar, threshold)]
        labels = record["commitments"]
        pairs = match(found, labels)
        counts["replies"] += 1
        counts["found"] += len(found)
        counts["labelled"] += len(labels)
        counts["matched"] += len(pairs)
        for i, j in pairs:
            right = found[i]["due_date"] == labels[j]["deadline"]
            counts["deadline_right"] += right
            if labels[j]["deadline"]:
                counts["dated_labels_matched"] += 1
                counts["dated_right"] += right
            if show and not right:
                want = labels[j]["deadline"]
                print(f"DATE {ident}: found {found[i]['due_date']} want {want}  {labels[j]['text'][:70]}")
        if show:
            for i in sorted(set(range(len(found))) - {i for i, _ in pairs}):
                print(f"FP   {ident}: {found[i]['text'][:150]}")
            for j in sorted(set(range(len(labels))) - {j for _, j in pairs}):
                print(f"MISS {ident}: {labels[j]['text'][:150]}")
    return counts


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "-"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("labels", type=Path)
    parser.add_argument("--data", type=Path, default=DATA, help="folder holding messages_with_replies.csv")
    parser.add_argument("--show", action="store_true", help="print false positives, misses and wrong dates")
    parser.add_argument("--threshold", type=float, default=OFFER_THRESHOLD,
                        help=f"offer candidates of at least this confidence (default {OFFER_THRESHOLD}; 0: all)")
    parser.add_argument("--spans", type=Path, metavar="OUT", help="also write the labels in span form to OUT")
    args = parser.parse_args(argv)
    labelled, replies = read_labels(args.labels), read_replies(args.data)
    resolve(labelled, replies)
    if args.spans:
        comments = [line for line in args.labels.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
        write_spans(labelled, replies, args.spans, comments)
    c = evaluate(labelled, replies, args.show, args.threshold)
    print(f"replies {c['replies']}  found {c['found']}  labelled {c['labelled']}  matched {c['matched']}")
    print(f"precision {ratio(c['matched'], c['found'])} ({c['matched']}/{c['found']})  "
          f"recall {ratio(c['matched'], c['labelled'])} ({c['matched']}/{c['labelled']})")
    print(f"deadline right {ratio(c['deadline_right'], c['matched'])} ({c['deadline_right']}/{c['matched']} matched; "
          f"{c['dated_right']}/{c['dated_labels_matched']} where the label has a date)")
    print(json.dumps({"bench": "commitments_eval"} | c))


if __name__ == "__main__":
    main()
