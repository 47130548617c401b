"""The demo content is loadable and covers what the demo is meant to show."""

from collections import Counter

from responder.demo import content


def _by_id():
    return {message["external_id"]: message for message in content.MESSAGES}


def test_validate_finds_no_problem():
    assert content.validate() == []


def test_unit_tree_has_the_seed_offices_and_villages():
    names = {unit["name"] for unit in content.UNITS}
    assert 14 <= len(content.UNITS) <= 20
    assert content.UNITS[0] == {"name": content.ORGANISATION, "parent": None,
                                "aliases": content.UNITS[0]["aliases"]}
    for office in ("党政综合办公室", "经济发展办公室", "综合行政执法办公室", "财政所", "农业农村办公室",
                   "农业综合服务中心", "公共服务办公室", "公共服务中心", "司法所"):
        assert office in names
    villages = [unit for unit in content.UNITS if unit["parent"] == content.VILLAGE_GROUP]
    assert len(villages) >= 3


def test_every_topic_has_a_default_rule_and_keyword_rules_stay_in_band():
    assert len(content.TOPICS) == 7
    assert {rule["topic"] for rule in content.TOPIC_RULES} == set(content.TOPICS)
    assert all(rule["priority"] == 10 for rule in content.TOPIC_RULES)
    assert all(50 <= rule["priority"] <= 80 for rule in content.KEYWORD_RULES)
    assert all(rule["priority"] < 10 for rule in content.LOCATION_RULES)


def test_users_cover_every_role_and_the_busiest_units():
    roles = Counter(user["role"] for user in content.USERS)
    assert roles["operator"] == roles["supervisor"] == roles["admin"] == 1
    assert 5 <= roles["unit"] <= 6
    usernames = {user["username"] for user in content.USERS}
    assert {"operator", "supervisor", "admin"} <= usernames


def test_messages_cover_channels_request_types_and_urgency():
    messages = content.MESSAGES
    assert len(messages) >= 66
    assert {m["channel"] for m in messages} == set(content.CHANNELS)
    assert {m["request_type"] for m in messages if "request_type" in m} == set(content.REQUEST_TYPES)
    omitted = sum("request_type" not in m for m in messages)
    assert len(messages) // 5 <= omitted <= len(messages) // 2
    assert sum(m.get("urgency") == "urgent" for m in messages) >= 3
    assert all(30 <= len(m["content"]) <= 400 for m in messages)


def test_messages_follow_channel_conventions():
    for message in content.MESSAGES:
        prefix = {"hotline": ("GD2026",), "mailbox": ("XJ",), "newmedia": ("wx-", "wb-", "dy-")}
        assert message["external_id"].startswith(prefix[message["channel"]])
        assert isinstance(message.get("consent_public"), bool)
    newmedia = [m for m in content.MESSAGES if m["channel"] == "newmedia"]
    assert {m["meta"]["platform"] for m in newmedia} == set(content.PLATFORMS)
    ages = [m["age_hours"] for m in content.MESSAGES]
    assert min(ages) <= 1 and max(ages) >= 24 * 20


def test_expected_topics_cover_all_seven():
    assert set(content.EXPECTED_TOPICS.values()) == set(content.TOPICS)


def test_scenarios_are_what_they_claim():
    by_id = _by_id()
    assert all(by_id[ext].get("urgency") == "urgent" for ext in content.SCENARIOS["urgent"])
    assert all(by_id[ext]["request_type"] == "praise" for ext in content.SCENARIOS["praise"])
    assert by_id[content.SCENARIOS["disclosure"][0]]["request_type"] == "disclosure"
    assert "<b>" in by_id[content.SCENARIOS["html"][0]]["content"]
    first, again = (by_id[ext] for ext in content.SCENARIOS["repeat_caller"])
    assert first["citizen"]["phone"] == again["citizen"]["phone"]
    phones = Counter(m["citizen"]["phone"] for m in content.MESSAGES if m.get("citizen", {}).get("phone"))
    assert [phone for phone, n in phones.items() if n > 1] == [first["citizen"]["phone"]]
    a, b = (by_id[ext] for ext in content.SCENARIOS["near_duplicates"][:2])
    assert a["citizen"]["phone"] != b["citizen"]["phone"]
    assert all(area and all(ext in by_id for ext in ids) for area, ids in content.WATCH_AREAS.items())


def test_urgent_messages_hit_a_high_priority_rule():
    by_id = _by_id()
    for ext in content.SCENARIOS["urgent"]:
        message = by_id[ext]
        topic = content.EXPECTED_TOPICS.get(ext)
        rules = content.matching_rules(topic, message.get("title"), message["content"])
        assert rules[0]["priority"] >= 70, ext


def test_vague_messages_match_no_keyword_rule():
    by_id = _by_id()
    for ext in content.SCENARIOS["vague"]:
        message = by_id[ext]
        found = content.matching_rules(None, message.get("title"), message["content"], content.KEYWORD_RULES)
        assert found == [], (ext, [rule["name"] for rule in found])


def test_location_rules_add_the_village_as_assist():
    message = _by_id()["GD20260031852"]  # the bridge in 茅冈村
    rules = content.matching_rules("交通运输", message.get("title"), message["content"])
    assert rules[0]["lead"] == "经济发展办公室"
    assert any("茅冈村委会" in rule["assist"] for rule in rules)


def test_validate_reports_broken_content(monkeypatch):
    broken = [dict(content.MESSAGES[0]), dict(content.MESSAGES[0], content="x" * 20_001)]
    monkeypatch.setattr(content, "MESSAGES", broken)
    monkeypatch.setattr(content, "USERS", [dict(content.USERS[0], role="unit", unit="不存在的办")])
    problems = content.validate()
    assert any("重复" in p for p in problems)
    assert any("20000" in p for p in problems)
    assert any("不存在的办" in p for p in problems)
