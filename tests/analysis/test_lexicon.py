import pytest

from responder.analysis import lexicon

# Change this only together with lexicon.LEXICON_VERSION: stored analyses carry the version.
LEXICON_3_FINGERPRINT = "343fc2b15b18"


def test_lexicon_changes_come_with_a_version_bump():
    assert lexicon.LEXICON_VERSION == "lexicon-3"
    assert lexicon.fingerprint() == LEXICON_3_FINGERPRINT, (
        "a lexicon changed: bump LEXICON_VERSION and update LEXICON_3_FINGERPRINT here"
    )


@pytest.mark.parametrize(
    ("content", "title", "expected"),
    [
        ("请问办理居住证需要哪些材料？在哪里办理？", None, "consult"),
        ("我想咨询一下，孩子入学怎么办理？", None, "consult"),
        ("我家老人重病，家里实在困难，请帮帮我们！", None, "help"),
        ("楼下烧烤店每晚油烟扰民，多次反映没人管。", None, "complaint"),
        ("我要投诉某某公司乱收费。", None, "complaint"),
        ("举报某化工厂夜间偷排废水，请环保部门查处。", None, "report"),
        ("建议在学校门口增设红绿灯，保障学生安全。", None, "suggestion"),
        ("希望增设一条公交线路到高铁站。", None, "suggestion"),
        ("感谢社区工作人员的帮助，特此表扬，为他们点赞！", None, "praise"),
        ("本人依申请公开某项目的环评报告。", None, "disclosure"),
        ("现提交政府信息公开申请，请公开2023年道路维修经费。", None, "disclosure"),
        ("小区门口的路灯坏了，晚上很黑。", "投诉小区路灯", "complaint"),
    ],
)
def test_request_type_from_cues(content, title, expected):
    kind, confidence = lexicon.request_type(content, title)
    assert kind == expected
    assert 0.0 <= confidence <= 1.0


def test_no_cue_defaults_to_complaint_with_low_confidence():
    assert lexicon.request_type("测试") == (lexicon.DEFAULT_REQUEST_TYPE, lexicon.DEFAULT_CONFIDENCE)
    assert lexicon.DEFAULT_REQUEST_TYPE == "complaint" and lexicon.DEFAULT_CONFIDENCE <= 0.35


def test_title_cue_outweighs_a_weak_body_cue():
    kind, _ = lexicon.request_type("这种做法是否合理？", title="投诉某物业公司")
    assert kind == "complaint"


def test_polite_thanks_is_not_praise():
    kind, _ = lexicon.request_type("感谢您在百忙之中阅读此信。小区垃圾堆积严重影响生活。")
    assert kind == "complaint"


def test_negated_request_cue_does_not_count():
    kind, _ = lexicon.request_type("这不是投诉，我想提个建议：增设几个公交站。")
    assert kind == "suggestion"


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("实在没办法了，再不解决我就跳楼。", "self_harm"),
        ("我真的不想活了。", "self_harm"),
        ("逼急了我就和他同归于尽。", "violence"),
        ("明天我们全村人去市政府拉横幅。", "mass_petition"),
        ("业主们准备集体维权。", "mass_petition"),
        ("楼道里燃气泄漏，味道很大。", "public_safety"),
        ("这栋楼是危房，随时可能倒塌。", "public_safety"),
        ("老旧小区线路漏电，存在火灾隐患。", "public_safety"),
        ("全小区停水三天了，没人通知。", "utility_outage"),
        ("整栋楼停电，电梯也停了。", "utility_outage"),
        ("包工头拖欠我们二十多个农民工的工资半年了。", "wage_arrears"),
        ("年底讨薪无门。", "wage_arrears"),
    ],
)
def test_risk_flags_from_cues(text, flag):
    assert flag in lexicon.risk_flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "经检查没有煤气泄漏，请放心。",
        "现场未发现燃气泄漏。",
        "公司没有拖欠工资。",
        "不存在危房问题。",
        "今天上午停水了一会儿。",  # an outage, but nothing says it is widespread or long
        "商场搞跳楼价大甩卖。",
        "我们担心被打击报复，不敢实名。",
        "申请危房改造补贴一直没有下文。",
    ],
)
def test_no_flag_for_negated_or_harmless_mentions(text):
    assert lexicon.risk_flags(text) == []


def test_negation_look_alikes_still_flag():
    assert "public_safety" in lexicon.risk_flags("燃气管道老化，没人管，煤气泄漏好几次了。")
    assert "utility_outage" in lexicon.risk_flags("这已经不是第一次停水三天了。")
    assert "utility_outage" in lexicon.risk_flags("未来三天全小区停电。")


def test_negation_is_per_clause():
    assert "public_safety" in lexicon.risk_flags("没有人来检查，现在又有煤气泄漏。")
    assert "public_safety" in lexicon.risk_flags("物业说没有问题，可是燃气泄漏还在继续。")


@pytest.mark.parametrize(
    ("flags", "given", "expected"),
    [
        ([], None, "normal"),
        ([], "normal", "normal"),
        ([], "urgent", "urgent"),
        (["public_safety"], "normal", "urgent"),
        (["self_harm"], None, "urgent"),
        (["violence"], None, "urgent"),
        (["mass_petition"], None, "urgent"),
        (["wage_arrears"], None, "normal"),
        (["utility_outage"], "normal", "urgent"),
        (["wage_arrears", "utility_outage"], "urgent", "urgent"),
    ],
)
def test_urgency_raised_by_flags_never_lowered(flags, given, expected):
    assert lexicon.urgency(flags, given) == expected


