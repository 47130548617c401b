"""Cue-word analysis: request type, risk flags, urgency and watch-list tags.

Every lexicon is plain data (module-level dicts of regular-expression strings) so that a later
admin feature can extend it; patterns are compiled on first use and cached by content. A cue
preceded in the same clause by an existence negation ("没有煤气泄漏", "未发现", "不是投诉") does not
count. That is all the negation handling there is: hypotheticals ("万一起火") and negations after
the cue ("煤气泄漏已处理") still count, which errs on the side of raising a flag.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import re
from functools import lru_cache

log = logging.getLogger(__name__)

#: Bump whenever a lexicon below changes (tests pin a fingerprint of the data to remind you).
LEXICON_VERSION = "lexicon-3"

REQUEST_TYPES = ("consult", "help", "complaint", "report", "suggestion", "praise", "disclosure")
URGENCIES = ("normal", "urgent")
DEFAULT_REQUEST_TYPE = "complaint"  # most messages with no explicit cue are grievances (投诉)
DEFAULT_CONFIDENCE = 0.3
TITLE_WEIGHT = 2.0  # titles name the request outright ("投诉……", "建议……", "咨询……")

# Lexicon tables stay dense (several cues a line); the formatter leaves them alone.
# fmt: off
#: Cue pattern → weight, per request type (咨询 求助 投诉 举报 建议 表扬 依申请公开).
REQUEST_TYPE_CUES: dict[str, dict[str, float]] = {
    "consult": {
        r"请问": 2, r"咨询": 2, r"(怎么|怎样|如何)(办理|申请|报名|缴纳|查询|认定|补办|转移|领取)": 3,
        r"(怎么|怎样|如何)办(?![啊呀呢！!])": 1, r"何时|什么时候|多长时间|多久(?!了)": 1,
        r"(吗|呢)[？?]": 1, r"请(告知|答复|解答|回复)": 1.5, r"(哪些|哪里|哪个|哪所)": 0.5,
        r"需要(哪些|什么)(材料|手续|证件|条件)": 3, r"(去|在)哪里?(办理|办|申请)": 2, r"流程": 1,
        r"是否": 0.5, r"能否|能不能|可不可以|可否": 1, r"有没有.{0,10}政策": 2, r"想(了解|知道|问问?)|了解一下": 1.5,
    },
    "help": {
        r"求助": 3, r"请?帮帮|帮帮我|帮帮忙|救救": 3, r"走投无路|无依无靠|无家可归": 2,
        r"(生活|家庭|经济)困难": 1.5, r"求求": 2, r"看不起病|揭不开锅": 2,
        r"救助|资助|帮扶|补助": 1, r"丧失(了)?劳动能力|重病|绝症|瘫痪|残疾": 1, r"救救|救.{0,4}于水火": 2,
    },
    "complaint": {
        r"投诉": 3, r"多次(反映|投诉|反应|举报)|反映(多次|了很多次)": 2,
        r"没人管|无人管|不管不问|不作为|推诿|踢皮球": 2, r"扰民": 2, r"乱收费|态度(恶劣|差)": 2,
        r"(强烈)?不满": 1, r"反映.{0,12}问题": 1.5, r"严重影响|影响.{0,6}(生活|休息|出行|健康|安全)": 1.5,
        r"(尽快|早日)(解决|处理|整治|修复|维修)": 1,
        r"不合理|不公平|不公正|不规范|不到位": 1.5, r"无果|未果|石沉大海|没有(任何)?(回应|下文|结果)|迟迟": 1.5,
        r"(怎么|为什么|为何)(这么|那么|就这么|还是|总是)": 1.5, r"是否合理|是否合法|合理吗|合法吗|凭什么": 1.5,
        r"^(再次)?反映|再次反映|强烈要求|质疑|反对": 1.5, r"欺骗|欺诈|霸王|强制|强行|刁难|噪音|噪声|污染": 1,
    },
    "report": {
        r"举报(?!给|到|过|至|了)": 4, r"(请|要求|严肃|依法)?查处": 2, r"滥用职权|以权谋私|徇私舞弊|冒领|骗取|侵吞": 2,
        r"违法|非法": 1.5, r"违规|违章": 1, r"偷排|偷倒|私排": 2, r"贪污|受贿|腐败|行贿": 2,
        r"私搭乱建|违建|黑作坊|传销": 1.5,
    },
    "suggestion": {
        r"建议": 2.5, r"提议|献计|金点子": 2, r"希望.{0,6}(增设|开通|设置|增加|修建|出台|延长|改为)": 2,
        r"增设": 1.5, r"可否考虑|能否考虑|是否可以考虑": 2, r"呼吁": 2,
        r"希望.{0,12}(早日|加快|尽早)?(增设|开通|设置|增加|修建|修|建设|出台|延长|改为|改建|改造|规划|取消|废除|放开|允许)": 2,
        r"(请|恳请|请求).{0,8}(增设|开通|修建|改造|出台|废除|取消|放开|允许)": 1.5,
    },
    "praise": {
        r"表扬": 4, r"点赞": 3, r"锦旗|赞扬|称赞|致敬": 3, r"致谢|(感激|感谢).{0,12}(帮助|解决了|关心|付出)": 2,
        r"感谢(?!.{0,6}(百忙|回复|关注|重视|阅读|倾听|理解|支持|审阅))": 1, r"辛苦了": 1,
    },
    "disclosure": {
        r"依申请公开": 6, r"政府信息公开申请|信息公开申请": 6, r"申请公开": 5, r"申请.{0,8}公开": 3,
    },
}
# Ties go to the more specific request type.
_PRECEDENCE = ("disclosure", "report", "praise", "suggestion", "help", "consult", "complaint")

#: Risk flags: any affirmed cue raises the flag.
RISK_CUES: dict[str, list[str]] = {
    "self_harm": [
        r"轻生", r"不想活", r"活不下去", r"跳楼(?!价)", r"跳河", r"(?<!慢性)自杀", r"寻死(?!觅活)", r"喝农药",
        r"一死了之", r"结束(自己的)?生命", r"想不开", r"以死(亡)?(来)?(相逼|明志|抗争|解脱|谢罪)",
        r"寻短见", r"了结(自己|生命|此生)", r"(?<!吓)想死|求死|死了算了|去死", r"(跳|喝|吃)[^，。]{0,4}(楼|河|药)[^，。]{0,4}(算了|了结)",
    ],
    "violence": [
        r"(我|我们|就|要|会|去)[^，。！？]{0,4}报复(?!核|查)|报复社会", r"同归于尽", r"砍人", r"砍死",
        r"(?<!变相)(?<!变相的)杀人(?!于无形|凶手|犯|者|案)", r"杀了(他|她|你)", r"弄死", r"(?<!使)(用|拿|买|带|绑)炸药", r"炸掉", r"炸死",
        r"炸了(他|它|你)", r"放火烧", r"泼汽油",
        # violence done or threatened: beatings, weapons, gangs, threats to life
        r"殴打|暴打|毒打|围殴|群殴|斗殴|痛打|追打|行凶|伤人|施暴|暴力(威胁|恐吓|抗法|拆迁|催收|驱赶|殴打|执法)",
        r"(?<![拨攻拍敲])打(了)?(我|他|她|我们|业主|村民|老人|母亲|父亲|妻子|老婆|儿子|女儿|孩子|人|伤|断|成重伤|死)",
        r"(砍|捅|刺|打)(伤|死)|重伤|致残|头破血流|血流满面|流血事件|血案|命案",
        r"持刀|拿刀|提刀|菜刀|砍刀|棍棒|铁棍|钢管|凶器|放狗|纵狗",
        r"(黑社会|恶势力|打手|地痞|流氓|村霸|混混)[^。！？]{0,20}(打|威胁|恐吓|砸|伤|围攻|逼)",
        r"(威胁|恐吓|扬言|放话|叫嚣|声称)[^。！？]{0,12}(打|杀|弄死|砍|报复|要.{0,3}命|废了|放火|炸)",
        r"(死亡|生命|人身)威胁|威胁[^，。]{0,6}(生命|人身|安全|家人)|恐吓|人身安全[^，。]{0,4}(威胁|危险|没有保障|得不到)",
        r"绑架|劫持|非法拘禁|以命相(拼|搏)|强奸|强暴|打砸|打打杀杀|肢体冲突|(发生|引发|爆发)[^，。]{0,4}冲突",
        r"被[^，。]{0,4}打(了|得|的|伤|成|倒|死|晕)|打(得|的)半死|威吓|武力[^，。]{0,4}(威胁|相逼|恐吓)|路霸|车匪",
        r"(采取|做出|发生)[^，。]{0,4}(过激|极端)|过激(行为|行动)|极端(行为|行动|手段)",
    ],
    "mass_petition": [
        r"(要|将|会|准备|打算|只能|只好|只有|被迫|不得不|集体|联名|进京|越级|组织|去|到|前往)[^，。！？]{0,10}上访", r"集体维权", r"群体性事件", r"(拉|打|挂)(横幅|条幅)", r"围堵", r"静坐",
        r"(村民|群众|居民|业主|工人|农民工|集体|百人|十人).{0,4}(堵路|堵门|堵大门)",
        r"(要|将|准备|打算|去|集体)[^，。！？]{0,4}(堵路|堵门|堵政府|堵大门|封路)",
        r"聚集.{0,6}(讨说法|维权|抗议|讨薪)", r"(到|在).{0,8}(政府|信访局|市委|省委|区委|县委).{0,4}聚集",
        r"群体(性)?事件|群访|集访|集体(访|信访|请愿)|(集体|联名)[^，。！？]{0,10}(进京|赴京|到省|去省|赴省)|告到(北京|中央)",
        r"(挂|拉|打|举|悬挂)[^，。]{0,4}(横幅|条幅|标语|白布|白旗|抗议)", r"示威|游行|对峙|骚乱|暴乱|暴动|(在|到)[^，。]{0,8}(政府|市委|区委|县委|信访)[^，。]{0,4}维权|抗议(活动|行动)|(集体|联合|现场)抗议",
        r"(?<!车)(?<!车辆)(堵|围堵)(路|门|大门|住大门|了大门|政府|售楼部|售楼处|路口)(?!口)",
        r"(集体|全体|群体)[^，。]{0,4}维权|维权(行动|活动)",
    ],
    "public_safety": [
        r"(煤气|燃气|天然气|液化气)(泄漏|泄露|漏气)", r"(煤气|燃气|天然气)味", r"坍塌", r"塌方", r"倒塌",
        r"塌陷", r"火灾隐患", r"起火", r"着火", r"失火", r"漏电", r"危房(?!改造)", r"爆炸",
        r"随时(可能|会)(倒|塌|掉)",
        # things falling, giving way or catching fire, and what endangers life right now
        r"垮塌|崩塌|塌落|滑坡|泥石流|溃坝|决堤|溃堤|管涌",
        r"(随时|随时都|极易|极有可能)[^，。]{0,6}(倒塌|垮塌|坍塌|崩塌|塌|滑坡|溃)",
        r"(开裂|裂缝|裂开|下沉|沉降|倾斜)[^。！？]{0,20}(倒塌|垮塌|坍塌|危险|危及|随时)|(倒塌|垮塌|坍塌|危险|危及|随时)[^。！？]{0,20}(开裂|裂缝|裂开|下沉|沉降|倾斜)",
        r"高空(坠物|抛物)|砸(伤|死|中)", r"电梯[^，。]{0,12}(坠|下坠|溜梯|冲顶|突然下|失控|困人|关人|夹人)",
        r"(燃气|煤气|天然气)(管|管道|管线)?[^，。]{0,6}(漏|泄)|闻到[^，。]{0,6}(煤气|燃气|天然气)",
        r"危化品|危险化学品|易燃易爆|剧毒|氰化|甲醇", r"(油罐车|槽罐车)[^，。]{0,10}(停|泄漏|漏油|加油)",
        r"(重大|严重|极大)的?(消防|火灾)(安全)?隐患|(锁|堵|封)[^，。]{0,6}(安全出口|逃生门|逃生通道)|(安全出口|逃生门|逃生通道)[^，。]{0,6}(锁|堵|封)",
        r"(电线|电缆|线路)[^，。]{0,10}(冒火|起火|冒烟|火花)|电死",
        r"(下沉|沉降)[^。！？]{0,8}(开裂|裂缝)|(开裂|裂缝)[^。！？]{0,8}(下沉|沉降|倾斜)|(楼|房|墙|塔|电杆|电线杆)[^，。]{0,4}(倾斜|歪斜|外倾)",
        r"电梯[^。！？]{0,16}(掉|降|滑|坠)了?(\d+|[一二两三四五六七八九十几好])(层|楼)|电梯[^。！？]{0,16}(从|由)\d+楼[^，。]{0,4}(掉|降|滑|坠)|(梁|柱|钢筋|承重墙|阳台)[^，。]{0,6}(断裂|断了|锈断)",
        r"深坑|天坑|(坑|洞)[^，。]{0,10}(事故|翻车|摔倒|摔伤|掉进|陷入)|桥(面|上)[^，。]{0,8}(洞|窟窿|塌)",
        r"井盖[^，。]{0,6}(丢|缺|没|不见|破|塌|翻|松)|无井盖|(掉|摔|跌|坠)(进|入|下)[^，。]{0,4}(坑|洞|井|河|沟)",
        r"人命关天|危及[^，。]{0,8}(生命|人身)|生命(安全)?[^，。]{0,4}(危险|威胁|堪忧)|出人命|命悬一线|(不顾|威胁|危及|危害)[^，。]{0,10}生命|随时(可能)?(出|发生)(事|事故|人命)",
        r"(水库|大坝|堤坝|河堤|坝体|堤防)[^，。]{0,10}(渗漏|漏水|裂|垮|溃|险情|决口)",
    ],
    "utility_outage": [
        r"停水|停电|断水|断电", r"没(有)?(水|电)(用|喝|吃)?|无水|无电|(吃|用|喝)不上水",
        r"(无法|不能)(正常)?(用水|供水|用电|供电)",
    ],
    "wage_arrears": [
        r"拖欠.{0,12}(工资|薪资|薪水|工钱|劳务费)", r"(工资|薪资|薪水|工钱).{0,6}(拖欠|未发|没发|不发|未付)",
        r"讨薪", r"欠薪", r"(讨要|追讨)(工资|工钱)",
    ],
}
#: How people read each risk flag (an admin's new flag shows its code).
RISK_LABELS = {"self_harm": "自伤自杀", "violence": "暴力威胁", "mass_petition": "群体上访/堵路",
               "public_safety": "公共安全险情", "utility_outage": "大面积停水停电", "wage_arrears": "拖欠工资"}
#: Flags that count only when the same sentence also matches one of these (scope of an outage).
RISK_CONTEXT: dict[str, list[str]] = {
    "utility_outage": [
        r"整栋|整幢|全楼|全小区|整个小区|全村|整个村|全镇|整条街|片区", r"(几|上|数)百户|\d{2,}户|多户",
        r"([两三四五六七八九十几多半]|\d+)(个)?(天|日|周|星期|月|年)|一周|一个?星期|多日|数日|至今|(每|整)(天|晚|夜)|天天|日日",
        r"经常|频繁|多次|反复|屡次|时常|三天两头|总是|常常|动不动|(\d+|[两三四五六七八九十几多])(个)?小时|(\d+|[两三四五六七八九十几])栋",
    ],
}
#: A cue occurrence does not count when one of these matches the few characters around it (the
#: cue plus RISK_EXCLUDE_WINDOW characters either side): past events told as history ("多次上访",
#: "上访过"), someone else's past death ("自杀身亡"), figures of speech ("像爆炸一样").
RISK_EXCLUDE: dict[str, list[str]] = {
    "*": [r"新闻|报道|据报|媒体|电视上|网上看到"],
    "violence": [r"(被|遭|遭到|受到|怕|担心|害怕|防止|打击|徇私|挟私|私下)[^，。]{0,3}报复",
                 r"扫黑|除恶|打击[^，。]{0,4}(黑|恶|犯罪)|专项斗争|涉黑|涉恶"],
    "self_harm": [r"身亡|事件|自杀率|现象|案例|去世", r"(他|她|学生|员工|职工|有人)[^，。]{0,4}(自杀|跳楼|跳河|喝农药)"],
    "mass_petition": [
        r"(多次|屡次|曾经?|一直|反复|数次|几次|多年|长期|常年|历年|多方|之前|以前|当年|当时)[^，。！？]{0,8}上访",
        r"(不要|不准|不许|不让|阻止|禁止|劝阻|克制)[^，。]{0,6}上访",
        r"上访(过|多次|多年|无果|未果|至今|户|对象|人员|事件|件|信|材料|记录)|(信访|上访)[^，。]{0,3}(部门|局|办|接待)",
    ],
    "public_safety": [r"(像|如同|好像|似|宛如)[^，。]{0,6}(爆炸|坍塌|倒塌)", r"危房(鉴定|改造|补贴|指标)"],
}
RISK_EXCLUDE_WINDOW = 8
#: Flags that make a message urgent (紧急). wage_arrears is watched, not urgent; utility_outage only
#: counts at all with a scope (many households, several days: RISK_CONTEXT), so it is urgent.
URGENT_FLAGS = frozenset({"self_harm", "violence", "mass_petition", "public_safety", "utility_outage"})

#: Watch-list areas (重点领域) of the 政务公开工作要点, as tags.
WATCH_TAGS: dict[str, list[str]] = {
    "疫情防控": [
        r"疫情", r"新冠", r"核酸", r"隔离", r"防疫", r"健康码|行程码", r"封控|封闭管理", r"确诊|密接",
    ],
    "房地产金融": [
        r"房地产|开发商|楼盘", r"烂尾", r"交房|购房|商品房", r"房贷|按揭|公积金贷款",
        r"网签|不动产(权)?证|房产证", r"非法集资|集资|理财|P2P|暴雷|爆雷", r"银行|贷款|金融",
    ],
    "工资拖欠": RISK_CUES["wage_arrears"],
    "环境污染和生态破坏": [
        r"污染", r"排污|偷排|直排|乱排", r"废水|污水|废气|黑烟|粉尘|扬尘", r"噪音|噪声",
        r"油烟|异味|臭味|恶臭", r"毁林|乱砍|滥伐|非法采砂|非法采矿|填湖|生态破坏", r"垃圾焚烧|焚烧垃圾",
    ],
    "食品药品安全": [
        r"食品安全|食品卫生", r"过期|变质|发霉", r"地沟油|假药|劣药|假冒伪劣", r"食物中毒", r"三无产品",
        r"农药残留|添加剂|保健品",
    ],
    "教育医疗养老": [
        r"学校|学生|老师|教师|幼儿园|入学|招生|学位", r"医院|医生|看病|就医|医保|医疗",
        r"养老|敬老院|退休金|老年人",
    ],
    "安全生产": [
        r"安全生产|安全隐患|安全事故", r"煤矿|矿山|尾矿", r"危化品|危险化学品|易燃易爆",
        r"违规作业|施工安全|脚手架", r"特种设备|电梯(故障|事故|困人)", r"消防(隐患|通道|设施)",
    ],
    "困难群众生活": [
        r"低保|五保|特困|孤寡", r"困难(家庭|群众|户)|生活困难|贫困", r"残疾", r"救助", r"廉租房|公租房",
    ],
    "小区物业管理": [
        r"物业", r"业委会|业主委员会", r"维修(基|资)金", r"小区.{0,6}(管理|电梯|停车|绿化|门禁|保安)",
    ],
}
# fmt: on

# An existence negation at most two characters before the cue ("没有发生煤气泄漏", "未发现"), same clause.
NEGATION = r"(没有|没|未|不是|并非|不存在|排除|无(?![法奈数论视辜证良理]))[^，。！？；,.!?;\s]{0,2}$"
# Look-alikes that negate nothing: "没人管" (nobody acts), "没想到", "不是第一次", "未来三天".
NOT_NEGATION = r"没有?人|无人|没想到|没办法|没法|不是(第一|一两|一次)|未来|未成年"


@lru_cache(maxsize=256)
def _compiled(patterns: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@lru_cache(maxsize=1)
def _negation() -> re.Pattern:
    return re.compile(NEGATION)


def _negated(text: str, start: int) -> bool:
    before = _compiled((NOT_NEGATION,)).sub("某某", text[max(0, start - 10) : start])
    return _negation().search(before) is not None


def affirmed(patterns, text: str) -> list[re.Match]:
    """Return the matches of any of the patterns in text that are not negated."""
    if not patterns or not text:
        return []
    return [m for m in _compiled(tuple(patterns)).finditer(text) if not _negated(text, m.start())]


def _sentence_around(text: str, match: re.Match) -> str:
    start = max(text.rfind(c, 0, match.start()) for c in "。！？!?\n；;") + 1
    ends = [i for i in (text.find(c, match.end()) for c in "。！？!?\n；;") if i >= 0]
    return text[start : min(ends, default=len(text))]


def request_type_cues(content: str, title: str | None = None) -> dict[str, tuple[float, float]]:
    """The weight of each request type's affirmed cues, (in the content, in the title), by type."""
    return {kind: (_cue_weight(cues, content), _cue_weight(cues, title)) for kind, cues in REQUEST_TYPE_CUES.items()}


