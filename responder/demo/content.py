"""Demo content for `responder demo`: one town government, its units, routing rules, users and messages.

The organisation is modelled on the seed plan 开平市百合镇2021年政务公开工作要点分工方案: the town
(百合镇) and its offices — 党政综合办公室, 经济发展办公室, 综合行政执法办公室, 财政所, 农业农村办公室,
农业综合服务中心, 公共服务办公室, 公共服务中心, 司法所 — and the lead/assist splits of its rows
(e.g. 惠农资金 → 农业农村办公室 with 农业综合服务中心; 疫苗接种 → 公共服务办公室; 行政执法 →
综合行政执法办公室; 依申请公开 → 党政综合办公室) come from that plan. Everything else is invented for
the demo: the offices a town also needs to take 12345 work orders (平安法治办公室, 自然资源所,
生态环境保护办公室), the village and community committees, every person, phone number, ID number,
address, work-order number and message text. Any likeness to real people or cases is accidental.

Pure data plus a self-check (`validate`) and the matching rule stated in the contract
(`matching_rules`); standard library only, so the loader, tests and benchmarks can all import it.
Messages carry `age_hours` instead of `received_at`: the loader computes
`received_at = now - age_hours`, so a fresh demo always has new, due-soon and overdue items.
"""

from __future__ import annotations

from pathlib import Path

ORGANISATION = "百合镇人民政府"

#: The demo's own 分工方案 (a few rows of the seed plan, text form); the loader imports it like `plan import`,
#: so 疫苗接种 and the other rows route by the plan and the explanation names the row.
PLAN_FILE = Path(__file__).with_name("plan.txt")

#: Shared password of every demo login; `responder demo` prints it with the usernames.
DEMO_PASSWORD = "demo-2026"  # noqa: S105 - a public demo login, printed by `responder demo`

CHANNELS = ("hotline", "mailbox", "newmedia")
REQUEST_TYPES = ("consult", "help", "complaint", "report", "suggestion", "praise", "disclosure")
URGENCIES = ("normal", "urgent")
ROLES = ("operator", "unit", "supervisor", "admin")
PLATFORMS = ("wechat", "weibo", "douyin")
MAX_CONTENT = 20_000

VILLAGE_GROUP = "村（社区）"

# ---------------------------------------------------------------------------------------------
# 责任单位: a tree rooted at the town government. Aliases are what citizens and operators call them.
# ---------------------------------------------------------------------------------------------
UNITS: list[dict] = [
    {"name": ORGANISATION, "parent": None, "aliases": ["百合镇政府", "镇政府"]},
    # Offices named in the seed plan.
    {"name": "党政综合办公室", "parent": ORGANISATION, "aliases": ["党政办", "党政综合办"]},
    {"name": "经济发展办公室", "parent": ORGANISATION, "aliases": ["经发办", "经济办"]},
    {"name": "综合行政执法办公室", "parent": ORGANISATION, "aliases": ["综合执法办", "执法办", "城管"]},
    {"name": "财政所", "parent": ORGANISATION, "aliases": ["镇财政所"]},
    {"name": "农业农村办公室", "parent": ORGANISATION, "aliases": ["农办", "农业办"]},
    {"name": "农业综合服务中心", "parent": ORGANISATION, "aliases": ["农服中心", "农技站"]},
    {"name": "公共服务办公室", "parent": ORGANISATION, "aliases": ["公共服务办", "社会事务办"]},
    {"name": "公共服务中心", "parent": ORGANISATION, "aliases": ["便民服务中心", "政务服务中心"]},
    {"name": "司法所", "parent": ORGANISATION, "aliases": ["镇司法所"]},
    # Offices a town needs for 12345 work orders that the seed plan does not name.
    {"name": "平安法治办公室", "parent": ORGANISATION, "aliases": ["平安办", "综治办", "信访办", "应急办"]},
    {"name": "自然资源所", "parent": ORGANISATION, "aliases": ["国土所", "规划所"]},
    {"name": "生态环境保护办公室", "parent": ORGANISATION, "aliases": ["环保办", "生态环境办"]},
    # Village and community committees (村（居）委会), grouped under one node.
    {"name": VILLAGE_GROUP, "parent": ORGANISATION, "aliases": ["村居", "村（居）委会"]},
    {"name": "百合圩社区居委会", "parent": VILLAGE_GROUP, "aliases": ["百合圩社区", "百合社区"]},
    {"name": "茅冈村委会", "parent": VILLAGE_GROUP, "aliases": ["茅冈村"]},
    {"name": "马降龙村委会", "parent": VILLAGE_GROUP, "aliases": ["马降龙村"]},
    {"name": "齐塘村委会", "parent": VILLAGE_GROUP, "aliases": ["齐塘村"]},
    {"name": "厚山村委会", "parent": VILLAGE_GROUP, "aliases": ["厚山村"]},
]

#: The seven first-level topics the analysis model produces (responder.analysis.topics.LABELS).
TOPICS = ("城乡建设", "劳动和社会保障", "教育文体", "商贸旅游", "环境保护", "卫生计生", "交通运输")

# ---------------------------------------------------------------------------------------------
# Routing rules. A rule matches when (topic is None or topic == message topic) and (keywords empty
# or any keyword occurs in title + content); the matching rule with the highest priority gives the
# lead unit. Topic rules (10) always leave a default; keyword rules (50–80) encode concrete matters;
# location rules (5) never decide the lead over a topic rule and exist to add the village committee
# as an assisting unit.
# ---------------------------------------------------------------------------------------------
TOPIC_RULES: list[dict] = [
    {"name": "城乡建设类默认", "priority": 10, "topic": "城乡建设", "keywords": [],
     "lead": "综合行政执法办公室", "assist": [],
     "note": "镇综合行政执法办公室承担村镇规划建设管理和城市管理执法，城乡建设类诉求默认由其主办。"},
    {"name": "劳动和社会保障类默认", "priority": 10, "topic": "劳动和社会保障", "keywords": [],
     "lead": "公共服务办公室", "assist": [],
     "note": "劳动保障、就业、社会救助和养老服务等社会事务由公共服务办公室统筹。"},
    {"name": "教育文体类默认", "priority": 10, "topic": "教育文体", "keywords": [],
     "lead": "公共服务办公室", "assist": [],
     "note": "镇级教育、文化、体育事务由公共服务办公室对接市教育局和文广旅体部门。"},
    {"name": "商贸旅游类默认", "priority": 10, "topic": "商贸旅游", "keywords": [],
     "lead": "经济发展办公室", "assist": [],
     "note": "市场准入、商贸流通和碉楼旅游发展属经济发展办公室职责（分工方案第2、13、17项）。"},
    {"name": "环境保护类默认", "priority": 10, "topic": "环境保护", "keywords": [],
     "lead": "生态环境保护办公室", "assist": [],
     "note": "环境污染和生态破坏类诉求由生态环境保护办公室主办，需执法的再由综合执法办协办。"},
    {"name": "卫生计生类默认", "priority": 10, "topic": "卫生计生", "keywords": [],
     "lead": "公共服务办公室", "assist": [],
     "note": "卫生健康、疫苗接种和爱国卫生运动由公共服务办公室负责（分工方案第10、12项）。"},
    {"name": "交通运输类默认", "priority": 10, "topic": "交通运输", "keywords": [],
     "lead": "经济发展办公室", "assist": [],
     "note": "农村公路建设管养和城乡公交协调由经济发展办公室对接市交通运输局。"},
]

