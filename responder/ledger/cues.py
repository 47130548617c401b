"""The cue phrases and blockers the commitment extractor reads official replies with (data, no logic).

Each pattern names a kind of clause: a promise's cue (CUES), or something that looks like one and is not
(a pleasantry, a rule, a forecast, advice, a story told in the past). extract.py decides with them.
"""

import re

MAX_TEXT = 500
SUBJECT = (r"(?:我们|我局|我委|我办|我院|我所|我站|我校|我中心|我部门|我单位|我区|我县|我市|我镇|我街道"
           r"|街道|社区|镇|村|政府|部门|单位|公司|大队|支队|中队|交警|公安|城管|学校|医院)")
# Cues that make a sentence a promise of future action.
CUES = [
    r"(?:下一步|下一阶段|下阶段|下步|接下来|今后|后续|后段|后阶段)(?=.{0,20}(?:将|会|要|继续|进一步|加强|加大|持续|我|做好|积极|督促))",
    r"并将(?=严格|进一步|继续|及时|尽快|加强|加大|积极|认真|依法|持续)|(?<![现特谨兹已并均未])将(?!近|军|士|来|至[，,。！!])",
    rf"(?:{SUBJECT}|我\w{{0,2}}|也|还|都|亦|一定|定|仍|情况|结果|近期|近日|今后|届时|后期)(?<![社机协议大学委宴聚开理])会(?!同|议|上|商|签|审|后|员|计|费|所|场|长|展|务)"
    r"|(?<!社|协|机|议|开|大|学|委|理|都|宴|聚)会(?:及时|尽快|积极|认真|依法|加大|加强|继续|进一步|督促|协调|安排|组织|跟进"
    r"|陆续|逐步)"
    r"|愿意(?:尽|全力|积极|配合|协助)|一定(?:会|将|第一时间|及时|尽快)|第一时间(?:对外)?(?:公布|告知|回复|处理|反馈)",
    r"计划(?:于|在|将|从|今年|明年|本年|年内|[0-9０-９]|下半年|上半年|近期|尽快|年底|月底|投资|新建"
    r"|购买|购置|采购|.{0,4}(?:开工|完成|完工|建成|实施|启动|建设|改造))|准备(?:于|在|将|更换|换|新建|投资)"
    r"|(?<![规约限])定于|(?<![需须要])待[^，,。]{2,40}后(?![^。]{0,30}(?:方可|才能|才可))|待.{2,40}后[，,]?(?:再|给您|予以|及时)|^\s*再(?:着手|设置|安排|考虑|进行|启动|实施|研究)",
    r"拟(?:于|在|将|对|安排|启动|实施|开展|建设|新建|改造|投入|采取|采用|召开|组织|列入|纳入|申请|上报|报送|增设|增加|设置"
    r"|安装|修建|更换|出台|制定|新增|近期|年内|今年|明年)",
    r"预计|估计(?!值|数)|(?<!努)力争|争取(?!.{0,6}(?:支持|理解|配合))|确保.{0,30}(?:前|内|年底|月底|年内)(?:完成|完工|到位|解决|办结)",
    r"(?:尽快|抓紧|近期|适时|择机|及时)(?:安排|组织|完成|解决|处理|落实|维修|修复|整改|开展|推进|实施|调查|核实|答复|回复|反馈"
    r"|告知|清理|启动|研究|召开|拆除|建设|施工)"
    r"|尽快(?:完善|推广|建成|修建|修缮|恢复|出台|制定|办理|明确|协调|督促|更换|疏通|审批|上报|对接)",
    r"(?:完成|完工|建成|竣工|整改|解决|到位|办结|开工|投入使用|通车|开通|交付|启动|修复|安装|开园|开学|出台"
    r"|实施(?!办法|细则|方案|意见|条例)|招生(?!计划|工作|政策|范围|简章|人数|数))",  # not as nouns (实施办法)
]
FUTURE_JIANG = 1  # 将 is future only before a verb, adverb or preposition (not 把-like 将 before a noun)
PLAN = 3  # 计划/准备/定于/待…后
PLANNED = 4  # 拟…
SOON = 6  # 尽快/抓紧/及时 + a verb
LOOKS_AHEAD = (3, 4, 5)  # 计划/待…后, 拟, 预计/争取/力争: a 了 after them tells the plan as done
DEADLINE_ONLY = 7  # the last cue (a completion verb) counts only with a future deadline in the sentence
# Clauses that are no promise: thanks, contact details, the citizen's own to-dos, the reply formula.
PLEASANTRY = re.compile(
    r"感谢|谢谢|欢迎|如有(?:疑问|问题|异议|不明|需要|其他)|祝您|敬请|请(?:您|你|网友|市民|群众|业主|理解|谅解)|"
    r"请(?:查看|关注|登录|留意|访问|前往|携带|拨打|致电)|以便|可与.{0,20}联系|联系人|希望(?:您|你|广大)|"
    r"建议(?:您|你)|可(?:咨询|拨打|致电|联系)|联系电话|电话[:：]|[0-9]{4}-[0-9]{7,8}|(?:回复|答复|报告|反馈|说明)如下|"
    r"理解和支持|关心和支持|关注和支持|顺祝|快乐|还望谅解")