def _cue_weight(cues: dict[str, float], text: str | None) -> float:
    if not text or not _compiled(tuple(cues)).search(text):
        return 0.0  # one scan for the whole table first: most texts hold no cue of most types
    return sum(w for p, w in cues.items() if affirmed([p], text))


def request_type(content: str, title: str | None = None, cues: dict | None = None) -> tuple[str, float]:
    """Infer the request type from cue words alone, with a heuristic confidence in [0.3, 0.95].

    The confidence is the winner's share of all cue weight (plus one for "no cue"); with no cue at all
    it is (DEFAULT_REQUEST_TYPE, DEFAULT_CONFIDENCE). `cues` is `request_type_cues(content, title)` when
    the caller has it already. The analysis weighs these cues with a model (`request_types`).
    """
    cues = request_type_cues(content, title) if cues is None else cues
    scores = {kind: body + TITLE_WEIGHT * head for kind, (body, head) in cues.items()}
    total = sum(scores.values())
    if total <= 0:
        return DEFAULT_REQUEST_TYPE, DEFAULT_CONFIDENCE
    best = max(_PRECEDENCE, key=lambda k: (scores.get(k, 0), -_PRECEDENCE.index(k)))
    return best, round(min(0.95, max(DEFAULT_CONFIDENCE, scores[best] / (total + 1))), 3)