KEYWORD_RULES: list[dict] = [
    {"name": "轻生等极端言行", "priority": 80, "topic": None,
     "keywords": ["轻生", "跳楼", "自杀", "不想活", "寻短见", "跳河"],
     "lead": "平安法治办公室", "assist": ["公共服务办公室"],
     "note": "涉及人身安全的极端言行须立即稳控：平安法治办公室牵头联系村"
             "居和家属，公共服务办公室同步处理背后的欠薪、救助等诉求。"},
    {"name": "燃气泄漏", "priority": 80, "topic": None,
     "keywords": ["煤气味", "燃气", "液化气", "漏气", "天然气"],
     "lead": "平安法治办公室", "assist": ["综合行政执法办公室"],
     "note": "燃气泄漏属安全生产突发险情，由平安法治办公室（应急）牵头处置，综合执法办查处违规供气。"},
    {"name": "依申请公开", "priority": 80, "topic": None,
     "keywords": ["依申请公开", "政府信息公开条例", "申请公开", "信息公开申请"],
     "lead": "党政综合办公室", "assist": [],
     "note": "政府信息公开申请由党政综合办公室登记、办理、答复（分工方案第27、28项），须按法定期限答复。"},
    {"name": "道路桥梁险情", "priority": 78, "topic": None,
     "keywords": ["塌了", "塌方", "垮塌", "坍塌", "冲垮", "桥断", "路面塌陷", "危桥"],
     "lead": "经济发展办公室", "assist": ["平安法治办公室"],
     "note": "农村公路和桥梁由经济发展办公室组织抢修，平安法治办公室负责现场警戒和应急协调。"},
    {"name": "危房隐患", "priority": 78, "topic": None,
     "keywords": ["危房", "墙体开裂", "泥砖屋", "房屋倾斜"],
     "lead": "平安法治办公室", "assist": ["综合行政执法办公室"],
     "note": "危房可能伤人，先由平安法治办公室组织排查和围蔽，综合执法办负责村镇房屋安全管理。"},
    {"name": "欠薪讨薪", "priority": 75, "topic": None,
     "keywords": ["拖欠工资", "欠薪", "讨薪", "工资", "工钱", "血汗钱"],
     "lead": "公共服务办公室", "assist": ["平安法治办公室"],
     "note": "根治欠薪由镇劳动保障（公共服务办公室）主办；欠薪易引发群体性事件，平安法治办公室协办维稳。"},
    {"name": "补贴公示", "priority": 74, "topic": None,
     "keywords": ["补贴名单", "未公示", "没有公示", "村务公开", "居务公开"],
     "lead": "农业农村办公室", "assist": ["农业综合服务中心", "公共服务办公室"],
     "note": "补贴信息公开向村和社区延伸、与村（居）务公开衔接（分工方案第7项）。"},
    {"name": "群体性上访苗头", "priority": 72, "topic": None,
     "keywords": ["上访", "拉横幅", "集体到", "围堵", "静坐"],
     "lead": "平安法治办公室", "assist": ["党政综合办公室"],
     "note": "集体上访苗头由平安法治办公室（信访维稳）牵头稳控，"
             "党政综合办公室统筹舆情回应（分工方案第19项）。"},
    {"name": "惠农补贴", "priority": 70, "topic": None,
     "keywords": ["惠农", "种粮补贴", "耕地地力", "农机购置", "粮食直补", "农资补贴"],
     "lead": "农业农村办公室", "assist": ["农业综合服务中心"],
     "note": "惠民惠农资金发放由农业农村办公室主办、农业综合服务中心协办（分工方案第6项）。"},
    {"name": "烂尾楼盘", "priority": 70, "topic": None,
     "keywords": ["烂尾", "停工", "延期交楼", "逾期交房", "复工"],
     "lead": "经济发展办公室", "assist": ["自然资源所", "平安法治办公室"],
     "note": "问题楼盘处置由经济发展办公室对接住建部门督促复工，自然"
             "资源所核查用地和办证，平安法治办公室防范群体性事件。"},
    {"name": "困难群众救助", "priority": 70, "topic": None,
     "keywords": ["低保", "临时救助", "特困", "五保", "困难户", "残疾人"],
     "lead": "公共服务办公室", "assist": ["公共服务中心"],
     "note": "低保、特困供养、临时救助和残疾人补贴由公共服务办公室审核，公共服务中心窗口受理申请。"},
    {"name": "疫情防控", "priority": 68, "topic": None,
     "keywords": ["疫情", "传染病", "诺如", "手足口", "流感", "隔离"],
     "lead": "公共服务办公室", "assist": ["党政综合办公室"],
     "note": "疫情防控由公共服务办公室主办，党政综合办公室统一对外发布信息（分工方案第11项）。"},
    {"name": "食品安全", "priority": 65, "topic": None,
     "keywords": ["病死猪", "检疫章", "三无", "过期", "变质", "食物中毒", "地沟油"],
     "lead": "综合行政执法办公室", "assist": ["公共服务办公室"],
     "note": "市场监管所为市局派出机构，镇内由综合行政执法办公室"
             "对接并开展联合检查，公共服务办公室负责卫生方面。"},
    {"name": "消防安全", "priority": 64, "topic": None,
     "keywords": ["消防通道", "消防隐患", "电线起火", "火灾隐患", "楼道充电"],
     "lead": "平安法治办公室", "assist": ["综合行政执法办公室"],
     "note": "消防安全属安全生产范畴，平安法治办公室组织检查，综合执法办清理占道和违规搭建。"},
    {"name": "小区物业管理", "priority": 62, "topic": None,
     "keywords": ["物业", "业委会", "电梯", "维修基金"],
     "lead": "综合行政执法办公室", "assist": ["百合圩社区居委会"],
     "note": "镇区商品房小区集中在百合圩社区；物业监管由综合执法办负责，社区居委会协调业主和物业。"},
    {"name": "市容和违建执法", "priority": 60, "topic": None,
     "keywords": ["油烟", "噪音", "噪声", "扰民", "占道", "乱摆卖", "违建", "违章搭建", "加建", "铁皮房"],
     "lead": "综合行政执法办公室", "assist": [],
     "note": "油烟、噪音、占道经营和违法建设属综合行政执法事项（分工方案第3项）。"},
    {"name": "反不正当竞争", "priority": 60, "topic": None,
     "keywords": ["虚假宣传", "冒用", "假冒", "商标", "不正当竞争"],
     "lead": "综合行政执法办公室", "assist": [],
     "note": "反不正当竞争执法及其信息公开由综合行政执法办公室负责（分工方案第4项）。"},
    {"name": "财政预决算", "priority": 60, "topic": None,
     "keywords": ["预算", "决算", "财政资金", "三公经费"],
     "lead": "财政所", "assist": [],
     "note": "镇预算、决算及相关报表公开由财政所负责（分工方案第5项）。"},
    {"name": "环境污染", "priority": 60, "topic": None,
     "keywords": ["排污", "偷排", "污水", "黑烟", "废气", "烧垃圾", "猪粪", "粉尘", "发黑"],
     "lead": "生态环境保护办公室", "assist": ["综合行政执法办公室"],
     "note": "污染源排查由生态环境保护办公室主办，需要现场查处的由综合执法办协办。"},
    {"name": "不动产登记", "priority": 60, "topic": None,
     "keywords": ["房产证", "不动产", "办证", "宅基地", "土地证", "确权"],
     "lead": "自然资源所", "assist": ["公共服务中心"],
     "note": "宅基地、规划许可和不动产登记由自然资源所对接，公共服务中心窗口收件。"},
    {"name": "社保医保经办", "priority": 60, "topic": None,
     "keywords": ["医保", "社保", "养老保险", "灵活就业", "参保", "高龄津贴"],
     "lead": "公共服务中心", "assist": ["公共服务办公室"],
     "note": "参保缴费和津贴申领在公共服务中心窗口经办，政策口径由公共服务办公室解释。"},
    {"name": "校园周边安全", "priority": 58, "topic": None,
     "keywords": ["校门口", "放学", "校车", "小卖部"],
     "lead": "公共服务办公室", "assist": ["平安法治办公室"],
     "note": "学校由公共服务办公室对接教育部门，校园周边秩序由平安法治办公室协调。"},
    {"name": "市场准入和证照", "priority": 55, "topic": None,
     "keywords": ["营业执照", "市场准入", "负面清单", "开办企业", "个体户", "经营许可"],
     "lead": "经济发展办公室", "assist": ["公共服务中心"],
     "note": "市场准入由经济发展办公室负责（分工方案第2项），公共服务中心提供“一站式”办理（第17项）。"},
    {"name": "政务网站和新媒体", "priority": 55, "topic": None,
     "keywords": ["政府网站", "公众号", "政务新媒体", "视频号"],
     "lead": "党政综合办公室", "assist": [],
     "note": "政府网站和政务新媒体由党政综合办公室管理（分工方案第8、9、24项）。"},
    {"name": "法律服务和调解", "priority": 55, "topic": None,
     "keywords": ["法律援助", "法律咨询", "人民调解", "调解", "打官司"],
     "lead": "司法所", "assist": [],
     "note": "法律援助、人民调解和法治宣传由司法所负责（分工方案第23项）。"},
    {"name": "养老服务", "priority": 55, "topic": None,
     "keywords": ["敬老院", "长者饭堂", "养老院", "居家养老", "独居老人"],
     "lead": "公共服务办公室", "assist": [],
     "note": "养老服务属民政事务，由公共服务办公室主办。"},
    {"name": "农田水利", "priority": 55, "topic": None,
     "keywords": ["灌溉", "水渠", "水利", "排灌", "水闸"],
     "lead": "农业综合服务中心", "assist": ["农业农村办公室"],
     "note": "农田水利设施由农业综合服务中心（水利、农技）管护，农业农村办公室协调资金。"},
    {"name": "碉楼旅游", "priority": 55, "topic": None,
     "keywords": ["碉楼", "景区", "游客", "民宿", "门票"],
     "lead": "经济发展办公室", "assist": [],
     "note": "碉楼与村落旅游开发和景区秩序由经济发展办公室统筹。"},
]

