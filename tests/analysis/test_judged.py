"""Analysis against hand judgements of real messages (bench/labels/analysis-*.jsonl): reading them, and floors.

The floors sit between the issue's targets and what was measured on the sets held out from all tuning and
training (d-f drawn at random, x2 searched for extreme content); bench/analysis_eval.py prints the figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from responder.analysis import judged, sentiment
from tests.conftest import SHARED_DATA, need

LABELS = Path(__file__).resolve().parents[2] / "bench" / "labels"
HELD_OUT_RANDOM = sorted(LABELS.glob("analysis-2026-11-[d-f]-heldout.jsonl"))
HELD_OUT_SEARCHED = LABELS / "analysis-2026-11-x2-searched-heldout.jsonl"


def test_a_judgement_file_names_its_messages_and_says_what_is_wrong(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text(
        '# guide\n{"key": "likes:1", "sentiment": "negative", "request_type": "complaint", '
        '"extreme": false, "risk": []}\n\n{"key": "topic:ab", "extreme": true, "risk": ["violence"]}\n',
        encoding="utf-8",
    )
    assert [r["key"] for r in judged.read_judgements(good)] == ["likes:1", "topic:ab"]
    for line, problem in (
        ('{"key": "weibo:1", "extreme": false, "risk": []}', "key"),
        ('{"key": "likes:1", "extreme": true, "risk": []}', "disagree"),
        ("not json", "not a judgement line"),
    ):
        bad = tmp_path / "bad.jsonl"
        bad.write_text(line + "\n", encoding="utf-8")
        with pytest.raises(judged.JudgementError, match=problem):
            judged.read_judgements(bad)


def test_macro_f1_counts_a_label_nobody_used_as_zero():
    pairs = [("negative", "negative"), ("negative", "negative"), ("neutral", "negative")]
    assert judged.macro_f1(pairs, ("negative", "neutral")) == pytest.approx((0.8 + 0.0) / 2)


def test_official_replies_read_as_replies_and_a_citizen_quoting_one_does_not():
    assert sentiment.official_reply("网友“UU008123”您好！您的留言已收悉。现将有关情况回复如下：该路段已修复。")
    assert sentiment.official_reply("经核实，该小区停水系管道抢修所致，现已恢复供水。感谢您对我们工作的支持！")
    assert not sentiment.official_reply("质疑区住建局的回复\n网友：您好！您的留言已收悉。现回复如下：已整改。")
    assert not sentiment.official_reply("您好，我是某小区业主，小区门口的路灯坏了一个月。")


@pytest.fixture(scope="module")
def messages():
    need(SHARED_DATA.is_dir(), f"the shared data folder {SHARED_DATA} is absent")
    return judged.read_messages(SHARED_DATA)


@pytest.fixture(scope="module")
def held_out_random(messages):
    records = [r for path in HELD_OUT_RANDOM for r in judged.read_judgements(path)]
    assert len(records) == 300
    return judged.score(judged.analyse(records, messages))


def test_sentiment_separates_complaints_from_calm_messages_on_held_out_messages(held_out_random):
    # "always negative" scores about 0.43 on these messages; the issue asks for at least 0.70; measured 0.85.
    assert held_out_random["sentiment_always_negative_f1"] < 0.45
    assert held_out_random["sentiment_macro_f1_neg_neu"] >= 0.80


def test_request_type_agrees_with_the_judges_on_held_out_messages(held_out_random):
    # The issue asks for 0.65; measured 0.72 (always "complaint": 0.53, the cue rules alone: 0.64).
    assert held_out_random["request_type_agreement"] >= 0.68


def test_extreme_messages_are_flagged_and_calm_ones_mostly_not(held_out_random, messages):
    # The issue asks for >= 0.80 and <= 0.15; measured 15/16 and 0.067 here, 117/141 on the searched set.
    assert held_out_random["extreme_flagged"] >= 0.80 and held_out_random["calm_urgent"] <= 0.10
    searched = judged.score(judged.analyse(judged.read_judgements(HELD_OUT_SEARCHED), messages))
    assert searched["extreme"] >= 100 and searched["extreme_flagged"] >= 0.80


def test_few_official_replies_are_called_negative(messages):
    negative, replies = judged.replies_called_negative(messages)
    assert replies > 2000 and negative / replies < 0.15