NEGATED = re.compile(r"暂无|暂未|暂不|没有|尚无|尚未|无法|不能|不予|不会|将不再|无.{0,6}计划"
                     r"|未(?:列入|纳入|及时|能|尽快)")
PAST = re.compile(r"已(?:于|经|将|在|按|完成|全部|基本|对|向|要求|责令|安排|组织|督促)"
                  r"|此前|曾|据查|经查|经核实|确有|以来|高度重视|多次|当时|截至|截止|先后|一直在"
                  r"|才(?:全部|基本)?(?:完成|完工|建成|竣工|到位|交付|开通|通车)")
# Promises of nothing in particular ("将一如既往…", "将热忱为您服务").
# A rule (应/须/不得), a habit (每天/经常) or the citizen's own demand (要求尽快) is not a promise.
NOT_A_PROMISE = re.compile(r"应当|(?<![响反供适])应(?!急|用|有|对)|须|不得|每天|每年|每周|经常|往往|难度|时限"
                           r"|之日起|(?:文件|规定|政策)(?:精神|要求)?执行|^\s*为了?(?:尽快|及时|进一步|方便|确保|加强)"
                           r"|(?:要求|希望|请求|诉求)(?:能|能够)?(?:尽快|早日|及时)"
                           r"|起(?:全面|正式)?(?:实施|施行|执行)"  # a rule's effective date (自…起施行)
                           r"|将(?:不再|不会|不予)"  # a negated plan, however worded
                           r"|(?:查到|发现|查处)一[起家例个][^，,。]{0,4}(?:处置|查处|处理|取缔)一[起家例个]")
# Advice to someone else ("建议相关职能部门…", "建议县局将依法处理") is theirs to follow, not a promise.
ADVICE = re.compile(r"建议(?:相关|有关|由|各|业主|你们|市民|群众|家长|当事人|通过|向|您|你|参照|目前|采用|先)"
                    r"|建议[^，,。的]{0,8}(?:将|尽快|及时|依法)|^\s*(?:也|并|同时|更)?希望")
# After advice to the citizen (建议您向…举报，我们将…) the office's part waits on the citizen's: a condition.
TO_CITIZEN = re.compile(r"建议(?:您|你)|请(?:您|你)[^，,。]{0,4}告(?:诉|知)"
                        r"|(?<![我局委办])可(?:以)?(?:向|到|拨打|致电|联系)"
                        r"|请(?:您|你)?(?:向|到|拨打|致电|联系|提供|举报|反映|携带|前往|提交|申请)")
# A condition ("如有进展，将及时告知", "如您提供线索，我们将…", "若属实，将依法处理"): what follows is a standing
# policy, not an undertaking for this matter. 如期/如实/如下/如何… are no conditions.
CONDITION = re.compile(r"^\s*(?:(?:今后|同时|此外|另外|当然)[，,]?\s*)?"
                       r"(?:如果|假如|假若|若是?|倘若|一旦|万一|如(?![期实下何此今同上前常数]))")