def _excluded(flag: str, text: str, match: re.Match) -> bool:
    patterns = tuple(RISK_EXCLUDE.get("*", [])) + tuple(RISK_EXCLUDE.get(flag, []))
    if not patterns:
        return False
    window = text[max(0, match.start() - RISK_EXCLUDE_WINDOW) : match.end() + RISK_EXCLUDE_WINDOW]
    return _compiled(patterns).search(window) is not None


def risk_flags(text: str) -> list[str]:
    """Return the risk flags raised by the text, in the order of RISK_CUES."""
    flags = []
    for flag, cues in RISK_CUES.items():
        context = RISK_CONTEXT.get(flag)
        # Cue by cue: Python's re scans one pattern with its literal prefix far faster than an alternation of all.
        if any(
            not _excluded(flag, text, match)
            and (not context or _compiled(tuple(context)).search(_sentence_around(text, match)))
            for cue in cues
            for match in affirmed([cue], text)
        ):
            flags.append(flag)
    return flags


def urgency(flags: list[str], given: str | None = None) -> str:
    """Return "urgent" if given so or if any flag is urgent; analysis never lowers a given urgency."""
    if given is not None and given not in URGENCIES:
        raise ValueError(f"unknown urgency {given!r}; expected one of {', '.join(URGENCIES)}")
    if given == "urgent" or URGENT_FLAGS.intersection(flags):
        return "urgent"
    return "normal"