LOCATION_RULES: list[dict] = [
    {"name": "属地：百合圩社区", "priority": 5, "topic": None,
     "keywords": ["百合圩", "百合墟", "金百合花园", "翠湖名苑", "百合大道", "新市街", "建设路"],
     "lead": "党政综合办公室", "assist": ["百合圩社区居委会"],
     "note": "诉求发生在百合圩社区的，由社区居委会协办核实情况；无其他规则命中时由党政综合办公室统筹。"},
    {"name": "属地：茅冈村", "priority": 5, "topic": None,
     "keywords": ["茅冈", "坑口里"],
     "lead": "党政综合办公室", "assist": ["茅冈村委会"],
     "note": "诉求发生在茅冈村的，由村委会协办核实和上门回访。"},
    {"name": "属地：马降龙村", "priority": 5, "topic": None,
     "keywords": ["马降龙", "永安里", "南安里"],
     "lead": "党政综合办公室", "assist": ["马降龙村委会"],
     "note": "诉求发生在马降龙村的，由村委会协办核实和上门回访。"},
    {"name": "属地：齐塘村", "priority": 5, "topic": None,
     "keywords": ["齐塘", "沙洲里"],
     "lead": "党政综合办公室", "assist": ["齐塘村委会"],
     "note": "诉求发生在齐塘村的，由村委会协办核实和上门回访。"},
    {"name": "属地：厚山村", "priority": 5, "topic": None,
     "keywords": ["厚山", "上坑里"],
     "lead": "党政综合办公室", "assist": ["厚山村委会"],
     "note": "诉求发生在厚山村的，由村委会协办核实和上门回访。"},
]

ROUTING_RULES: list[dict] = TOPIC_RULES + KEYWORD_RULES + LOCATION_RULES

# ---------------------------------------------------------------------------------------------
# Demo logins (all share DEMO_PASSWORD).
# ---------------------------------------------------------------------------------------------
USERS: list[dict] = [
    {"username": "operator", "role": "operator", "unit": None, "display_name": "陈晓敏",
     "password": DEMO_PASSWORD},
    {"username": "supervisor", "role": "supervisor", "unit": None, "display_name": "梁志强",
     "password": DEMO_PASSWORD},
    {"username": "admin", "role": "admin", "unit": None, "display_name": "关文辉",
     "password": DEMO_PASSWORD},
    {"username": "zhifa", "role": "unit", "unit": "综合行政执法办公室", "display_name": "司徒永健",
     "password": DEMO_PASSWORD},
    {"username": "gonggong", "role": "unit", "unit": "公共服务办公室", "display_name": "谭丽芬",
     "password": DEMO_PASSWORD},
    {"username": "nongye", "role": "unit", "unit": "农业农村办公室", "display_name": "周国华",
     "password": DEMO_PASSWORD},
    {"username": "dangzheng", "role": "unit", "unit": "党政综合办公室", "display_name": "余嘉欣",
     "password": DEMO_PASSWORD},
    {"username": "jingji", "role": "unit", "unit": "经济发展办公室", "display_name": "胡耀明",
     "password": DEMO_PASSWORD},
    {"username": "pingan", "role": "unit", "unit": "平安法治办公室", "display_name": "吴振东",
     "password": DEMO_PASSWORD},
]

