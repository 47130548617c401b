"""Character 1–3-grams of a text: as strings for training, as integer codes for a TF-IDF block at inference.

Both the topic and the sentiment model read a block of character n-grams (lower-cased, runs of space made one,
digits folded to 0). A message has about 1,400 of them; looking each n-gram string up in two Python dicts of
150,000–190,000 entries was a fifth of the analysis time. An n-gram of at most three characters packs into one int64
(21 bits per code point, so a longer n-gram's code is always above a shorter one's): the text's n-grams are counted
with `np.unique` and found in a block's sorted codes with `np.searchsorted`, in C, once per text for both models.
"""

from __future__ import annotations

import functools
import re

import numpy as np

#: Character n-gram lengths.
NGRAMS = (1, 3)
_BITS = 21  # a Unicode code point fits in 21 bits
_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")


def normalise(text: str) -> str:
    """The text as the n-grams see it: stripped, lower-cased, runs of space made one, every digit 0."""
    return _DIGIT.sub("0", _SPACE.sub(" ", text.strip().lower()))


@functools.lru_cache(maxsize=16)
def _ngrams(text: str) -> tuple[str, ...]:
    text = normalise(text)
    low, high = NGRAMS
    grams: list[str] = []
    for n in range(low, high + 1):
        grams += [text[i : i + n] for i in range(len(text) - n + 1)]
    return tuple(grams)


def ngrams(text: str) -> list[str]:
    """Character 1–3-grams of the normalised text, as strings (the analyzer the trainers fit their blocks with)."""
    return list(_ngrams(text))


def code(gram: str) -> int:
    """The int64 code of one n-gram of one to three characters."""
    value = 0
    for char in gram:
        value = (value << _BITS) | ord(char)
    return value


@functools.lru_cache(maxsize=4)
def counts(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(sorted codes of the text's distinct n-grams, how often each occurs); cached, since two models read them."""
    # NUL would make "\0a" code as "a"; no n-gram of any model holds it, so it becomes a character none holds either.
    points = np.frombuffer(normalise(text).replace("\0", "\uffff").encode("utf-32-le"), dtype=np.uint32)
    points = points.astype(np.int64)
    low, high = NGRAMS
    parts = []
    for n in range(low, high + 1):
        if len(points) >= n:
            value = points[: len(points) - n + 1].copy()
            for k in range(1, n):
                value = (value << _BITS) | points[k : len(points) - n + 1 + k]
            parts.append(value)
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.unique(np.concatenate(parts), return_counts=True)


class CharBlock:
    """A TF-IDF block over character n-grams: the block's terms (in column order) and their idf."""

    def __init__(self, terms: list[str], idf: np.ndarray):
        codes = np.fromiter(map(code, terms), dtype=np.int64, count=len(terms))
        order = np.argsort(codes, kind="stable")
        self.codes = codes[order]
        self.columns = order  # the column of the i-th smallest code
        self.idf = np.asarray(idf, dtype=float)
        if len(self.codes) > 1 and not np.all(np.diff(self.codes) > 0):
            raise ValueError("character block: terms repeat or are longer than three characters")

    def __len__(self) -> int:
        return len(self.codes)

    def tfidf(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(columns, l2-normalised sublinear tf-idf values) of the text's known n-grams, as TfidfVectorizer gives."""
        grams, counted = counts(text)
        if not len(self.codes) or not len(grams):
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        at = np.minimum(np.searchsorted(self.codes, grams), len(self.codes) - 1)
        known = self.codes[at] == grams
        if not known.any():
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        columns = self.columns[at[known]]
        values = (1.0 + np.log(counted[known])) * self.idf[columns]
        return columns, values / np.sqrt(values @ values)