# Opening a finding (经核实，…拟建设…): what follows is the state of things, plans included, not work told done.
FINDING = re.compile(r"经核实|经查|据查|经调查|经了解")
# What follows "随着…，" is a forecast and what follows "据…了解，" hearsay, until the office speaks again.
# "此类项目动工前，…将…": what is done for a kind of case, not an undertaking for this one.
KIND_OF_CASE = re.compile(r"^\s*(?:此类|这类|该类|同类|类似)")
# The office or a public unit named in a clause: a private party is no longer the subject.
OFFICE = re.compile(r"我|本(?:局|委|办|单位|中心)|局(?![面势部])|委员会|[市县区镇乡]委|[^\s办代]办(?![理证法事学公])"
                    r"|政府|街道|社区|部门|中心|大队|支队|中队|派出所|学校|医院|[镇乡村](?:相关|工作人员|干部|党委)")
NUMBERED = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十0-9０-９]{1,2}[)）、.．]|[一二三四五六七八九十]是)")
HEARSAY = re.compile(r"^\s*据[^，,。]{0,20}了解")
TREND = re.compile(r"^\s*随着")
SPEAKS_AGAIN = re.compile(r"^\s*(?:我|本|下一步|今后)")
SPEAKS_INSIDE = re.compile(r"我|本(?:局|委|办|单位|中心|所|院|部门|公司)")
# A unit named as the one who acts ("交警部门将…", "公交公司会…") after 随着…: a plan, not how things will go.
ACTOR = re.compile(rf"^\s*[^，,。]{{0,10}}?(?:{SUBJECT}|局|委|办|中心)(?:也|还|都|亦)?(?:将|会)")
# A clause that only leads in ("下一步，", "同时，") belongs to the clause after it.
LEAD = re.compile(r"^\s*(?:下一步|下步|下一?阶段|今后|接下来|后续|后阶段|同时|此外|另外|届时)[，,]\s*$")
# A private party's own words ("开发商表示将…", "该公司承诺会…") are not the office's undertaking; a company
# giving a public service (公交, 燃气, 供水…) speaks for the public side.
PRIVATE = re.compile(r"开发商|开发[^，,。]{0,4}公司|地产|置业|私立|物业(?![办科股]|管理[办科股处所站])|商家|商户"
                     r"|经营户|经营者|店主|老板|业主|当事人|被投诉人|被诉人|公司")
# "公司将…", "我公司会…": the company that writes the reply, not a private party it reports on.
SELF_COMPANY = re.compile(r"(?:我|本)(?:公司|司)|^\s*(?:(?:下一步|下步|今后|后续|同时)[，,]?\s*)?公司")
PUBLIC_SERVICE = re.compile(r"(?:公交|燃气|自来水|供水|供电|电力|水务|交通|地铁|轨道|通信|移动|联通|电信|邮政|热力"
                            r"|城投|建投|城建|市政|建设投资|广电|客运|铁路|高速|环卫|巴士|出租|公共自行车)[^，,。]{0,8}公司")
# Orders and requests come before the other party's name ("督促物业公司…", "要求开发商…"): the office acts.
OFFICE_ACTS = re.compile(r"督促|要求|责令|责成|协调|联系|约谈|通知|引进|委托|聘请|协助|帮助|联合|配合")
PLATITUDE = re.compile(r"一如既往|始终不遗余力|更加努力|努力工作|应有的贡献|以此为契机|做好各项工作|热情地?接待"
                       r"|作为工作指南|做好今后的工作"
                       r"|将(?:热忱|竭诚|诚挚|继续欢迎|不忘|尽最大努力|坚决拥护)"
                       r"|为(?:[您你]|群众|市民|大家|广大)[^，,。]{0,12}(?:服务|解答|解释)|做好(?:本职|职责范围内的?)工作|虚心接受|继续努力|(?:详细|进一步)的?解答|做好服务工作|履行好?[^，,。]{0,6}职责"
                       r"|(?:不断|进一步)(?:完善|改进|提高|提升|优化)[^，,。]{0,20}(?:工作|服务|流程|水平)[，,。]?\s*$"
                       r"|为(?:用户|乘客|市民|群众|广大)[^，,。]{0,6}提供更[^，,。]{0,16}(?:服务|环境)"
                       r"|(?:将|会)(?:会)?受到|平时|通常|一般情况下")