# ---------------------------------------------------------------------------------------------
# Messages, in the contract's intake shape with `age_hours` in place of `received_at`.
# 12345 hotline: transcripts written by the call-taker (市民来电反映…).
# ---------------------------------------------------------------------------------------------
HOTLINE_MESSAGES: list[dict] = [
    {"channel": "hotline", "external_id": "GD20260031871", "age_hours": 1.2,
     "title": "翠湖名苑工地拖欠农民工工资，来电人情绪激动",
     "content": "市民来电反映：其在百合圩翠湖名苑项目工地做泥水工，包工头梁某拖欠其和11名工友去年"
                "9月至今的工资共约23万元，多次追讨无果，现在老板电话关机、人也找不到。来电人情绪"
                "非常激动，称家里孩子等着交学费，再拿不到钱就从工地塔吊上跳下去，“反正也不想活"
                "了”。话务员已进行安抚并记录其所在位置。诉求：请政府立即介入，协调尽快支付拖欠工资。",
     "request_type": "help", "urgency": "urgent",
     "citizen": {"name": "黄德明", "phone": "13800004217"},
     "address": "百合镇百合圩社区翠湖名苑项目工地", "consent_public": False},
    {"channel": "hotline", "external_id": "GD20260031895", "age_hours": 0.5,
     "title": "金百合花园楼道有浓烈煤气味",
     "content": "市民来电反映：金百合花园6栋2单元楼道从半小时前开始有很浓的煤气味，越"
                "往三四楼越重，怀疑有住户液化气瓶漏气。来电人敲了几户门都没人应，已经"
                "叫邻居不要开灯、不要按门铃，老人小孩先下楼了。请求立即派人来处理！",
     "request_type": "help", "urgency": "urgent",
     "citizen": {"name": "许女士", "phone": "13900002586"},
     "address": "百合镇百合大道金百合花园6栋2单元", "consent_public": False},
    {"channel": "hotline", "external_id": "GD20260031852", "age_hours": 3.5,
     "title": "茅冈村坑口里小桥被大雨冲塌",
     "content": "市民来电反映：茅冈村坑口里通往镇上的那座小石桥今天早上塌了一半，桥面中间断开了一米"
                "多，应该是昨晚下大雨被水冲垮的。现在还有骑摩托车的想从旁边绕过去，非常危险，而且附"
                "近的学生每天早上都要走这座桥去上学。请求尽快派人封路、设置警示标志并组织抢修。",
     "request_type": "help", "urgency": "urgent",
     "citizen": {"name": "关先生", "phone": "13500006132"},
     "address": "百合镇茅冈村坑口里", "consent_public": True},
    {"channel": "hotline", "external_id": "GD20260031544", "age_hours": 20.0,
     "title": "翠湖名苑业主称将集体上访",
     "content": "市民来电反映：翠湖名苑楼盘按合同2021年底就该交楼，到现在五年了还是烂尾，"
                "开发商一直说在找资金，工地基本停工。业主群里已经有一百多人商量下周一一起"
                "去市政府门口拉横幅，来电人称这周内镇政府再不出来给个说法，他们就集体上"
                "访。诉求：政府出面督促开发商复工，公开项目处置进度，给业主一个明确答复。",
     "request_type": "complaint", "urgency": "urgent",
     "citizen": {"name": "司徒先生", "phone": "13500007731"},
     "address": "百合镇百合圩社区翠湖名苑", "consent_public": False},
    {"channel": "hotline", "external_id": "GD20260030977", "age_hours": 46.0,
     "title": "金百合花园楼下烧烤档油烟噪音扰民",
     "content": "市民来电反映：百合大道金百合花园楼下有三四家夜宵烧烤档，每天晚上营业到凌晨两三点，"
                "油烟直接往楼上飘，还有客人划拳喝酒、大声喧哗，家里老人小孩都睡不着。上个月已经反映"
                "过一次，没见有什么改善。希望执法部门管一管，至少规定收档时间、装好油烟净化器。",
     "request_type": "complaint",
     "citizen": {"name": "谭女士", "phone": "13800009153"},
     "address": "百合镇百合大道金百合花园", "consent_public": True},
    {"channel": "hotline", "external_id": "GD20260031012", "age_hours": 40.0,
     "content": "市民来电投诉：家住金百合花园3栋，楼下几家烧烤夜宵档晚上油烟很大，窗户都不敢开，一"
                "直吵到凌晨两点多，严重影响休息。希望有关部门尽快处理这几家烧烤档的油烟和噪音问题。",
     "citizen": {"name": "关先生", "phone": "13600005820"},
     "address": "百合镇金百合花园3栋", "consent_public": False},
    {"channel": "hotline", "external_id": "GD20260027410", "age_hours": 430.0,
     "title": "齐塘村沙洲里路灯不亮",
     "content": "市民来电反映：齐塘村沙洲里村口到齐塘河边的那段村道，路灯坏了大半个月，有七八"
                "盏都不亮，晚上一片漆黑，村里老人晚饭后出来散步很容易摔倒。希望尽快派人维修。",
     "request_type": "help",
     "citizen": {"name": "周伯", "phone": "13800002264"},
     "address": "百合镇齐塘村沙洲里", "consent_public": True},
    {"channel": "hotline", "external_id": "GD20260030488", "age_hours": 62.0,
     "title": "再次反映齐塘村沙洲里路灯不亮",
     "content": "市民来电再次反映：齐塘村沙洲里村口那段路的路灯还是不亮，之前已经打过电话，到现在都没"
                "有人来修。前天晚上有个村民骑电动车在那里摔倒了，手都擦伤了。请尽快处理，不要再拖了。",
     "request_type": "complaint",
     "citizen": {"name": "周伯", "phone": "13800002264"},
     "address": "百合镇齐塘村沙洲里", "consent_public": True},
    {"channel": "hotline", "external_id": "GD20260030803", "age_hours": 30.0,
     "content": "市民来电咨询：家里老人今年78岁，想打流感疫苗，听说65岁以上老人可以免费接"
                "种，请问百合镇卫生院现在能不能打？需不需要提前预约？要带身份证还是社保卡？",
     "request_type": "consult",
     "citizen": {"name": "梁女士", "phone": "15900003375"},
     "address": "百合镇厚山村", "consent_public": True},
    {"channel": "hotline", "external_id": "GD20260031398", "age_hours": 8.0,
     "title": "百合中心小学多名学生呕吐腹泻",
     "content": "市民来电反映：孩子在百合中心小学读三年级，这两天班上好几个同学都呕吐、拉"
                "肚子，听家长群说隔壁班也有，怀疑是诺如病毒。家长很担心，想知道学校有没有"
                "上报、有没有做消毒，要不要停课，也希望查一查学校饭堂的食物有没有问题。",
     "citizen": {"name": "胡女士", "phone": "13600008841"},
     "address": "百合镇百合中心小学", "consent_public": False},
    {"channel": "hotline", "external_id": "GD20260028220", "age_hours": 280.0,
     "title": "申请低保求助",
     "content": "市民来电求助：来电人是茅冈村村民，丈夫去年中风后一直瘫痪在床，两"
                "个孩子一个读初中一个读小学，家里没有其他收入，靠亲戚接济过日子。"
                "想申请低保，不知道要去哪里申请、要准备什么材料，希望政府帮帮忙。",
     "request_type": "help",
     "citizen": {"name": "谭少珍", "phone": "13500003318", "id_number": "440783198507172424"},
     "address": "百合镇茅冈村", "consent_public": False},
    {"channel": "hotline", "external_id": "GD20260029645", "age_hours": 100.0,
     "title": "马降龙村独居老人家中失火请求临时救助",
     "content": "市民来电反映：马降龙村永安里有一位独居老人，前天晚上家里电线起火，房"
                "子烧掉了一半，幸好人没事，现在暂时住在亲戚家，被子衣服锅碗都烧没了。"
                "老人七十多岁，没有子女在身边。来电人是其邻居，请求政府给予临时救助。",
     "request_type": "help",
     "citizen": {"name": "何先生", "phone": "18600002917"},
     "address": "百合镇马降龙村永安里", "consent_public": False},
    {"channel": "hotline", "external_id": "GD20260029133", "age_hours": 150.0,
     "title": "厚山村旧泥砖屋墙体开裂存在安全隐患",
     "content": "市民来电反映：厚山村上坑里巷口有一间旧泥砖屋，多年没人住，墙体开裂，裂缝"
                "有手指那么宽，屋顶有一角瓦片已经掉了下来，旁边就是小孩经常玩耍的巷子。担"
                "心下雨天墙倒下来伤人。房主一家在外地，村里联系不上。请相关部门尽快处理。",
     "request_type": "report",
     "citizen": {"name": "余女士", "phone": "13900006054"},
     "address": "百合镇厚山村上坑里", "consent_public": True},
    {"channel": "hotline", "external_id": "GD20260028640", "age_hours": 210.0,
     "title": "金百合花园物业涨价但服务差",
     "content": "市民来电投诉：金百合花园物业公司从今年起物业费每平方米涨了0.5元，但小区电梯"
                "三天两头坏，地下车库一下雨就积水，垃圾也没有按时清运。业主要求查看物业费收支"
                "账目，物业公司一直推脱不给。诉求：督促物业公司整改，并向业主公开收支情况。",
     "citizen": {"name": "方先生", "phone": "13800007408"},
     "address": "百合镇百合大道金百合花园", "consent_public": True},
    {"channel": "hotline", "external_id": "GD20260029402", "age_hours": 120.0,
     "content": "市民来电反映：其在百合镇工业区一家家具厂上班，老板已经拖欠两个月工资共9800元，说厂里资金周"
                "转困难，让大家再等等，但一直没有确切时间。来电人想知道可以到哪里投诉，怎么才能拿回工资。",
     "citizen": {"name": "吴先生", "phone": "18600006645"},
     "address": "百合镇工业区", "consent_public": False},
    {"channel": "hotline", "external_id": "GD20260030901", "age_hours": 26.0,
     "title": "百合圩农贸市场疑似销售病死猪肉",
     "content": "市民来电举报：昨天在百合圩农贸市场东门第二排一个猪肉档买了一斤瘦肉，回"
                "家发现颜色发暗、有异味，看了一下档口挂的肉都没有检疫章，怀疑卖的是病死"
                "猪肉。那个档口价格比别家便宜很多，买的人不少，请相关部门尽快去查。",
     "request_type": "report",
     "citizen": {"name": "邓女士", "phone": "13500009270"},
     "address": "百合镇百合圩农贸市场", "consent_public": False},
    {"channel": "hotline", "external_id": "GD20260030154", "age_hours": 70.0,
     "content": "市民来电咨询：父亲今年刚满80岁，户籍在百合镇厚山村，听说80岁以上老人"
                "每个月有高龄津贴，请问要怎么申请？去镇里哪个窗口办？需要带什么材料？",
     "request_type": "consult",
     "citizen": {"name": "许先生", "phone": "15900007126"},
     "address": "百合镇厚山村", "consent_public": True},
    {"channel": "hotline", "external_id": "GD20260030432", "age_hours": 50.0,
     "content": "市民来电咨询：本人之前在外地打工，现在回百合镇自己做点小生意，想以灵活就业人员身份继"
                "续交养老保险，请问在镇上能不能办，每个月最少交多少钱？以前在外地交的年限能不能接上？",
     "citizen": {"name": "李先生", "phone": "13600004482"},
     "consent_public": True},
    {"channel": "hotline", "external_id": "GD20260027003", "age_hours": 330.0,
     "title": "耕地地力保护补贴未到账",
     "content": "市民来电反映：来电人是齐塘村的种粮户，种了30多亩水稻，去年的耕地地力保护补贴到现"
                "在都还没收到，问了隔壁村的人说早就发了。想了解一下是什么原因，是不是名单漏报了。",
     "request_type": "consult",
     "citizen": {"name": "邓伯", "phone": "13800006697"},
     "address": "百合镇齐塘村", "consent_public": True},
    {"channel": "hotline", "external_id": "GD20260031203", "age_hours": 14.0,
     "content": "市民来电投诉：百合大道旁边新开的那个工地，这几天晚上十一点多还在打桩，噪音大到整栋"
                "楼都在震，根本没法睡觉。请问晚上施工有没有办夜间施工许可？希望有关部门去查一下。",
     "request_type": "complaint",
     "citizen": {"name": "黄女士", "phone": "13900005531"},
     "address": "百合镇百合大道", "consent_public": True},
    {"channel": "hotline", "external_id": "GD20260028813", "age_hours": 180.0,
     "content": "市民来电反映：百合圩新市街市场门口一到早上就有很多卖水果、卖菜的摊档占道经营，把路口"
                "堵得只剩一条车道，上下班时间电动车、汽车挤成一团，经常发生剐蹭。希望城管加强管理。",
     "citizen": {"name": "张先生", "phone": "18600003860"},
     "address": "百合镇百合圩新市街", "consent_public": True},
    {"channel": "hotline", "external_id": "GD20260028351", "age_hours": 240.0,
     "title": "邻居楼顶违规加建铁皮房",
     "content": "市民来电举报：百合圩建设路18号的业主最近在四楼楼顶加建了一层铁皮"
                "房，还往外伸出来一米多，挡住了我家的采光，下雨时雨水全往我家天台"
                "流。已经跟对方沟通过，对方说“关你什么事”。请求执法部门查处违建。",
     "request_type": "report",
     "citizen": {"name": "关女士", "phone": "13500001845"},
     "address": "百合镇百合圩建设路", "consent_public": False},
    {"channel": "hotline", "external_id": "GD20260029890", "age_hours": 90.0,
     "title": "齐塘河上游养猪场直排粪水",
     "content": "市民来电举报：齐塘村沙洲里附近有一个养猪场，把猪粪水直接排进齐塘河，河水都发黑"
                "了，臭味很大，下游几条村的人都闻得到，河里的鱼也死了不少。请环保部门尽快来查处。",
     "request_type": "report",
     "citizen": {"name": "周先生", "phone": "15900001239"},
     "address": "百合镇齐塘村沙洲里", "consent_public": True},
    {"channel": "hotline", "external_id": "GD20260030720", "age_hours": 36.0,
     "content": "市民来电反映：茅冈村后山脚有人每天傍晚都在露天烧垃圾，连塑料、泡沫一起烧，黑烟"
                "很大，味道很刺鼻，风一吹整条村都是烟，家里的小孩都咳嗽了。希望有关部门制止。",
     "citizen": {"name": "谭先生", "phone": "13600009915"},
     "address": "百合镇茅冈村", "consent_public": True},
    {"channel": "hotline", "external_id": "GD20260028998", "age_hours": 160.0,
     "content": "市民来电求助：齐塘村沙洲里一带的农田灌溉水渠被淤泥和杂草堵住了，下游几十亩"
                "田放不进水，马上就要插秧了，村民自己清了一段清不动。希望镇里派人组织清淤。",
     "request_type": "help",
     "citizen": {"name": "劳先生", "phone": "13800003370"},
     "address": "百合镇齐塘村沙洲里", "consent_public": True},
    {"channel": "hotline", "external_id": "GD20260028129", "age_hours": 260.0,
     "content": "市民来电建议：百合镇到开平市区的城乡公交现在大概40分钟才一班，最后一班傍晚六点就收车"
                "了，在市区上班的人下班回来根本赶不上。建议增加早晚高峰班次，末班车延长到晚上八点以后。",
     "request_type": "suggestion",
     "citizen": {"name": "胡先生", "phone": "15900005508"},
     "consent_public": True},
    {"channel": "hotline", "external_id": "GD20260030067", "age_hours": 75.0,
     "content": "市民来电反映：百合大道往马降龙方向大约一公里那段路面坑坑洼洼，有好几个大坑，下雨"
                "积水看不见深浅，晚上骑摩托车很容易出事，上周就有人在那里摔倒。希望尽快修补路面。",
     "citizen": {"name": "司徒女士", "phone": "13900004463"},
     "address": "百合镇百合大道", "consent_public": True},
    {"channel": "hotline", "external_id": "GD20260031668", "age_hours": 4.0,
     "content": "市民来电咨询：一家人是外省来开平打工的，在百合镇租房住了两年，孩子今年9月要上一"
                "年级，请问随迁子女在百合中心小学报名需要哪些材料？居住证和社会保险要满多长时间？",
     "request_type": "consult",
     "citizen": {"name": "刘女士", "phone": "18600007752"},
     "consent_public": True},
    {"channel": "hotline", "external_id": "GD20260029276", "age_hours": 140.0,
     "title": "表扬百合镇卫生院家庭医生团队",
     "content": "市民来电表扬：来电人母亲患有高血压和糖尿病，行动不便。百合镇卫生院"
                "家庭医生团队的何医生和护士小林每个月都上门给老人量血压、调药，还耐"
                "心教家里人怎么照顾。来电人表示非常感谢，希望转达对他们的表扬。",
     "request_type": "praise",
     "citizen": {"name": "余先生", "phone": "13500008826"},
     "address": "百合镇马降龙村", "consent_public": True},
    {"channel": "hotline", "external_id": "GD20260031760", "age_hours": 2.0,
     "content": "来电接通后对方一直没有说话，背景有电视声，约一"
                "分钟后挂断，回拨两次均无人接听，无法确认诉求。",
     "citizen": {"phone": "13900008802"}, "consent_public": False},
    {"channel": "hotline", "external_id": "GD20260031299", "age_hours": 18.0,
     "content": "市民来电反映：上个月反映的问题到现在都没有人处理，说你们政府办事效率太低。话务员询"
                "问具体是什么问题、当时的工单号，来电人不愿意说明，只说“你们自己去查”，随后挂断。",
     "request_type": "complaint",
     "citizen": {"name": "方先生", "phone": "13600001947"},
     "consent_public": False},
    {"channel": "hotline", "external_id": "GD20260028570", "age_hours": 190.0,
     "content": "市民来电求助：来电人住在马降龙村南安里，与隔壁邻居因为两家房子之间的一"
                "堵围墙吵了很久，对方把围墙往他家这边砌过来半米多，村里调解了两次都没谈"
                "拢。来电人想咨询能不能申请法律援助，或者镇里有没有人可以再帮忙调解。",
     "request_type": "help",
     "citizen": {"name": "梁先生", "phone": "13800001583"},
     "address": "百合镇马降龙村南安里", "consent_public": False},
    {"channel": "hotline", "external_id": "GD20260029517", "age_hours": 110.0,
     "content": "市民来电咨询：我在厚山村有一块宅基地，2019年建了三层自住房，现在想办不动产权"
                "证，听说要先补办规划许可，请问具体要去哪里办，要准备哪些材料，大概要多长时间？",
     "citizen": {"name": "吴女士", "phone": "15900006691"},
     "address": "百合镇厚山村", "consent_public": True},
    {"channel": "hotline", "external_id": "GD20260030311", "age_hours": 55.0,
     "content": "市民来电咨询：想在马降龙村把自家的老房子改成民宿，接待来看碉楼的游客，请"
                "问需要办哪些证照？营业执照、卫生许可这些要去哪里办，镇上能不能一次办好？",
     "citizen": {"name": "关先生", "phone": "13600002238"},
     "address": "百合镇马降龙村", "consent_public": True},
    {"channel": "hotline", "external_id": "GD20260029960", "age_hours": 85.0,
     "title": "健康体验馆虚假宣传向老人推销保健品",
     "content": "市民来电举报：百合圩新市街有一间“健康体验馆”，每天早上免费送鸡蛋吸引老"
                "人去听讲座，然后推销所谓能治高血压、糖尿病的保健品，一盒卖一千多块，说"
                "比药还管用。来电人母亲已经买了三千多元。认为对方虚假宣传，请求查处。",
     "request_type": "report",
     "citizen": {"name": "黄先生", "phone": "13900003197"},
     "address": "百合镇百合圩新市街", "consent_public": False},
]

