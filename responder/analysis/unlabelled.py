"""Unlabelled messages of the same platform, read for the topic trainer's vocabulary and IDF (topic-linear-4).

Their words and character n-grams widen the vocabulary and steady the IDF; they carry no label and never
train a weight. A message that is a copy or near-copy of a training message is left out, so that in
cross-validation no held-out message comes back through this pool.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from responder.analysis import duplicates, topics

#: Files looked for beside the training CSV (the shared data's unlabelled messages); absent files are skipped.
FILES = ("messages_with_likes.csv", "messages_with_replies.csv")
#: Char 3-gram Jaccard from which an unlabelled message counts as a near-copy of a training one (looser than
#: the duplicate detector's 0.6: a lightly edited re-post must not slip through).
NEAR_COPY = 0.5


@dataclass
class Unlabelled:
    """Tokenised unlabelled messages: tokens of the whole text, of the title alone, and the raw text."""

    tokens: list[list[str]]
    titles: list[list[str]]
    texts: list[str]
    files: tuple[str, ...]
    dropped: int  # copies or near-copies of training messages, left out


def beside(csv_path: str | Path) -> list[Path]:
    """The unlabelled files present in the folder of the training CSV."""
    folder = Path(csv_path).parent
    return [folder / name for name in FILES if (folder / name).is_file()]


def read(paths: list[Path], train_texts: list[str], train_keys: set[str], key) -> Unlabelled | None:
    """Read title/body rows of `paths`, one per near-duplicate key, without copies of the training messages.

    `key(body)` is the trainer's near-duplicate key and `train_keys` those of the training bodies; a message
    whose key is one of them, or whose text is a near-copy (Jaccard ≥ NEAR_COPY) of a training text, is dropped.
    None if no file gives a message.
    """
    seen: set[str] = set()
    rows: list[tuple[str, str]] = []
    dropped = 0
    for path in paths:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                body, title = (row.get("body") or "").strip(), (row.get("title") or "").strip()
                k = key(body)
                if not body or k in seen:
                    continue
                seen.add(k)
                if k in train_keys:
                    dropped += 1
                    continue
                rows.append((title, body))
    texts = [f"{t}\n{b}" if t else b for t, b in rows]
    items = [(("train", i), t) for i, t in enumerate(train_texts)] + [(("pool", i), t) for i, t in enumerate(texts)]
    near = {i for group in duplicates.group_near_duplicates(items, NEAR_COPY) if any(k == "train" for k, _ in group)
            for k, i in group if k == "pool"}
    kept = [i for i in range(len(rows)) if i not in near]
    if not kept:
        return None
    titles = [topics.tokenize(rows[i][0]) if rows[i][0] else [] for i in kept]
    return Unlabelled(
        tokens=[title + topics.tokenize(rows[i][1]) for title, i in zip(titles, kept, strict=True)],
        titles=titles,
        texts=[texts[i] for i in kept],
        files=tuple(p.name for p in paths),
        dropped=dropped + len(near),
    )
