"""Sentiment, request type and urgent-risk flags against hand judgements of real citizens' messages.

    python bench/analysis_eval.py JUDGEMENTS.jsonl... [--data DIR] [--replies] [--show]

JUDGEMENTS: bench/labels/analysis-*.jsonl (format and scoring in responder/analysis/judged.py; the
labelling guide is in each file's comment lines). Sets a-c were used to tune the rules; d-f ("-heldout")
and the searched set x2 were measured, never tuned on. Messages are read from the shared data
(RESPONDER_SHARED_DATA, else ../shared/data). --replies adds the share of the official replies in
messages_with_replies.csv that sentiment calls negative; --show prints every disagreement.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from responder.analysis import judged

DATA = Path(os.environ.get("RESPONDER_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")


def show(pairs) -> None:
    for record, analysis in pairs:
        wrong = []
        if "sentiment" in record and record["sentiment"] != analysis.sentiment_label:
            wrong.append(f"sentiment {record['sentiment']}->{analysis.sentiment_label} ({analysis.sentiment:.2f})")
        if "request_type" in record and record["request_type"] != analysis.request_type:
            wrong.append(f"type {record['request_type']}->{analysis.request_type}")
        if record["extreme"] and not judged.flagged(analysis):
            wrong.append(f"MISSED extreme {record['risk']}")
        if not record["extreme"] and analysis.urgency == "urgent":
            wrong.append(f"calm made urgent {analysis.risk_flags}")
        if wrong:
            print(f"{record['key']}: " + "; ".join(wrong))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--replies", action="store_true")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args(argv)
    if not (args.data / judged.SOURCES["replies"]).exists():
        print(f"no shared data in {args.data}", file=sys.stderr)
        return 2
    try:
        records = [r for path in args.files for r in judged.read_judgements(path)]
        messages = judged.read_messages(args.data)
        pairs = judged.analyse(records, messages)
    except (OSError, judged.JudgementError) as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.show:
        show(pairs)
    figures = judged.score(pairs)
    if args.replies:
        negative, total = judged.replies_called_negative(messages)
        figures |= {"replies": total, "replies_negative": negative / total}
    print(json.dumps({"files": [p.name for p in args.files]} | figures, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
