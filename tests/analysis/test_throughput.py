import random
import time

from responder.analysis import pipeline

PHRASES = (
    "我们小区门口的道路施工已经持续三个多月，",
    "每天晚上十点以后还有大型机械作业，噪音很大，",
    "老人和孩子都无法休息。",
    "请问灵活就业人员怎么办理社保缴费？",
    "学校周边交通拥堵，家长接送孩子很不方便，",
    "希望有关部门尽快协调解决，",
    "感谢社区工作人员的耐心帮助。",
    "医院挂号难、排队时间长，",
    "公司拖欠工资半年，",
    "河道里有人偷排污水，气味难闻，",
    "建议增设公交线路和站点，",
    "物业收费不透明，业主多次反映无果。",
)


def synthetic_messages(n: int = 200, length: int = 400, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        text = ""
        while len(text) < length:
            text += rng.choice(PHRASES)
        out.append(text[:length])
    return out


def test_full_analysis_throughput():
    # Target is ≥ 200 msg/s per process; the floor allows for a loaded 2-core CI machine.
    texts = synthetic_messages()
    pipeline.warm_up()
    for text in texts[:20]:
        pipeline.analyse_text(text)
    start = time.perf_counter()
    for text in texts:
        pipeline.analyse_text(text)
    rate = len(texts) / (time.perf_counter() - start)
    assert rate >= 150, f"{rate:.0f} messages/s"
