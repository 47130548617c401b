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
import json
import os
import sys
from pathlib import Path

from responder.ledger.extract import extract
from responder.ledger.labels import LabelError, match, read_labels, read_replies, resolve, write_spans
from responder.workflow.calendar import WorkCalendar

DATA = Path(os.environ.get("RESPONDER_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")
def evaluate(labelled: list[dict], replies: dict, show: bool = False, threshold: float | None = None) -> dict:
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
    parser.add_argument("--threshold", type=float, default=None,
                        help="offer sentences of at least this confidence (default: the model's threshold; 0: all)")
    parser.add_argument("--spans", type=Path, metavar="OUT", help="also write the labels in span form to OUT")
    args = parser.parse_args(argv)
    try:
        labelled, replies = read_labels(args.labels), read_replies(args.data)
        resolve(labelled, replies)
    except (LabelError, OSError) as exc:
        sys.exit(str(exc))
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
