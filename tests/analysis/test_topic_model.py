import os
from pathlib import Path

import numpy as np
import pytest

from responder.analysis import retrain, topics, train_topics, unlabelled
from tests.conftest import need

REPO_ROOT = Path(__file__).resolve().parents[2]


def shared_data_file(name: str) -> Path:
    """Path of a file in the shared data folder; skip if absent, but fail in CI, where it must exist."""
    folder = os.environ.get("RESPONDER_SHARED_DATA") or REPO_ROOT.parent / "shared" / "data"
    path = Path(folder) / name
    need(path.is_file(), f"shared data file {path} is absent (set RESPONDER_SHARED_DATA to the data folder)")
    return path


def test_missing_shared_data_skips_locally_and_fails_in_ci(tmp_path, monkeypatch):
    monkeypatch.setenv("RESPONDER_SHARED_DATA", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="absent"):
        shared_data_file("topic_messages_train.csv")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="absent"):
        shared_data_file("topic_messages_train.csv")


def test_shipped_model_is_small_and_matches_the_code():
    assert topics.MODEL_PATH.stat().st_size < 5 * 1024 * 1024
    model = topics.model()
    assert model.version == topics.TOPIC_MODEL_VERSION
    assert model.labels == topics.LABELS
    assert (topics.MODEL_PATH.parent / "MODEL_CARD.md").is_file()


def test_model_loads_once():
    assert topics.model() is topics.model()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("小区旁边的化工厂每天排放废气，空气污染严重，请环保局查处。", "环境保护"),
        ("公司拖欠工资不缴社保，劳动仲裁也没有结果。", "劳动和社会保障"),
        ("孩子小学入学学位紧张，学校划片不合理。", "教育文体"),
        ("出租车司机拒载、绕路，网约车管理混乱。", "交通运输"),  # 公交 is 城乡建设 in this taxonomy
        ("医院收费不合理，医生态度差，看病难。", "卫生计生"),
    ],
)
def test_obvious_topics(text, expected):
    label, confidence = topics.predict(text)
    assert label == expected
    assert 0.5 < confidence <= 1.0


def test_off_topic_text_gets_a_label_with_low_confidence():
    label, confidence = topics.predict("测试")
    assert label in topics.LABELS
    assert 0.0 <= confidence < 0.6  # well under the review threshold (0.87)


def test_shipped_model_has_the_char_block_and_uses_the_text():
    model = topics.model()
    assert model.char_coef is not None and model.char_coef.shape[0] == len(topics.LABELS)
    text = "小区旁边的化工厂每天排放废气"
    tokens = topics.tokenize(text)
    assert np.allclose(model.probabilities(tokens, text), topics.model().probabilities(tokens, text))
    assert topics.predict(text) == topics.predict_tokens(tokens, text)


def test_probabilities_sum_to_one():
    probs = topics.model().probabilities(topics.tokenize("道路施工噪音扰民"))
    assert probs.shape == (len(topics.LABELS),)
    assert np.isclose(probs.sum(), 1.0) and np.all(probs >= 0)


def test_explain_names_the_terms_behind_the_label():
    terms = topics.explain("化工厂偷排废水，河水被污染，鱼都死了。", k=3)
    assert 1 <= len(terms) <= 3
    assert all(weight > 0 for _, weight in terms)
    assert {"废水", "污染", "化工厂", "偷排", "河水"} & {term for term, _ in terms}
    assert topics.explain("！？……") == []  # no known term, nothing to explain