def tags(text: str) -> list[str]:
    """Return the watch-list areas (重点领域) the text touches, in the order of WATCH_TAGS."""
    return [tag for tag, cues in WATCH_TAGS.items() if any(affirmed([cue], text) for cue in cues)]


def _extend_into(tables: dict, kind: str, words, weight: float, regex: bool, urgent: bool | None) -> None:
    """Add cue words to `tables` ({"request", "risk", "exclude", "tag": dicts, "urgent": set}) in place."""
    table, _, name = kind.partition(":")
    if not name:
        raise ValueError(f"kind must look like 'risk:self_harm', got {kind!r}")
    patterns = [w if regex else re.escape(w) for w in ([words] if isinstance(words, str) else words) if w]
    for pattern in patterns:
        re.compile(pattern)  # reject a broken pattern before it reaches the shared tables
    if table == "request":
        if name not in REQUEST_TYPES:
            raise ValueError(f"unknown request type {name!r}")
        tables["request"].setdefault(name, {}).update(dict.fromkeys(patterns, weight))
    elif table in ("risk", "exclude", "tag"):
        target = tables[table]
        existing = target.setdefault(name, [])
        if table == "tag" and existing is tables["risk"].get("wage_arrears"):
            existing = target[name] = list(existing)  # a shared list: do not extend both
        existing.extend(p for p in patterns if p not in existing)
        if table == "risk" and urgent is not None:
            (tables["urgent"].add if urgent else tables["urgent"].discard)(name)
    elif table == "untag":
        tables["tag"].pop(name, None)  # an admin retires a watch-list area
    else:
        raise ValueError(f"unknown lexicon {table!r}; expected request, risk, exclude, tag or untag")