# 省长信箱 and other leaders' mailboxes: formal letters, always titled.
MAILBOX_MESSAGES: list[dict] = [
    {"channel": "mailbox", "external_id": "XJ202600318", "age_hours": 300.0,
     "title": "关于申请公开齐塘村道路硬底化项目资金使用情况的申请",
     "content": "尊敬的百合镇人民政府：\n本人系百合镇齐塘村村民。根据《中华人民共和国政府信"
                "息公开条例》的规定，现申请公开以下政府信息：一、2025年齐塘村沙洲里至齐塘河"
                "堤村道硬底化工程的预算、决算及资金来源；二、该工程的施工单位及招投标结果；"
                "三、该工程的竣工验收材料。\n所需信息请以电子邮件方式提供。\n此致\n敬礼",
     "request_type": "disclosure",
     "citizen": {"name": "邓国权", "phone": "13800005509", "id_number": "440783196203150729"},
     "address": "百合镇齐塘村", "consent_public": False},
    {"channel": "mailbox", "external_id": "XJ202600241", "age_hours": 520.0,
     "title": "关于翠湖名苑一期业主无法办理不动产权证的反映",
     "content": "尊敬的领导：您好！我们是翠湖名苑一期的业主，2020年已收房入住，至今五年多仍未能办理不"
                "动产权证。多次向售楼处询问，只说“手续还在办”。没有房产证，孩子读书落户、房屋抵押贷款"
                "都受影响。恳请政府督促相关单位查明原因，尽快为业主办理不动产权证，并告知办理进度。",
     "request_type": "complaint",
     "citizen": {"name": "胡美玲", "phone": "13600003064"},
     "address": "百合镇百合圩社区翠湖名苑一期", "consent_public": True},
    {"channel": "mailbox", "external_id": "XJ202600276", "age_hours": 400.0,
     "title": "建议镇政府网站及时公开镇级预决算",
     "content": "百合镇政府：本人近期想查阅百合镇近两年的财政预算和决算报告，但在镇政府网"
                "站的信息公开栏目只找到2023年的预算，决算和“三公”经费说明都没有。建议按规"
                "定及时在政府网站公开镇级预决算，并附上通俗易懂的解读，方便群众监督。",
     "request_type": "suggestion",
     "citizen": {"name": "方卓文", "phone": "15900002817"},
     "consent_public": True},
    {"channel": "mailbox", "external_id": "XJ202600337", "age_hours": 230.0,
     "title": "关于百合中心小学放学时段校门口交通拥堵的建议",
     "content": "尊敬的领导：百合中心小学校门口正对百合大道，每天下午放学时段接送学生的"
                "电动车、小汽车乱停乱放，常常把半条马路堵死，过往货车又多，孩子们在车缝"
                "里穿行，非常危险。建议：一、在校门口施划临时停车区和斑马线；二、放学时"
                "段安排交警或志愿者疏导；三、设置限速和“学校区域”警示标志。望采纳。",
     "request_type": "suggestion",
     "citizen": {"name": "谭志坚", "phone": "13800008134"},
     "address": "百合镇百合大道百合中心小学", "consent_public": True},
    {"channel": "mailbox", "external_id": "XJ202600289", "age_hours": 350.0,
     "title": "关于在百合镇建设长者饭堂的建议",
     "content": "百合镇政府领导：我镇外出务工的年轻人多，村里留守老人也多，不少独居老人一日三餐"
                "都是随便对付。看到市区一些社区办了长者饭堂，老人花几块钱就能吃上热饭，建议镇里"
                "在百合圩社区和几个大村先试点建设长者饭堂，对高龄、独居、低保老人给予餐费补助。",
     "request_type": "suggestion",
     "citizen": {"name": "周淑仪", "phone": "13900001726"},
     "consent_public": True},
    {"channel": "mailbox", "external_id": "XJ202600252", "age_hours": 480.0,
     "title": "感谢综合行政执法办公室及时处理违建问题",
     "content": "尊敬的百合镇政府：我是百合圩建设路的居民。上个月我反映隔壁商铺在人行道上违规"
                "搭建雨棚的问题，镇综合行政执法办公室的同志第二天就上门核实，一周内督促对方拆"
                "除了违建部分，并把处理结果告诉了我。办事效率高、态度好，特此写信表示感谢！",
     "request_type": "praise",
     "citizen": {"name": "张丽华", "phone": "13500002651"},
     "address": "百合镇百合圩建设路", "consent_public": True},
    {"channel": "mailbox", "external_id": "XJ202600311", "age_hours": 170.0,
     "title": "关于百合镇卫生院夜间急诊无医生接诊的投诉",
     "content": "尊敬的领导：本月12日凌晨一点左右，我父亲突发胸口疼痛，我们送到百合镇卫生院"
                "急诊，敲了十几分钟门才有一位护士出来，说值班医生出诊了，让我们自己转去市区"
                "医院。幸好路上没有耽误太久。作为全镇唯一的卫生院，夜间急诊竟然没有医生在"
                "岗，这让老百姓怎么放心？请求调查当晚值班情况，并完善夜间急诊值班制度。",
     "request_type": "complaint",
     "citizen": {"name": "司徒国良", "phone": "13600007359"},
     "address": "百合镇茅冈村", "consent_public": True},
    {"channel": "mailbox", "external_id": "XJ202600323", "age_hours": 130.0,
     "title": "举报工业区五金电镀厂夜间偷排刺鼻废气",
     "content": "尊敬的领导：百合镇工业区内有一家五金电镀厂，白天基本不开烟囱，一到晚上十点以后就开始"
                "排放刺鼻的废气，附近厚山村的村民晚上关着窗都能闻到酸味，不少人喉咙痛、咳嗽。我们怀疑"
                "该厂没有按规定运行废气处理设施、故意夜间偷排。恳请环保部门夜间突击检查，依法查处。",
     "request_type": "report",
     "citizen": {"name": "余家豪", "phone": "18600004528"},
     "address": "百合镇厚山村", "consent_public": False},
    {"channel": "mailbox", "external_id": "XJ202600282", "age_hours": 380.0,
     "title": "关于茅冈村种粮补贴名单未公示的反映",
     "content": "尊敬的领导：据了解，2025年度的耕地地力保护补贴已经发放，但茅冈村至今没有在村务公开栏张"
                "贴补贴名单，村民不知道谁领了、领了多少，有的农户说自己种的面积和补贴对不上。惠农补贴信"
                "息应当在村里公示。请镇里督促村委会公开补贴名单和发放标准，并核实面积登记是否准确。",
     "citizen": {"name": "关伟强", "phone": "13800003921"},
     "address": "百合镇茅冈村", "consent_public": True},
    {"channel": "mailbox", "external_id": "XJ202600228", "age_hours": 560.0,
     "title": "恳请帮助追讨拖欠的农民工工资",
     "content": "尊敬的省长：我们是开平市百合镇马降龙村的15名农民工，2025年3月至10月在本"
                "镇一个乡村道路改造工程做工，承包方某建筑工程公司至今拖欠我们工资共计31.6"
                "万元。我们多次找项目负责人，对方以“上面工程款没到位”为由一拖再拖。眼看又"
                "要过年，家里老人看病、孩子读书都等着这笔钱。恳请领导帮我们讨回血汗钱！",
     "request_type": "help",
     "citizen": {"name": "吴炳坤", "phone": "13500004786", "id_number": "440783197809211041"},
     "address": "百合镇马降龙村", "consent_public": True},
    {"channel": "mailbox", "external_id": "XJ202600329", "age_hours": 90.0,
     "title": "咨询母亲残疾人补贴停发原因",
     "content": "您好：我母亲是一级肢体残疾，户籍在百合镇齐塘村，一直领取困难残疾人生活补贴"
                "和重度残疾人护理补贴。从今年1月起这两项补贴都没有再到账，村里说不清楚原"
                "因。请问是政策调整了还是需要重新审核？如需补交材料，请告知具体要求。谢谢！",
     "request_type": "consult",
     "citizen": {"name": "邓月娥", "phone": "15900004340"},
     "address": "百合镇齐塘村", "consent_public": False},
    {"channel": "mailbox", "external_id": "XJ202600219", "age_hours": 600.0,
     "title": "关于延长镇文化站图书室开放时间的建议",
     "content": "尊敬的领导：镇综合文化站的图书室藏书不少，环境也好，但目前只在工作日上午9点到下午5点"
                "开放，周末不开门。学生平时要上课，上班族也没时间去，等于大部分人都用不上。建议把开放"
                "时间调整到周末和工作日晚上，并增加一些适合中小学生的读物，让文化站真正发挥作用。",
     "request_type": "suggestion",
     "citizen": {"name": "黄淑仪", "phone": "13600006215"},
     "consent_public": True},
    {"channel": "mailbox", "external_id": "XJ202600297", "age_hours": 210.0,
     "title": "询问百合圩农贸市场升级改造进度",
     "content": "尊敬的领导：去年镇里说要对百合圩农贸市场进行升级改造，解决下雨漏水、地面湿滑、"
                "排水不畅的问题，当时还征求过档主意见。但到现在一直没有动工，市场里的情况还是老"
                "样子。请问改造项目现在进展到哪一步了？预计什么时候动工、动工期间档口怎么安排？",
     "citizen": {"name": "许国雄", "phone": "13900007648"},
     "address": "百合镇百合圩农贸市场", "consent_public": True},
    {"channel": "mailbox", "external_id": "XJ202600340", "age_hours": 60.0,
     "title": "金百合花园消防通道长期被占用",
     "content": "尊敬的领导：金百合花园小区内的消防通道长期被私家车和杂物占用，有的住户还在楼梯"
                "间堆放纸皮、旧家具，甚至在楼道里给电动车充电。去年隔壁镇就发生过电动车充电起火"
                "的事故，一旦发生火灾，消防车根本进不来。请相关部门督促物业清理，并加强检查。",
     "request_type": "report",
     "citizen": {"name": "梁嘉慧", "phone": "13800006210"},
     "address": "百合镇金百合花园", "consent_public": True},
    {"channel": "mailbox", "external_id": "XJ202600268", "age_hours": 270.0,
     "title": "建议及时公开辖区学校传染病防控情况",
     "content": "尊敬的领导：近期听说百合镇有幼儿园出现手足口病病例，家长群里各种说法都有，有的说"
                "停课了，有的说没事，弄得人心惶惶。建议镇里在出现聚集性疫情时，通过政府网站或公众"
                "号统一发布权威信息，说明病例情况、消杀措施和家长需要注意的事项，避免谣言传播。",
     "request_type": "suggestion",
     "citizen": {"name": "何文静", "phone": "18600001374"},
     "consent_public": True},
    {"channel": "mailbox", "external_id": "XJ202600262", "age_hours": 440.0,
     "title": "反映问题长期得不到解决",
     "content": "尊敬的领导：本人多年来多次向有关部门反映问题，但每次都是推来推"
                "去，没有一个部门愿意负责，反映的问题如石沉大海。我对此非常失望。"
                "希望领导能够重视群众的呼声，真正为老百姓办实事，不要让群众寒心。",
     "citizen": {"name": "陈先生", "phone": "13500005093"},
     "consent_public": False},
    {"channel": "mailbox", "external_id": "XJ202600285", "age_hours": 320.0,
     "title": "关于百合中学寄宿生宿舍条件差的反映",
     "content": "尊敬的领导：我的孩子在百合中学读初二，寄宿在学校。宿舍一间住十四个学生，只有"
                "两台吊扇，夏天热得睡不着；卫生间经常堵塞，热水也是时有时无。孩子回家说晚上经"
                "常睡不好，白天上课没精神。恳请教育部门和学校重视，改善寄宿生的住宿条件。",
     "citizen": {"name": "劳秀英", "phone": "13900002093"},
     "consent_public": True},
]