def test_unknown_given_urgency_is_rejected():
    with pytest.raises(ValueError, match="urgency"):
        lexicon.urgency([], "very")


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("小区要求每天做核酸，隔离点条件差。", "疫情防控"),
        ("开发商延期交房，楼盘烂尾。", "房地产金融"),
        ("老板拖欠工资三个月。", "工资拖欠"),
        ("化工厂排污，河水被污染。", "环境污染和生态破坏"),
        ("超市卖过期食品。", "食品药品安全"),
        ("孩子上幼儿园难，学位不够。", "教育医疗养老"),
        ("工地脚手架搭建不规范，存在安全隐患。", "安全生产"),
        ("低保户生活困难，申请救助。", "困难群众生活"),
        ("物业不作为，业委会选举被操纵。", "小区物业管理"),
    ],
)
def test_watch_list_tags(text, tag):
    assert tag in lexicon.tags(text)


def test_tags_and_flags_are_empty_for_plain_text():
    assert lexicon.tags("测试") == []
    assert lexicon.risk_flags("测试") == []


def test_lexicons_are_extendable_data(monkeypatch):
    monkeypatch.setitem(lexicon.RISK_CUES, "animal_attack", [r"恶犬扑人"])
    assert "animal_attack" in lexicon.risk_flags("小区有恶犬扑人。")
    monkeypatch.setitem(lexicon.WATCH_TAGS, "养犬管理", [r"养犬|遛狗"])
    assert "养犬管理" in lexicon.tags("有人遛狗不牵绳。")


@pytest.mark.parametrize(
    ("content", "title", "expected"),
    [
        ("请问新生儿落户需要哪些材料？", None, "consult"),
        ("孩子今年上小学，学位什么时候公布吗？", None, "consult"),
        ("家门口的路修了三年，怎么这么慢？多次反映无果。", None, "complaint"),
        ("路口没有红绿灯，希望早日增设信号灯。", None, "suggestion"),
        ("呼吁在小区旁修建一座公园。", None, "suggestion"),
        ("请依法查处该局长滥用职权的行为。", None, "report"),
        ("施工噪音很大，我已经举报给城管了，还是没人管。", None, "complaint"),
        ("工程款拖欠，请求处理，解决后不胜感激。", None, "complaint"),
        ("我患尿毒症丧失了劳动能力，生活困难，恳请救助。", None, "help"),
    ],
)
def test_request_type_rules_from_real_message_forms(content, title, expected):
    assert lexicon.request_type(content, title)[0] == expected


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("再不给说法，我们打算集体去市政府上访。", "mass_petition"),
        ("村民准备明天堵路讨说法。", "mass_petition"),
        ("被逼得活不下去了，我想不开。", "self_harm"),
        ("欠钱不还，我就去报复他。", "violence"),
        ("整个小区停电两天了，几百户人家没法生活。", "utility_outage"),
        ("房子墙体开裂，随时可能倒塌。", "public_safety"),
    ],
)
def test_obvious_urgent_cases_are_flagged_urgent(text, flag):
    flags = lexicon.risk_flags(text)
    assert flag in flags
    assert lexicon.urgency(flags) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "我曾多次上访，均无结果，现再次反映拆迁补偿问题。",
        "此事上访过三次，请领导重视。",
        "镇里警告我们不要上访。",
        "新闻报道某地有学生跳楼，希望学校重视心理健康。",
        "他在家中自杀身亡，已经三年了。",
        "我们担心遭到打击报复。",
        "请就申报复核渠道问题答复。",
        "夜里车流声音像爆炸一样，严重影响休息。",
        "小区门口的路灯坏了，晚上很黑。",
        "建议增设公交线路。",
    ],
)
def test_calm_messages_are_not_urgent(text):
    assert lexicon.urgency(lexicon.risk_flags(text)) == "normal"


def test_extend_adds_cues_and_changes_version(monkeypatch):
    for name in ("REQUEST_TYPE_CUES", "RISK_CUES", "RISK_EXCLUDE", "WATCH_TAGS"):
        monkeypatch.setattr(lexicon, name, {k: (dict(v) if isinstance(v, dict) else list(v))
                                             for k, v in getattr(lexicon, name).items()})
    monkeypatch.setattr(lexicon, "URGENT_FLAGS", lexicon.URGENT_FLAGS)
    monkeypatch.setattr(lexicon, "_version", None)  # the cached version is restored with the tables
    assert lexicon.current_version() == lexicon.LEXICON_VERSION
    lexicon.extend("risk:animal_attack", ["恶犬扑人"], urgent=True)
    assert lexicon.risk_flags("小区有恶犬扑人。") == ["animal_attack"]
    assert lexicon.urgency(["animal_attack"]) == "urgent"
    lexicon.extend("exclude:animal_attack", ["防止恶犬"])
    assert lexicon.risk_flags("建议防止恶犬扑人。") == []
    lexicon.extend("request:praise", ["好样的"], weight=5)
    assert lexicon.request_type("社区干部好样的")[0] == "praise"
    lexicon.extend("tag:养犬管理", "遛狗")
    assert "养犬管理" in lexicon.tags("有人遛狗不牵绳。")
    assert lexicon.current_version().startswith(lexicon.LEXICON_VERSION + "+")
    with pytest.raises(ValueError):
        lexicon.extend("request:unknown", ["x"])
    with pytest.raises(ValueError):
        lexicon.extend("nonsense", ["x"])