# How things will turn out, or what a rule or document provides, is no undertaking: "环境将会日趋良好",
# "成绩将作为分班依据", "退休后将按照…规定计算待遇".
FORECAST = re.compile(r"(?:问题|难题|矛盾|状况|现象)也?(?:将|会)"
                      r"|(?:将|会)(?:会|能|可)?(?:得到|日趋|日益|越来越|逐步得到|有所|随之|相应|自然而然|取决于|成为|远远)"
                      r"|将(?:会)?(?:被)?(?:作为|视为|计入|按[^，,。]{0,25}计算|(?:登记|认定|视|作|列|定|划)为)"
                      r"|(?:将|会)(?:会)?(?:给[^，,。]{0,20})?(?:产生|出现|造成|导致|引起|带来)|将随着|的实施(?:将|会)"
                      r"|更将|(?:将|会)(?:有所)?不同|(?:设施|条件|环境|水平|质量|秩序|压力|面貌)(?:也|还|都|更)?(?:将|会)(?:会)?"
                      r"(?:为|给|使|让|更|变得|大为|大大|明显|显著|进一步(?:提升|提高|改善|完善))"
                      r"|随着[^。]{0,30}(?:将|会)|(?:将|会)(?:会)?(?:极易|容易|达到)|将(?:会)?更加(?:明显|突出|完善|便利|便捷|方便|优美|良好|合理|规范)|相信[^，,。]*(?:将|会)|(?:将|会)(?:会)?(?:非常|十分|很|较|更|极|严重)?(?:可能|导致|造成|影响)")
# Studying or weighing the citizen's suggestion promises no particular outcome ("将对您的建议进行研究").
CONSIDER = re.compile(r"(?:研究|考虑|吸纳|参考|论证|听取)[^，,。]{0,6}(?:您|你|网友|群众)[^，,。]{0,6}(?:建议|意见)"
                      r"|(?:您|你|网友)[^，,。]{0,6}(?:建议|意见)[，,]?[^，,。]{0,10}(?:研究|考虑|吸纳|参考|论证)")
# The citizen's own words told back ("关于您所提到的…将实行新政策") are the topic, not a promise.
THEIR_WORDS = re.compile(r"^\s*(?:关于|对于|针对|就)?(?:您|你|网友|来信人)(?:所|信中|留言中?)?"
                         r"(?:提到|提出|反映|咨询|询问|说|称)的")
# 将 as 把 ("可将组织关系转到…", "将违法行为纳入征信"): moving an object, with nobody promising anything.
FUTURE_MARK = re.compile(r"下一步|下步|下阶段|今后|接下来|近期|后续|尽快|计划|拟|争取|力争")
BA = re.compile(r"(?:^|[，,]|可|可以|只是|如果|若|负责|同意|所以|故|因此|从而|不小心|(?:您|你)[^，,。]{0,12}?)\s*"
                r"将(?![按依根对在于与向从及尽进继持加认积严密全逐会要])"
                r"[^，,。将]{1,14}?(?:纳入|转到|转入|交到|交给|分配到|分配给|划入|归入|列入|计入|作为|[改设定预留登记]为|[定设放]在|(?:降低|降|减少|提高)到|控制在|调整为|变更为|折算|回复至|向[^，,。]{1,12}倾斜)|同意将")
# A rule for a class of people ("未按规定营运的驾驶员将…") rather than the office's own undertaking.
CLASS_RULE = re.compile(r"(?:未|不(?!动产)|违反|违规|超过|逾期)[^，,。]{0,20}的[^，,。的]{0,10}将|违者将")
# What a finished project will bring about is a forecast, not an undertaking ("建成后将彻底解决…").
EFFECT = re.compile(r"(?:后.{0,6}|^\s*)将(?:会)?(?:进一步|有效|彻底|大大|极大|一举|从根本上|根本)?"
                    r"(?:缓解|缓和|改善|解决|提升|满足|方便|减少|降低|消除)")