# Government new-media back-office comments: short, emotional, usually anonymous.
NEWMEDIA_MESSAGES: list[dict] = [
    {"channel": "newmedia", "external_id": "wx-3918274410", "age_hours": 44.0,
     "content": "金百合花园楼下那几家烧烤档天天搞到凌晨两三点，油烟熏"
                "得衣服都不敢晾，吵得根本睡不着，到底有没有人管啊？？",
     "meta": {"platform": "wechat", "nickname": "金百合业主小陈", "post_id": "2247486512_1"},
     "consent_public": True},
    {"channel": "newmedia", "external_id": "wb-5031178826419937", "age_hours": 5.0,
     "content": "<b>急</b>！！百合大道和建设路路口的红绿灯坏了两天了，早上上学高峰车和人"
                "乱成一锅粥，刚才差点撞到一个小学生，@开平发布 @百合镇政府 快派人来修吧",
     "meta": {"platform": "weibo", "nickname": "百合街坊阿强", "post_id": "Q8kLm2xTa"},
     "consent_public": True},
    {"channel": "newmedia", "external_id": "dy-7352019846631207719", "age_hours": 160.0,
     "content": "周末带家人来马降龙看碉楼，村里干净，讲解员阿姨讲"
                "得特别用心，停车也方便，给百合镇点个大大的赞👍👍",
     "request_type": "praise",
     "meta": {"platform": "douyin", "nickname": "追风的小胖", "post_id": "7351887702145520937"},
     "consent_public": True},
    {"channel": "newmedia", "external_id": "wx-3918301127", "age_hours": 22.0,
     "content": "请问今年城乡居民医保什么时候开始交？在村委会可以交吗，还是要去镇上？家里老人不会用手机交。",
     "request_type": "consult",
     "meta": {"platform": "wechat", "nickname": "阿芳妈妈", "post_id": "2247486530_2"},
     "consent_public": True},
    {"channel": "newmedia", "external_id": "wb-5031204417723361", "age_hours": 10.0,
     "content": "百合镇的自来水这两天又黄又浑，烧开了壶底一层沉淀，这还能喝吗？水厂能不能出来说句话！",
     "meta": {"platform": "weibo", "nickname": "开平老表", "post_id": "Q8kNz7pWd"},
     "consent_public": True},
    {"channel": "newmedia", "external_id": "dy-7352201538842213054", "age_hours": 28.0,
     "content": "翠湖名苑烂尾五年了，业主房贷天天在还，房子连个影都没有，你们还有心思拍宣传片？？",
     "meta": {"platform": "douyin", "nickname": "翠湖苦主", "post_id": "7352188940017732902"},
     "consent_public": True},
    {"channel": "newmedia", "external_id": "wx-3917960385", "age_hours": 66.0,
     "content": "茅冈村村口那个垃圾点一个星期没人清了，臭死了，苍"
                "蝇蚊子满天飞，天气又热，小孩子都不敢从那边走。",
     "meta": {"platform": "wechat", "nickname": "茅冈阿伟", "post_id": "2247486498_1"},
     "consent_public": True},
    {"channel": "newmedia", "external_id": "wx-3916842290", "age_hours": 300.0,
     "content": "建议在百合圩多装几个电动车充电桩，现在很多人只能从楼上拉电线下来充，不安全也不方便。",
     "request_type": "suggestion",
     "meta": {"platform": "wechat", "nickname": "骑电驴的打工人", "post_id": "2247486377_1"},
     "consent_public": True},
    {"channel": "newmedia", "external_id": "wb-5030988173356120", "age_hours": 34.0,
     "content": "家长们注意了！百合中学门口那家小卖部在卖三无辣条，包装"
                "上连厂名都没有，我家孩子吃了肚子疼。市场监管管不管？",
     "request_type": "report",
     "meta": {"platform": "weibo", "nickname": "二宝妈在开平", "post_id": "Q8jRc4vYb"},
     "consent_public": True},
    {"channel": "newmedia", "external_id": "dy-7352277013309916484", "age_hours": 12.0,
     "content": "带孩子去卫生院打疫苗排了两个多小时，只开了一个接"
                "种窗口，大热天小孩哭成一片，就不能多开个窗口吗？",
     "request_type": "complaint",
     "meta": {"platform": "douyin", "nickname": "小鱼儿麻麻", "post_id": "7352260385519938851"},
     "consent_public": True},
    {"channel": "newmedia", "external_id": "wx-3915720648", "age_hours": 500.0,
     "content": "镇里公众号发的办事指南能不能把咨询电话和办公地点写上？每次看完还是不知道找谁。",
     "request_type": "suggestion",
     "meta": {"platform": "wechat", "nickname": "路过的老周", "post_id": "2247486210_3"},
     "consent_public": True},
    {"channel": "newmedia", "external_id": "wb-5029873361204458", "age_hours": 250.0,
     "content": "感谢百合镇卫生院的护士，昨晚大半夜我爸摔伤了头，她们"
                "给处理伤口、一直安慰老人，特别耐心，好人一生平安🙏",
     "request_type": "praise",
     "meta": {"platform": "weibo", "nickname": "一只咸鱼不翻身", "post_id": "Q8fGh1kLs"},
     "consent_public": True},
    {"channel": "newmedia", "external_id": "wx-3918445071", "age_hours": 7.0,
     "content": "说了多少次了还是老样子，真的寒心。每次都说在处理在处理，处理到现在，你们自己心里清楚。",
     "meta": {"platform": "wechat", "nickname": "无语", "post_id": "2247486541_1"},
     "consent_public": False},
    {"channel": "newmedia", "external_id": "dy-7351640255875036213", "age_hours": 190.0,
     "content": "齐塘河边钓鱼的人吃完喝完，矿泉水瓶、泡面盒全丢在河"
                "边，河面上漂着一层垃圾，好好一条河搞成这样，心疼。",
     "meta": {"platform": "douyin", "nickname": "齐塘钓友老邓", "post_id": "7351622840173318402"},
     "consent_public": True},
    {"channel": "newmedia", "external_id": "wx-3917533019", "age_hours": 80.0,
     "content": "请问百合镇今年还有没有公益性岗位招人？我弟弟是"
                "残疾人，在家闲了好几年，想找份力所能及的工作。",
     "request_type": "consult",
     "meta": {"platform": "wechat", "nickname": "阿敏", "post_id": "2247486455_2"},
     "consent_public": True},
    {"channel": "newmedia", "external_id": "wb-5030412695518703", "age_hours": 140.0,
     "content": "百合到市区的公交晚上能不能多开一班？七点下班到站早就没"
                "车了，只能花五十块打车回家，一个月打车钱比房租还贵。",
     "request_type": "suggestion",
     "meta": {"platform": "weibo", "nickname": "通勤人阿杰", "post_id": "Q8hTx9mQe"},
     "consent_public": True},
    {"channel": "newmedia", "external_id": "wx-3918150862", "age_hours": 24.0,
     "content": "马降龙那边有几家民宿晚上在院子里唱K唱到一点多，噪音扰民，村里老人都被吵醒了，能不能管管？",
     "meta": {"platform": "wechat", "nickname": "南安里阿婆的孙子", "post_id": "2247486522_1"},
     "consent_public": True},
    {"channel": "newmedia", "external_id": "dy-7351980031457702661", "age_hours": 96.0,
     "content": "镇文化广场的篮球场灯晚上一直不开，年轻人下班想打个球都黑灯瞎火的，灯装了不用是摆设吗？",
     "request_type": "suggestion",
     "meta": {"platform": "douyin", "nickname": "百合少年篮球队", "post_id": "7351967712830466347"},
     "consent_public": True},
    {"channel": "newmedia", "external_id": "wx-3918392256", "age_hours": 16.0,
     "content": "在百合镇一个工地干了半年，老板欠我们工资不给，过年都回不了家了，谁能帮帮我们啊",
     "meta": {"platform": "wechat", "nickname": "老李在开平", "post_id": "2247486537_1"},
     "consent_public": False},
    {"channel": "newmedia", "external_id": "wb-5031256608812745", "age_hours": 0.8,
     "content": "金百合花园5栋电梯又困人了！！里面有老人和小孩，"
                "物业说维保公司要一个小时后才到，这要出事谁负责？",
     "request_type": "help",
     "meta": {"platform": "weibo", "nickname": "金百合5栋住户", "post_id": "Q8kPq3rVc"},
     "consent_public": True},
]

