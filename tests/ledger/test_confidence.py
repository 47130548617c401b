"""The cue rules' own score of a candidate (one of the scorer's features; sentences written for these tests)."""

from __future__ import annotations

import json
from datetime import date

from click.testing import CliRunner

from responder.cli import cli
from responder.ledger import scorer
from responder.ledger.confidence import RULE_THRESHOLD, confidence, signals
from responder.ledger.extract import rule_candidates

REPLIED = date(2026, 11, 20)


def by_text(text: str, **kwargs) -> dict[str, float]:
    return {c.text: c.confidence for c in rule_candidates(text, REPLIED, **kwargs)}


def test_strong_cues_are_offered_with_high_confidence():
    found = rule_candidates("下一步，我局将组织人员清理河道垃圾。拟于明年在桥头增设护栏。该工厂计划于明年搬迁。", REPLIED)
    assert [(c.cue, c.confidence) for c in found] == [("next_step", 0.9), ("ni", 0.9), ("plan", 0.7)]
    assert all(c.confidence >= RULE_THRESHOLD for c in found)  # a plan cue stays offered whoever is named


def test_another_party_named_as_the_one_who_acts_is_held_back():
    text = "该商场将在本周末举办促销活动。我局将督促施工方修复破损路面。"
    assert by_text(text) == {"我局将督促施工方修复破损路面": 0.7}
    everything = by_text(text, min_confidence=0)
    assert everything["该商场将在本周末举办促销活动"] < RULE_THRESHOLD


def test_the_office_or_no_subject_before_jiang_keeps_the_candidate():
    assert by_text("我们将在两周内回访您家。") == {"我们将在两周内回访您家": 0.7}
    assert by_text("同时，将加强对该市场周边的巡查。") == {"将加强对该市场周边的巡查": 0.7}


def test_signals_name_cue_actor_action_and_deadline():
    seen = signals("工厂将于明年搬迁。", "工厂将于明年搬迁。", "jiang", True)
    assert {"cue:jiang", "subject:other", "dated"} <= seen
    mine = signals("我办将及时回复您。", "我办将及时回复您。", "jiang", False)
    assert {"subject:office", "action"} <= mine and "dated" not in mine


def test_weak_cues_need_an_anchor_and_hui_alone_is_not_offered():
    assert by_text("同时将严格把关。", min_confidence=0) == {"将严格把关": 0.5}
    assert by_text("同时将严格把关。") == {}
    assert by_text("我们会更加重视。", min_confidence=0) == {"我们会更加重视": 0.6}
    assert by_text("我们会更加重视。") == {}
    # the office named and something one can check: offered like 将
    assert by_text("我局会考虑将该路段纳入明年的改造计划。") == {"我局会考虑将该路段纳入明年的改造计划": 0.7}


def test_the_sentence_subject_acts_on_after_the_comma():
    assert by_text("我局对此很重视，将按照规定对当事人严格把关。") == {"我局对此很重视，将按照规定对当事人严格把关": 0.7}


def test_a_plan_told_as_carried_out_and_a_hope_are_no_promises():
    assert by_text("我局争取下达了2017年的增设计划，现正在组织实施。") == {}
    assert by_text("该项目有望年内正式启动建设。") == {}
    assert by_text("相信不久将建成社区公园。") == {}
    assert by_text("收到反映后，我镇立即组织干部及时开展调查，对投诉进行了核实。") == {}


def test_a_finding_does_not_make_a_plan_a_story():
    assert by_text("经核实，该处拟建设小区文化活动场地。") == {"经核实，该处拟建设小区文化活动场地": 0.9}
    assert by_text("年底将完成全部清理。") == {"年底将完成全部清理": 0.7}


def test_confidence_table():
    assert confidence(frozenset({"cue:plan", "subject:implicit"})) == 0.9
    assert confidence(frozenset({"cue:hui", "subject:office"})) == 0.6
    assert confidence(frozenset({"cue:hui", "subject:other"})) == 0.4
    assert confidence(frozenset({"cue:deadline_verb", "subject:other"})) < RULE_THRESHOLD


def test_commitments_command_gives_each_commitments_confidence():
    line = json.dumps({"id": 7, "content": "下一步，我局将于12月底前完成路灯维修。", "replied_at": "2026-11-20"},
                      ensure_ascii=False)
    result = CliRunner().invoke(cli, ["commitments"], input=line + "\n")
    assert result.exit_code == 0, result.output
    row = json.loads(result.output)
    [offered] = row["commitments"]
    assert row["id"] == 7 and offered.pop("confidence") >= scorer.load().threshold
    assert offered == {"text": "下一步，我局将于12月底前完成路灯维修", "due_date": "2026-12-31"}
