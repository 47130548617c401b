import csv
import time

import pytest

from responder.analysis import duplicates

A = "楼下烧烤店每晚油烟扰民，多次反映没人管，严重影响休息，请相关部门尽快处理。"
A2 = "楼下烧烤店每晚油烟扰民，多次反映都没人管，严重影响休息！请相关部门尽快处理"
B = "请问新生儿落户需要哪些材料，在哪里办理？"


def test_similar_and_fingerprint():
    assert duplicates.similar(A, A) == 1.0
    assert duplicates.similar(A, A2) > 0.6
    assert duplicates.similar(A, B) < 0.1
    assert isinstance(duplicates.fingerprint(A), int) and duplicates.fingerprint(A) < 2**64
    assert duplicates.hamming(duplicates.fingerprint(A), duplicates.fingerprint(A2)) < duplicates.hamming(
        duplicates.fingerprint(A), duplicates.fingerprint(B))


def test_group_near_duplicates():
    items = [(1, A), (2, B), (3, A2), (4, "完全不同的一条留言，关于公交线路调整。"), (5, A + "谢谢")]
    assert duplicates.group_near_duplicates(items, 0.6) == [[1, 3, 5]]
    assert duplicates.group_near_duplicates([], 0.6) == []
    assert duplicates.group_near_duplicates([(1, ""), (2, "")], 0.6) == []


@pytest.mark.shared_data
def test_groups_real_messages_quickly(shared_data):
    with (shared_data / "messages_with_likes.csv").open(encoding="utf-8") as f:
        items = [(r["id"], r["title"] + r["body"]) for r in csv.DictReader(f)]
    start = time.perf_counter()
    groups = duplicates.group_near_duplicates(items, 0.6)
    assert time.perf_counter() - start < 30
    assert 50 < len(groups) < 1000
    texts = dict(items)
    for group in groups[:20]:
        assert duplicates.similar(texts[group[0]], texts[group[1]]) >= 0.6 or len(group) > 2