MESSAGES: list[dict] = HOTLINE_MESSAGES + MAILBOX_MESSAGES + NEWMEDIA_MESSAGES

#: The topic a careful operator would give each message (for checking the topic model on the demo
#: data); messages that fit none of the seven topics well (farm subsidies, irrigation, law, vague) are absent.
EXPECTED_TOPICS: dict[str, str] = {
    "GD20260031871": "劳动和社会保障", "GD20260031895": "城乡建设", "GD20260031852": "交通运输",
    "GD20260031544": "城乡建设", "GD20260030977": "环境保护", "GD20260031012": "环境保护",
    "GD20260027410": "城乡建设", "GD20260030488": "城乡建设", "GD20260030803": "卫生计生",
    "GD20260031398": "卫生计生", "GD20260028220": "劳动和社会保障", "GD20260029645": "劳动和社会保障",
    "GD20260029133": "城乡建设", "GD20260028640": "城乡建设", "GD20260029402": "劳动和社会保障",
    "GD20260030901": "商贸旅游", "GD20260030154": "劳动和社会保障", "GD20260030432": "劳动和社会保障",
    "GD20260031203": "环境保护", "GD20260028813": "城乡建设", "GD20260028351": "城乡建设",
    "GD20260029890": "环境保护", "GD20260030720": "环境保护", "GD20260028129": "交通运输",
    "GD20260030067": "交通运输", "GD20260031668": "教育文体", "GD20260029276": "卫生计生",
    "GD20260029517": "城乡建设", "GD20260030311": "商贸旅游", "GD20260029960": "商贸旅游",
    "XJ202600241": "城乡建设", "XJ202600337": "交通运输", "XJ202600289": "劳动和社会保障",
    "XJ202600252": "城乡建设", "XJ202600311": "卫生计生", "XJ202600323": "环境保护",
    "XJ202600228": "劳动和社会保障", "XJ202600329": "劳动和社会保障", "XJ202600219": "教育文体",
    "XJ202600297": "商贸旅游", "XJ202600340": "城乡建设", "XJ202600268": "卫生计生",
    "XJ202600285": "教育文体",
    "wx-3918274410": "环境保护", "wb-5031178826419937": "交通运输", "dy-7352019846631207719": "商贸旅游",
    "wx-3918301127": "劳动和社会保障", "wb-5031204417723361": "城乡建设",
    "dy-7352201538842213054": "城乡建设", "wx-3917960385": "环境保护", "wx-3916842290": "城乡建设",
    "wb-5030988173356120": "商贸旅游", "dy-7352277013309916484": "卫生计生",
    "wb-5029873361204458": "卫生计生", "dy-7351640255875036213": "环境保护",
    "wx-3917533019": "劳动和社会保障", "wb-5030412695518703": "交通运输",
    "dy-7351980031457702661": "教育文体", "wx-3918392256": "劳动和社会保障",
    "wb-5031256608812745": "城乡建设",
}