@pytest.mark.shared_data
def test_accuracy_on_a_held_out_slice():
    # The shipped model saw all of this file, so measuring it here would only measure memory:
    # retrain the same recipe on four fifths (grouped, as in train_topics) and score the rest.
    csv_path = shared_data_file("topic_messages_train.csv")
    corpus = train_topics.read_corpus(csv_path)
    corpus.taxonomy = train_topics.read_taxonomy(shared_data_file("topic_taxonomy.csv"))
    pool = unlabelled.read(unlabelled.beside(csv_path), corpus.texts, corpus.duplicate_keys, train_topics.duplicate_key)
    splitter = train_topics.StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=train_topics.SEED)
    train, test = next(splitter.split(corpus.tokens, corpus.labels, corpus.groups))
    assert not set(corpus.groups[train]) & set(corpus.groups[test])
    model = train_topics.fit(
        [corpus.tokens[i] for i in train],
        corpus.labels[train],
        corpus.groups[train],
        retrain.METHOD,  # the shipped recipe (MODEL_CARD.md)
        [corpus.texts[i] for i in train],
        corpus.taxonomy,
        [corpus.titles[i] for i in train],
        pool,
    )
    predicted = train_topics.linear_scores(
        *model, [corpus.tokens[i] for i in test], [corpus.texts[i] for i in test], [corpus.titles[i] for i in test]
    ).argmax(axis=1)
    accuracy = float(np.mean(predicted == corpus.labels[test]))
    macro_f1 = train_topics.f1_score(corpus.labels[test], predicted, average="macro")
    assert accuracy >= 0.86, accuracy
    assert macro_f1 >= 0.84, macro_f1


def test_shipped_model_reads_the_official_taxonomy():
    model = topics.model()
    assert model.taxonomy and len(model.taxonomy_labels) == 15 and model.taxonomy_coef.shape == (7, 15)
    hits = model.taxonomy_hits("小区燃气供应中断，违章建筑无人管")
    assert hits[model.taxonomy_labels.index("城乡建设")] > 0 and hits.sum() > 0
    assert model.taxonomy_hits("今天天气很好").sum() == 0
    text = "小区燃气供应中断"
    tokens = topics.tokenize(text)
    without = topics.TopicModel(**{**model.__dict__, "taxonomy_coef": None})
    assert not np.allclose(model.scores(tokens, text), without.scores(tokens, text))


def test_review_threshold_default_is_the_one_measured_for_the_shipped_model():
    import gzip
    import json

    from responder.analysis import review

    with gzip.open(topics.MODEL_PATH, "rt", encoding="utf-8") as fh:
        measured = json.load(fh)["meta"]["review"]
    assert review.DEFAULT_THRESHOLD == measured["threshold"] and measured["accuracy_above"] >= 0.97


def test_title_words_also_count_as_title_terms():
    model = topics.model()
    assert any(term.startswith(topics.TITLE_PREFIX) for term in model.terms)
    assert topics.word_terms(["噪音", "扰民"], ["噪音"]) == ["噪音", "扰民", "T:噪音"]
    assert topics.word_terms(["噪音"], None) == ["噪音"]
    title, body = "出租车拒载", "晚上在火车站打车，司机挑客拒载，请管一管。"
    title_tokens = topics.tokenize(title)
    tokens = title_tokens + topics.tokenize(body)
    text = f"{title}\n{body}"
    with_title = model.scores(tokens, text, title_tokens)
    assert not np.allclose(with_title, model.scores(tokens, text))  # the title terms weigh in
    assert topics.predict(body, title) == topics.predict_tokens(tokens, text, title_tokens)
    assert topics.explain(body, title=title)  # a title word is named once, without its prefix
    assert not any(term.startswith(topics.TITLE_PREFIX) for term, _ in topics.explain(body, k=20, title=title))


def test_a_model_without_title_terms_ignores_them():
    model = topics.model()
    terms = tuple(t for t in model.terms if not t.startswith(topics.TITLE_PREFIX))
    keep = [model.vocabulary[t] for t in terms]
    older = topics.TopicModel(**{**model.__dict__, "terms": terms, "vocabulary": {t: i for i, t in enumerate(terms)},
                                 "idf": model.idf[keep], "coef": model.coef[:, keep]})
    tokens, title_tokens = topics.tokenize("出租车拒载\n司机挑客"), topics.tokenize("出租车拒载")
    assert np.allclose(older.scores(tokens, "出租车拒载\n司机挑客", title_tokens),
                       older.scores(tokens, "出租车拒载\n司机挑客"))


def test_title_and_content_segmented_apart_give_the_tokens_of_the_whole_text():
    # The pipeline segments title and content apart (the model needs the title's own tokens); the sentiment
    # model and the word block must still see what tokenize(title + newline + content) would give.
    for title, content in [("小区燃气泄漏", "3栋楼道里燃气泄漏，味道很大。"), ("A市K8县道路施工", "噪音扰民Ａpp无法投诉")]:
        assert topics.tokenize(title) + topics.tokenize(content) == topics.tokenize(f"{title}\n{content}")
