"""Small linear models learnt from hand judgements, shipped as gzipped JSON, and the TF-IDF they all share.

A `LinearModel` is a multinomial (or binary) logistic regression over two blocks: the sublinear, l2-normalised
TF-IDF of a message's word terms, and a few dense features its caller computes (cue weights, another model's
score). The request type model and the sentiment register model are two of them; `train_judged` writes
both. Inference needs only numpy; no pickles.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

import numpy as np

FORMAT = "judged-linear-1"


def tfidf(vocabulary: dict[str, int], idf: np.ndarray, items) -> tuple[np.ndarray, np.ndarray]:
    """Return (indices, l2-normalised sublinear tf-idf values) of items, as TfidfVectorizer would.

    items: the terms, or a Counter of them (a caller that reads one text's terms twice counts them once).
    """
    counts = items if isinstance(items, Counter) else Counter(items)
    # Looked up in C (map with a default), filtered in numpy: a message has about 1,500 character n-grams.
    index = np.fromiter(map(vocabulary.get, counts, repeat(-1)), dtype=np.int64, count=len(counts))
    known = index >= 0
    if not known.any():
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    index = index[known]
    values = (1.0 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts))[known])) * idf[index]
    return index, values / np.sqrt(values @ values)


@dataclass(frozen=True)
class LinearModel:
    """Logistic regression over one TF-IDF word block and a dense block; `classes` in the weights' row order."""

    version: str
    classes: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: np.ndarray
    word_coef: np.ndarray  # rows × terms (one row for a binary model: the score of classes[1])
    dense_coef: np.ndarray  # rows × dense features
    intercept: np.ndarray

    def probabilities(self, terms: list[str], dense: list[float]) -> np.ndarray:
        """Probability of each class, in `classes` order."""
        index, values = tfidf(self.vocabulary, self.idf, terms)
        scores = self.intercept + self.dense_coef @ np.asarray(dense, dtype=float)
        if len(index):
            scores = scores + self.word_coef[:, index] @ values
        if len(self.classes) == 2 and len(scores) == 1:
            positive = 1.0 / (1.0 + np.exp(-np.clip(scores[0], -50.0, 50.0)))
            return np.array([1.0 - positive, positive])
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()

    def probability(self, label: str, terms: list[str], dense: list[float]) -> float:
        """Probability of one class."""
        return float(self.probabilities(terms, dense)[self.classes.index(label)])


def load(path: Path) -> LinearModel:
    """Read a model file written by `train_judged` (no caching: callers hold it in a `ShippedModel`)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        raw = json.load(fh)
    if raw.get("format") != FORMAT:
        raise ValueError(f"{path}: unknown model format {raw.get('format')!r}")
    return LinearModel(
        version=raw["version"],
        classes=tuple(raw["classes"]),
        vocabulary={t: i for i, t in enumerate(raw["terms"])},
        idf=np.asarray(raw["idf"], dtype=float),
        word_coef=np.asarray(raw["word_coef"], dtype=float),
        dense_coef=np.asarray(raw["dense_coef"], dtype=float),
        intercept=np.asarray(raw["intercept"], dtype=float),
    )