#: Cases the demo is meant to exercise, by external_id (unique across channels in this data).
SCENARIOS: dict[str, list[str]] = {
    # Clearly urgent or risky: 轻生 over unpaid wages, gas smell, collapsed bridge, 集体上访 threat.
    "urgent": ["GD20260031871", "GD20260031895", "GD20260031852", "GD20260031544"],
    # Same issue from different citizens (the first two are near-duplicate hotline calls).
    "near_duplicates": ["GD20260030977", "GD20260031012", "wx-3918274410"],
    # The same phone number calling again about the same street lights.
    "repeat_caller": ["GD20260027410", "GD20260030488"],
    # Markup in the citizen's words: must be shown escaped, never rendered.
    "html": ["wb-5031178826419937"],
    # No keyword rule applies; an operator has to read these (one looks like an invalid silent call).
    "vague": ["GD20260031760", "GD20260031299", "XJ202600262", "wx-3918445071"],
    "disclosure": ["XJ202600318"],
    "praise": ["GD20260029276", "XJ202600252", "dy-7352019846631207719", "wb-5029873361204458"],
}

#: The hot areas the seed plan asks to watch (分工方案第19项), with demo messages in each.
WATCH_AREAS: dict[str, list[str]] = {
    "疫情防控": ["GD20260030803", "GD20260031398", "XJ202600268", "dy-7352277013309916484"],
    "房地产": ["GD20260031544", "XJ202600241", "dy-7352201538842213054"],
    "工资拖欠": ["GD20260031871", "GD20260029402", "XJ202600228", "wx-3918392256"],
    "环境污染": ["GD20260029890", "GD20260030720", "XJ202600323", "dy-7351640255875036213"],
    "食品安全": ["GD20260030901", "wb-5030988173356120"],
    "教育医疗养老": ["GD20260031668", "XJ202600311", "XJ202600289", "XJ202600285", "GD20260030154"],
    "安全生产": ["GD20260031895", "GD20260029133", "XJ202600340", "wb-5031256608812745"],
    "困难群众生活": ["GD20260028220", "GD20260029645", "XJ202600329", "wx-3917533019"],
    "小区物业管理": ["GD20260028640", "wb-5031256608812745", "XJ202600340"],
}


def matching_rules(
    topic: str | None, title: str | None, content: str, rules: list[dict] | None = None
) -> list[dict]:
    """Rules that match a message, highest priority first (the contract's matching rule)."""
    text = f"{title or ''}\n{content}"
    found = [
        rule for rule in (ROUTING_RULES if rules is None else rules)
        if (rule["topic"] is None or rule["topic"] == topic)
        and (not rule["keywords"] or any(word in text for word in rule["keywords"]))
    ]
    return sorted(found, key=lambda rule: -rule["priority"])


def validate() -> list[str]:
    """Return every problem in the demo content; an empty list means it is loadable."""
    names = [unit["name"] for unit in UNITS]
    problems = _check_units(names)
    known = set(names)
    problems += _check_rules(known)
    problems += _check_users(known)
    problems += _check_messages()
    ids = {message.get("external_id") for message in MESSAGES}
    listings = [*SCENARIOS.items(), *WATCH_AREAS.items(), ("EXPECTED_TOPICS", list(EXPECTED_TOPICS))]
    for label, listed in listings:
        problems += [f"{label}: 未知的 external_id {ext}" for ext in listed if ext not in ids]
    problems += [f"EXPECTED_TOPICS: {ext} 的主题 {t} 不在 TOPICS 中"
                 for ext, t in EXPECTED_TOPICS.items() if t not in TOPICS]
    return problems


def _check_units(names: list[str]) -> list[str]:
    problems = [f"单位重名：{name}" for name in sorted(set(names)) if names.count(name) > 1]
    roots = [unit["name"] for unit in UNITS if unit["parent"] is None]
    if roots != [ORGANISATION]:
        problems.append(f"应只有一个根单位 {ORGANISATION}，实际为 {roots}")
    seen_aliases: dict[str, str] = {}
    for unit in UNITS:
        if unit["parent"] is not None and unit["parent"] not in names:
            problems.append(f"单位 {unit['name']} 的上级 {unit['parent']} 不存在")
        for alias in unit.get("aliases", []):
            if alias in names or alias in seen_aliases:
                problems.append(f"别名 {alias} 重复（{unit['name']}）")
            seen_aliases[alias] = unit["name"]
    return problems


def _check_rules(known: set[str]) -> list[str]:
    problems = []
    rule_names = [rule.get("name") for rule in ROUTING_RULES]
    problems += [f"规则重名：{name}" for name in sorted(set(rule_names)) if rule_names.count(name) > 1]
    for rule in ROUTING_RULES:
        label = f"规则 {rule.get('name')}"
        missing = {"name", "priority", "topic", "keywords", "lead", "assist", "note"} - rule.keys()
        if missing:
            problems.append(f"{label} 缺少字段 {sorted(missing)}")
            continue
        if not isinstance(rule["priority"], int):
            problems.append(f"{label} 的 priority 应为整数")
        if rule["topic"] is not None and rule["topic"] not in TOPICS:
            problems.append(f"{label} 的主题 {rule['topic']} 不在 TOPICS 中")
        if rule["topic"] is None and not rule["keywords"]:
            problems.append(f"{label} 既无主题也无关键词，会匹配所有诉求")
        if any(not isinstance(word, str) or not word.strip() for word in rule["keywords"]):
            problems.append(f"{label} 有空关键词")
        for unit in [rule["lead"], *rule["assist"]]:
            if unit not in known:
                problems.append(f"{label} 引用了不存在的单位 {unit}")
        if rule["lead"] in rule["assist"]:
            problems.append(f"{label} 的主办单位同时列为协办")
        if not rule["note"].strip():
            problems.append(f"{label} 缺少说明 note")
    covered = {rule["topic"] for rule in TOPIC_RULES}
    problems += [f"主题 {topic} 没有默认规则" for topic in TOPICS if topic not in covered]
    return problems


def _check_users(known: set[str]) -> list[str]:
    problems = []
    usernames = [user.get("username") for user in USERS]
    problems += [f"用户名重复：{name}" for name in sorted(set(usernames)) if usernames.count(name) > 1]
    for user in USERS:
        label = f"用户 {user.get('username')}"
        if user.get("role") not in ROLES:
            problems.append(f"{label} 的角色 {user.get('role')} 无效")
        if user.get("role") == "unit" and user.get("unit") not in known:
            problems.append(f"{label} 的单位 {user.get('unit')} 不存在")
        if user.get("role") != "unit" and user.get("unit") is not None and user["unit"] not in known:
            problems.append(f"{label} 的单位 {user['unit']} 不存在")
        if not user.get("password") or not user.get("display_name"):
            problems.append(f"{label} 缺少密码或姓名")
    return problems


_MESSAGE_FIELDS = {"channel", "external_id", "age_hours", "content", "title", "request_type", "urgency",
                   "citizen", "address", "consent_public", "meta"}


def _check_messages() -> list[str]:
    problems = []
    seen: set[tuple[str, str]] = set()
    for index, message in enumerate(MESSAGES):
        label = f"诉求 #{index} {message.get('external_id')}"
        missing = {"channel", "external_id", "age_hours", "content"} - message.keys()
        if missing:
            problems.append(f"{label} 缺少必填字段 {sorted(missing)}")
            continue
        key = (message["channel"], message["external_id"])
        if key in seen:
            problems.append(f"{label} 的 external_id 在渠道 {message['channel']} 内重复")
        seen.add(key)
        problems += [f"{label} {problem}" for problem in _message_problems(message)]
    return problems


def _message_problems(message: dict) -> list[str]:  # noqa: C901 - one flat list of field checks
    problems = []
    unknown = message.keys() - _MESSAGE_FIELDS
    if unknown:
        problems.append(f"有未知字段 {sorted(unknown)}")
    channel = message["channel"]
    if channel not in CHANNELS:
        problems.append(f"渠道 {channel} 无效")
    content = message["content"]
    if not isinstance(content, str) or not content.strip() or len(content) > MAX_CONTENT:
        problems.append(f"内容应为 1 到 {MAX_CONTENT} 个字符")
    if not isinstance(message["age_hours"], int | float) or message["age_hours"] <= 0:
        problems.append("age_hours 应为正数")
    if message.get("request_type", "consult") not in REQUEST_TYPES:
        problems.append(f"诉求类型 {message['request_type']} 无效")
    if message.get("urgency", "normal") not in URGENCIES:
        problems.append(f"紧急程度 {message['urgency']} 无效")
    if "consent_public" in message and not isinstance(message["consent_public"], bool):
        problems.append("consent_public 应为布尔值")
    citizen = message.get("citizen", {})
    if not isinstance(citizen, dict) or set(citizen) - {"name", "phone", "id_number"}:
        problems.append("citizen 只能包含 name / phone / id_number")
    if channel == "hotline" and not citizen.get("phone"):
        problems.append("热线诉求必须有来电号码")
    if channel == "mailbox" and not message.get("title"):
        problems.append("信箱来信必须有标题")
    if channel == "newmedia":
        if "title" in message:
            problems.append("新媒体留言不应有标题")
        if message.get("meta", {}).get("platform") not in PLATFORMS:
            problems.append("新媒体留言的 meta.platform 应为 wechat / weibo / douyin")
    return problems
