"""Pure rule matching."""

from responder.routing.rules import Rule, decide

RULES = [
    Rule(1, "城乡建设", 10, "城乡建设", (), lead=10),
    Rule(2, "油烟噪音", 50, None, ("油烟", "噪音"), lead=20, assists=(21,)),
    Rule(3, "补贴", 60, None, ("补贴",), lead=30, assists=(31,)),
    Rule(4, "属地：茅冈村", 5, None, ("茅冈",), lead=40, assists=(41,)),
]


def test_keyword_rule_outranks_topic_rule():
    d = decide(RULES, "城乡建设", 0.9, "茅冈村饭店油烟太大")
    assert (d.rule.id, d.lead) == (2, 20)
    assert d.assists == [21, 41]  # own assist, then the village from the location rule (not its lead)
    assert "油烟" in d.reasons[20] and "茅冈" in d.reasons[41]


def test_two_concrete_matters_bring_the_other_lead_in_to_assist():
    d = decide(RULES, None, None, "补贴没发，还有油烟")
    assert d.lead == 30 and d.assists == [31, 20, 21]


def test_topic_rule_needs_confidence():
    assert decide(RULES, "城乡建设", 0.9, "路灯不亮").lead == 10
    low = decide(RULES, "城乡建设", 0.2, "路灯不亮")  # only a suggestion: below the threshold
    assert (low.lead, low.confident, low.score) == (10, False, 0.2)


def test_nothing_matches():
    assert decide(RULES, "教育文体", 0.9, "图书馆开放时间") is None
