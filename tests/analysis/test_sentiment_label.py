import pytest

from responder.analysis import sentiment


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.0, "negative"),
        (0.29, "negative"),
        (0.30, "neutral"),
        (0.5, "neutral"),
        (0.70, "neutral"),
        (0.71, "positive"),
        (1.0, "positive"),
    ],
)
def test_label_thresholds(value, expected):
    assert sentiment.label(value) == expected


def test_score_is_snownlp_sentiment_in_unit_interval():
    from snownlp import SnowNLP

    for text in ("服务态度非常好，问题很快解决了，非常满意！", "投诉了三次都没人管，太失望了。"):
        value = sentiment.score(text)
        assert 0.0 <= value <= 1.0
        assert value == pytest.approx(SnowNLP(text).sentiments)


def test_clear_cases_get_the_expected_side():
    assert sentiment.score("非常满意，服务很好，谢谢！") > sentiment.score("太差了，非常失望，愤怒！")


def test_blank_text_is_neutral():
    assert sentiment.score("   ") == 0.5
    assert sentiment.label(sentiment.score("")) == "neutral"
