"""Character n-gram blocks looked up by integer code give exactly what the string n-grams and a dict give."""

from __future__ import annotations

import gzip
import json
from collections import Counter

import numpy as np
import pytest

from responder.analysis import chargrams, sentiment, topics
from responder.analysis.linear import tfidf

TEXTS = [
    "小区门口的路灯坏了一个多月，多次反映给物业，一直没有人来修。",
    "A市K8县 2019年3月 工资拖欠\t\t三个月  ",
    "😀表情😀 and ＡＢＣ全角１２３",
    "\0零\0字节\0",
    "x",
    "",
    "   ",
]


def dense(index, values, size):
    row = np.zeros(size)
    row[index] = values
    return row


@pytest.mark.parametrize("path", [topics.MODEL_PATH, sentiment.MODEL_PATH], ids=["topic", "sentiment"])
def test_codes_give_what_the_string_ngrams_and_a_dict_give(path):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        raw = json.load(fh)["chars"]
    vocabulary = {term: i for i, term in enumerate(raw["terms"])}
    idf = np.asarray(raw["idf"], dtype=float)
    block = chargrams.CharBlock(raw["terms"], idf)
    for text in TEXTS:
        expected = dense(*tfidf(vocabulary, idf, Counter(chargrams.ngrams(text))), len(idf))
        got = dense(*block.tfidf(text), len(idf))
        assert np.allclose(expected, got, atol=1e-12), text


def test_a_small_block_by_hand():
    block = chargrams.CharBlock(["b", "a", "ab", "abc", "0"], np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
    columns, values = block.tfidf("AbC 1")  # normalised "abc 0": a b c " " 0, ab bc "c " " 0", abc "bc " "c 0"
    found = dict(zip(columns.tolist(), values.tolist(), strict=True))
    raw = {0: 1.0, 1: 2.0, 2: 3.0, 3: 4.0, 4: 5.0}
    norm = np.sqrt(sum(v * v for v in raw.values()))
    assert found == pytest.approx({k: v / norm for k, v in raw.items()})
    assert chargrams.code("ab") > chargrams.code("\U0010ffff") and chargrams.code("abc") > chargrams.code("\U0010ffff" * 2)
    with pytest.raises(ValueError):
        chargrams.CharBlock(["a", "a"], np.ones(2))
