"""topics.segment (jieba-rs) gives jieba's own tokens, so the models trained on jieba's tokens see the same features."""

from __future__ import annotations

import csv
import random
import re

import jieba
import pytest

from responder.analysis import topics
from tests.analysis.test_topic_model import shared_data_file

CASES = [
    "小区门口的路灯坏了一个多月，多次反映给物业，一直没有人来修。",
    "PM2.5超标，1.5kg的包裹，网址 baidu.com 和 www.12345.gov.cn，电话0731-88888888，涨了15%。",
    "A市K8县 2019年3月 工资拖欠\t\t三个月  \r\n第二段",
    "wearethe75% at&t x000D_2015 no.1 5.6.8-11 km1.2",
    "😀表情😀 and ＡＢＣ全角１２３",
    "",
    "x",
]
# Texts of the shared data where jieba-rs alone differs from jieba: an ASCII run with punctuation.
ASCII_RUN = re.compile(r"[A-Za-z0-9][^\sA-Za-z0-9\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def jieba_tokenizer():
    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def test_hand_picked_texts_segment_as_jieba_does(jieba_tokenizer):
    for text in CASES:
        assert topics.segment(text) == jieba_tokenizer.lcut(text), text


def test_real_texts_segment_as_jieba_does(jieba_tokenizer):
    texts = []
    for name, columns in (("topic_messages_train.csv", ("title", "body")),
                          ("messages_with_replies.csv", ("title", "body", "reply")),
                          ("sentiment_waimai_train.csv", ("text",)), ("sentiment_weibo_train.csv", ("text",))):
        with open(shared_data_file(name), encoding="utf-8-sig", newline="") as fh:
            texts += [row[c] for row in csv.DictReader(fh) for c in columns if row.get(c)]
    risky = [t for t in texts if ASCII_RUN.search(t)]
    assert len(risky) > 1000
    # All 42,868 texts agree (checked when rjieba came in); a sample keeps the suite fast.
    rng = random.Random(0)
    sample = rng.sample(risky, 800) + rng.sample(texts, 300)
    differing = [t[:60] for t in sample if topics.segment(t) != jieba_tokenizer.lcut(t)]
    assert differing == []