# An order given to someone else ("责令开发商于10月1日前完成"), told as done: the deadline is theirs.
ORDER = re.compile(r"责令|责成|要求|下达|下发|限期")
# The provisions of a rule or plan quoted as such ("职责规定如下：", "流程如下：", "规划包括：").
DOCUMENT = re.compile(r"(?:规定|流程|程序|职责|规划|详规|内容|条件|标准)[^，,。]{0,6}(?:如下|包括)[：:]|标准[：:]"
                      r"|(?:^|[：:])\s*根据[^，,。]{0,10}规划[，,](?![^。]{0,20}我)|任何(?:单位|个人|人)")
# What marks a sentence as looking ahead even though it names a past date ("已于5月14日立案，将进一步…",
# "待改革完成后，我县将…"); without it, 将 in a sentence dated only in the past tells a story ("2004年，…将…作为股本").
AHEAD = re.compile(r"下一步|下步|下一?阶段|今后|接下来|后续|后段|后阶段|待|将于|将在|届时|已|计划|拟|争取|力争"
                   r"|如果|如属|若|后[，,]")
# A habit told with 会 ("每年都会举办", "一般只会设置") is what happens anyway, not an undertaking.
HABIT = re.compile(r"每年|每天|每周|每月|每个|每位|经常|往往|平时|通常|一般|时都会")
# A progress report ("目前正在评审，即将招投标") tells the state of the work.
PROGRESS = re.compile(r"(?:正在|已)[^。]*即将")
# "…的，将…": a rule for whoever does something (驾驶人不在现场的，将进行贴处罚单), not a promise.
RULE = re.compile(r"的[，,]$")
SECTION = re.compile(r"^\s*[一二三四五六七八九十]+、")
UNIT_END = "部局站所队处科办委院厅区县市镇村组司"
AHEAD_TIME = ("近期", "近日", "随后", "今后", "以后", "将来", "明年", "年底", "年内", "届时", "不久", "下一步", "后期")
ADVERBS = ("全力", "全面", "继续", "进一步", "加强", "加大", "认真", "积极", "及时", "尽快", "依法", "严格",
           "持续", "密切", "整体", "统一", "逐步", "陆续", "分批", "分期")
OBJECT_START = ("该", "此", "其", "相关", "有关", "这", "那", "您", "你", "所", "原有", "原")
DONE = re.compile(r"(?<![为])了(?!解)|(?:已|已经|责令|要求|督促|责成|通知|以来)[^，,。]{0,20}将")
TOLD_DONE = re.compile(r"(?<![为])了(?!解)")
# Quoted words; a quoted document may run long and quote a phrase of its own (one level of nesting).
QUOTED = re.compile(r"“(?:[^“”]|“[^“”]{0,200}”){0,4000}”|\"[^\"]{0,200}\"|「[^」]{0,4000}」")
ITEM = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十0-9０-９]{1,2}[)）、.．]|[一二三四五六七八九十]是"
                  r"|第[一二三四五六七八九十](?=要求|[，,、])"
                  r"|其[一二三四五六七八九十]|首先|其次|再次|最后|同时)")
SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n])"
                          r"|(?<=[：:])(?=\s*(?:[（(]?[一二三四五六七八九十0-9]{1,2}[)）、.．]|[一二三四五六七八九十]是))")
# "如下：" / "以下…：" after a cue: the items that follow are the promises.
# The reply formula (回复如下：, 情况如下：) opens the answer, not a list of promises.
OPENS_LIST = re.compile(r"(?<!回复)(?<!答复)(?<!汇报)(?<!说明)(?<!报告)(?<!情况)"
                        r"(?:如下|以下|几个方面|几方面|措施|工作)[^。]{0,10}[：:]\s*$")
CUE_RE = [re.compile(c) for c in CUES]
NEXT_STEP = re.compile(r"下一步|下步|下阶段|今后|接下来")
ITEM_FIRST = re.compile(r"^\s*(?:一是|[（(]一[)）]|1[、.．]|首先|第一(?=要求|[，,、]))")
ITEM_INSIDE = re.compile(r"[一二三四五六七八九十]是|第一(?=要求|[，,、])"
                         r"|[（(][一二三四五六七八九十][)）]|(?<![0-9])1[、.．]")