def _tables() -> dict:
    return {"request": REQUEST_TYPE_CUES, "risk": RISK_CUES, "exclude": RISK_EXCLUDE, "tag": WATCH_TAGS,
            "urgent": set(URGENT_FLAGS)}


def extend(kind: str, words, *, weight: float = 2.0, regex: bool = False, urgent: bool | None = None) -> None:
    """Add cue words to a lexicon at run time (an admin's extension); words are literal unless regex.

    kind is "request:<type>" (one of REQUEST_TYPES; each word gets weight), "risk:<flag>" (an existing
    or new risk flag; urgent=True/False adds it to or removes it from URGENT_FLAGS, new flags default
    to not urgent), "exclude:<flag>" (or "exclude:*": look-alikes that cancel a risk cue nearby),
    "tag:<watch-list area>" or "untag:<area>" (drop an area). The fingerprint changes, so
    `current_version()` changes with it: analyses made after an extension can be told from the shipped ones.
    """
    global URGENT_FLAGS
    tables = _tables()
    _extend_into(tables, kind, words, weight, regex, urgent)
    URGENT_FLAGS = frozenset(tables["urgent"])
    _changed()


def apply(entries) -> None:
    """Make the lexicons the shipped ones plus `entries` (kind, words, weight, regex, urgent), swapped in at once.

    Entries that no longer compile are skipped (logged), so one bad row cannot stop analysis.
    """
    global REQUEST_TYPE_CUES, RISK_CUES, RISK_EXCLUDE, WATCH_TAGS, URGENT_FLAGS
    request, risk, exclude, tag, urgent = copy.deepcopy(_SHIPPED)
    tables = {"request": request, "risk": risk, "exclude": exclude, "tag": tag, "urgent": set(urgent)}
    for kind, words, weight, regex, urgent_flag in entries:
        try:
            _extend_into(tables, kind, words, weight, regex, urgent_flag)
        except (ValueError, re.error) as exc:
            log.warning("lexicon entry %s %r skipped: %s", kind, words, exc)
    REQUEST_TYPE_CUES, RISK_CUES, RISK_EXCLUDE, WATCH_TAGS = request, risk, exclude, tag
    URGENT_FLAGS = frozenset(tables["urgent"])
    _changed()


