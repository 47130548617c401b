"""The topic trainer's topic-linear-4 and -5 parts: unlabelled messages, title terms, intercept offsets, NBSVM."""

from __future__ import annotations

import csv

import numpy as np

from responder.analysis import topics, train_topics, unlabelled

TRAIN = [
    ("路灯不亮", "我们小区门口的路灯坏了一个多月，晚上一片漆黑，老人出门很危险。", "城乡建设"),
    ("拖欠工资", "公司拖欠我们三个月工资，劳动监察大队一直没有处理结果。", "劳动和社会保障"),
]


def write_pool(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["id", "title", "body"])
        out.writerows([i, title, body] for i, (title, body) in enumerate(rows))
    return path


def test_unlabelled_messages_leave_out_copies_and_near_copies_of_training_ones(tmp_path):
    corpus = train_topics.make_corpus(TRAIN, topics.LABELS)
    path = write_pool(tmp_path / unlabelled.FILES[0], [
        ("", TRAIN[0][1]),  # a copy
        ("", TRAIN[1][1].replace("三个月", "四个月")),  # a re-post, lightly edited
        ("河水发臭", "化工厂往河里偷排废水，河水发黑发臭，鱼都死了。"),
        ("河水发臭", "化工厂往河里偷排废水，河水发黑发臭，鱼都死了。"),  # the same message twice: kept once
    ])
    assert unlabelled.beside(tmp_path / "train.csv") == [path]
    pool = unlabelled.read([path], corpus.texts, corpus.duplicate_keys, train_topics.duplicate_key)
    assert pool.texts == ["河水发臭\n化工厂往河里偷排废水，河水发黑发臭，鱼都死了。"] and pool.dropped == 2
    assert pool.titles == [topics.tokenize("河水发臭")] and pool.tokens[0][: len(pool.titles[0])] == pool.titles[0]
    assert pool.files == (unlabelled.FILES[0],)
    assert unlabelled.beside(tmp_path / "elsewhere" / "train.csv") == []


def test_unlabelled_text_shapes_the_idf_but_trains_no_weight(tmp_path):
    rows = [(t, f"{b}（第{i}次）", lb) for i in range(6) for t, b, lb in TRAIN]
    corpus = train_topics.make_corpus(rows, topics.LABELS[:2])
    path = write_pool(tmp_path / unlabelled.FILES[1], [("路灯", f"路灯又坏了，第{i}盏，漆黑一片") for i in range(5)])
    pool = unlabelled.read([path], corpus.texts, corpus.duplicate_keys, train_topics.duplicate_key)
    args = (corpus.tokens, corpus.labels, corpus.groups, "balanced_svm+chars+title+unlabelled", corpus.texts, None,
            corpus.titles)
    alone, _, _ = train_topics.fit(*args)
    widened, coef, _ = train_topics.fit(*args, pool)
    assert "又坏了" not in alone.words.vocabulary_
    assert "又坏了" in widened.words.vocabulary_  # only in the unlabelled messages (two of them or more)
    assert coef.shape[1] == len(widened.idf_) and np.allclose(coef[:, widened.words.vocabulary_["又坏了"]], 0)
    assert widened.words.idf_[widened.words.vocabulary_["路灯"]] < alone.words.idf_[alone.words.vocabulary_["路灯"]]
    assert "T:拖欠工资" in alone.words.vocabulary_  # "+title": title words also as title terms


def test_offsets_raise_macro_f1_and_stay_zero_when_nothing_helps():
    rng = np.random.default_rng(0)
    labels = np.repeat([0, 1, 2], 40)
    scores = rng.normal(size=(120, 3)) + np.eye(3)[labels] * 1.5
    scores[:, 0] += 1.0  # label 0 wins too often: an offset should take it back
    offsets = train_topics.tune_offsets(scores, labels)
    before = train_topics.f1_score(labels, scores.argmax(1), average="macro")
    after = train_topics.f1_score(labels, (scores + offsets).argmax(1), average="macro")
    assert after > before and offsets[0] < min(offsets[1:]) + 1e-9
    perfect = np.eye(3)[labels] * 5.0
    assert np.all(train_topics.tune_offsets(perfect, labels) == 0)


def test_offsets_are_skipped_for_a_label_too_rare_for_the_inner_folds():
    features = np.eye(7)[[0, 0, 0, 1, 1, 1, 2, 2]]
    labels = np.array([0, 0, 0, 1, 1, 1, 2, 2])  # label 2 twice: fewer than the 3 inner folds
    assert np.all(train_topics.intercept_offsets("balanced_svm", features, labels) == 0)


def test_the_card_says_when_no_unlabelled_messages_were_found():
    corpus = train_topics.make_corpus([(t, f"{b}{i}", lb) for i in range(4) for t, b, lb in TRAIN], topics.LABELS[:2])
    name = "balanced_svm+chars+title+unlabelled+offsets"
    vectorizer, _, _ = train_topics.fit(corpus.tokens, corpus.labels, corpus.groups, name, corpus.texts, None,
                                        corpus.titles)
    note = train_topics.method_note(name, vectorizer, None)
    assert "No unlabelled messages" in note and "T:word" in note and "offsets" in note


def test_two_labels_give_one_score_row_each():
    # LinearSVC keeps one row for two classes; the shipped format needs one row per label.
    corpus = train_topics.make_corpus([(t, f"{b}{i}", lb) for i in range(6) for t, b, lb in TRAIN], topics.LABELS[:2])
    for name in ("linear_svm+chars", "balanced_svm+chars+title+unlabelled+offsets"):
        model = train_topics.fit(corpus.tokens, corpus.labels, corpus.groups, name, corpus.texts, None, corpus.titles)
        assert model[1].shape[0] == 2 and model[2].shape == (2,)
        scores = train_topics.linear_scores(*model, corpus.tokens, corpus.texts, corpus.titles)
        assert list(scores.argmax(axis=1)) == list(corpus.labels)


def test_nbsvm_folds_the_log_count_ratios_into_its_weights():
    rng = np.random.default_rng(0)
    dense = rng.random((60, 12)) * (rng.random((60, 12)) < 0.4)
    dense[:20, 0] = 1.0  # feature 0 marks label 0
    x, y = train_topics.sp.csr_matrix(dense), np.repeat([0, 1, 2], 20)
    model = train_topics.NBSVM(C=0.5, balanced=True).fit(x, y)
    present = (x > 0).toarray()
    p, q = 1 + present[y == 0].sum(0), 1 + present[y != 0].sum(0)
    r = np.log(p / p.sum()) - np.log(q / q.sum())
    svm = train_topics.LinearSVC(C=0.5, random_state=0).fit(x.multiply(r).tocsr(), (y == 0).astype(int))
    # label 0 is a third of the rows: its positives weigh 60 / (3 × 20) = 1, as without weights
    assert np.allclose(model.decision_function(x)[:, 0], svm.decision_function(x.multiply(r).tocsr()))
    assert model.coef_.shape == (3, 12) and r[0] > 0 and model.coef_[0, 0] > 0

