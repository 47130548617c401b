"""topics.segment (jieba-rs, with jieba's split of ASCII runs) against jieba itself on every text of the shared data.

    PYTHONPATH=. python bench/segmentation.py

Prints how many texts segment differently (must be 0: the shipped models were trained on jieba's tokens) and both
rates over the same texts, measured in the same run. About a minute.
"""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path

import jieba

from responder.analysis import topics

DATA = Path(os.environ.get("RESPONDER_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")
COLUMNS = ("title", "body", "reply", "text")


def texts() -> list[str]:
    found = []
    for path in sorted(DATA.glob("*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            found += [row[c] for row in csv.DictReader(fh) for c in COLUMNS if row.get(c)]
    return found


def main() -> None:
    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    topics.segment("预热")
    corpus = texts()
    start = time.perf_counter()
    theirs = [tokenizer.lcut(t) for t in corpus]
    jieba_seconds = time.perf_counter() - start
    start = time.perf_counter()
    ours = [topics.segment(t) for t in corpus]
    our_seconds = time.perf_counter() - start
    differing = [t for t, a, b in zip(corpus, theirs, ours, strict=True) if a != b]
    chars = sum(map(len, corpus))
    print(f"{len(corpus)} texts, {chars / len(corpus):.0f} characters on average; segmented differently: "
          f"{len(differing)}")
    for text in differing[:5]:
        print("  ", text[:80])
    print(f"jieba {len(corpus) / jieba_seconds:.0f} texts/s, topics.segment {len(corpus) / our_seconds:.0f} texts/s, "
          f"ratio {jieba_seconds / our_seconds:.1f}")


if __name__ == "__main__":
    main()