def _changed() -> None:
    global _version
    _version = None


def current_version() -> str:
    """LEXICON_VERSION, plus the fingerprint when the lexicons differ from the shipped ones (extended)."""
    global _version
    if _version is None:  # cached: analysis asks for it on every message
        current = fingerprint()
        _version = LEXICON_VERSION if current == SHIPPED_FINGERPRINT else f"{LEXICON_VERSION}+{current}"
    return _version


def fingerprint() -> str:
    """Return a short hash of every lexicon, so a change without a version bump can be caught."""
    data = [
        REQUEST_TYPE_CUES,
        RISK_CUES,
        RISK_CONTEXT,
        RISK_EXCLUDE,
        RISK_EXCLUDE_WINDOW,
        sorted(URGENT_FLAGS),
        WATCH_TAGS,
        NEGATION,
        NOT_NEGATION,
        DEFAULT_REQUEST_TYPE,
        DEFAULT_CONFIDENCE,
        TITLE_WEIGHT,
    ]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:12]


#: The fingerprint of the lexicons as shipped with LEXICON_VERSION (before any `extend`).
SHIPPED_FINGERPRINT = fingerprint()
# The shipped tables, copied once (the wage-arrears list stays shared between RISK_CUES and WATCH_TAGS).
_SHIPPED = copy.deepcopy((REQUEST_TYPE_CUES, RISK_CUES, RISK_EXCLUDE, WATCH_TAGS, URGENT_FLAGS))
_version: str | None = None
