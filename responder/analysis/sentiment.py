"""Sentiment score and label: our own linear model over the topic model's jieba tokens + char n-grams.

The model file is a gzipped JSON written by `responder.analysis.train_sentiment` (see MODEL_CARD.md):
two TF-IDF blocks — the jieba tokens `topics.tokenize` already produced for the topic model, and
character 1–3-grams of the raw text — each l2-normalised as scikit-learn's TfidfVectorizer does, one
weight vector, an intercept and a Platt calibration (score = sigmoid(a · margin + b)). Inference needs
only numpy (no pickles); it is loaded lazily, once per process, under a lock.

The model was trained on reviews and posts (positive vs negative). Citizens' messages and official
replies need a register the reviews lack, so `combine` runs after it:
- an official reply ("网友…您好…经核实…感谢您的监督") is neutral, whatever problem it describes;
- praise/thanks without a complaint cue is positive;
- on government text (at least two civic words) the register model, a logistic regression trained by
  `train_judged` on hand-judged citizens' messages, says negative or neutral: a calm complaint is
  negative, a calm question or proposal neutral;
- elsewhere a complaint cue makes an unsure score negative, and a question scored near 0.5 neutral; a text
  without any civic word (a review, a post, a comment) gets the model's lean, sharpened: its doubt between
  positive and negative is not neutrality.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from responder.analysis import chargrams, lexicon, linear, request_types
from responder.analysis.linear import tfidf
from responder.analysis.shipped import ShippedModel

#: Version of the shipped model and rule layer; `train_sentiment` writes it into the file, `model()` checks it.
SENTIMENT_VERSION = "sentiment-linear-4"

MODEL_PATH = Path(__file__).parent / "data" / "sentiment_model.json.gz"
#: The register model: on government text, whether a message is negative (written by `train_judged`).
REGISTER_VERSION = "sentiment-register-2"
REGISTER_PATH = Path(__file__).parent / "data" / "sentiment_register_model.json.gz"

# Labels of a score: negative below, positive above, neutral in between.
NEGATIVE_BELOW = 0.30
POSITIVE_ABOVE = 0.70

# --- rule layer cues (government register; the review corpora do not teach these) ---------------------
# An official reply opens by addressing the citizen ("网友“UU008”您好", "经核实") or acknowledging the message
# ("留言已收悉", "现回复如下"), or closes with the office's courtesies. A citizen's message that quotes a reply
# opens with its own grievance ("质疑…的回复"), so such openings are not read as a reply.
_REPLY_OPENING = re.compile(
    r"^\W{0,3}(网友|网民|市民|来信同志|同志|尊敬的.{0,12}网友|亲爱的网民|[“\"]?UU\d+|[“\"][^”\"]{1,20}[”\"](网友)?\W{0,2}(您好|你好))|"
    r"^经(查|调查|核实|了解|核查|现场)|收悉|(回复|答复|告知|说明)如下|现(将.{0,16})?(回复|答复|予以回复)|"
    r"[您你](所)?反映的(问题|情况)"
)
_REPLY_CLOSING = re.compile(
    r"特此(回复|答复|函复|说明)|感谢您(对我们工作)?的(监督|理解|支持|关注|来信|问政)|感谢您对.{0,16}(关注|支持|监督|理解)|"
    r"欢迎.{0,10}(致电|来电|咨询)"
)
_GRIEVANCE_OPENING = re.compile(r"质疑|不满|不属实|不真实|再次反映|再反映|投诉|举报")
# Words of a message written to government; reviews and posts (the model's training genres) hardly use two.
_CIVIC = re.compile(
    r"政府|部门|领导|社区|小区|业主|街道|村民|村委|乡镇|[县区市]委|局|办事处|居委会|管委会|反映|投诉|举报|诉求|"
    r"请问|咨询|办理|政策|规定|单位|物业|开发商|学校|医院|工资|社保|公积金|户口|拆迁|征地|补偿|施工|道路|公交|"
    r"路灯|噪音|扰民|违建|违章|整改|查处|市民|群众|老百姓|居民|希望.{0,6}(解决|处理)|书记|市长|县长|区长|主任|厅长"
)
CIVIC_TERMS = 2
#: Outside government text a cue moves a score only where the review model is unsure (1 - GATE, GATE).
GATE = 0.7
#: ... and a question makes neutral only a score this close to even: a question in a review or post is mostly
#: rhetorical ("为什么这么慢？"), and the corpora label it positive or negative like the rest.
QUESTION_BAND = (0.4, 0.6)
#: Outside government text the review model's probability is sharpened, sigmoid(k · logit): the model learnt
#: positive vs negative texts, so its doubt is not neutrality; only a near-even score (0.474–0.526) stays neutral.
#: Only where the text has no civic word at all: citizens' messages with one are often neutral and keep the score.
REVIEW_SHARPNESS = 8.0
SHORT_QUESTION = 80  # characters
_PRAISE = re.compile(
    r"表扬|点赞|锦旗|感谢信|赞扬|非常感谢|十分感谢|特别感谢|衷心感谢|真诚感谢|很感谢|感谢.{0,20}(帮助|帮忙|解决|耐心|热情|及时|辛苦|付出)|"
    r"(?<![不没])(?<!不太)(?<!不很)(?<!不够)满意|好评|为.{0,10}点赞|辛苦了|负责任的好|给力"
)
_COMPLAINT = re.compile(
    r"投诉|举报|控告|不满|拖欠|欠薪|克扣|扰民|噪音|噪声|污染|恶臭|臭味|乱收费|乱扔|乱排|偷排|违规|违法|违章|"
    r"不作为|乱作为|推诿|踢皮球|敷衍|刁难|无人(管|理|处理|问津|过问)|没人(管|理|处理)|不管不问|不予理睬|"
    r"迟迟|至今(未|没|仍|还)|一直(没|未|不)|多次(反映|投诉|打电话)|屡次|久拖|拖延|不给|拒不|拒绝|霸王|欺骗|"
    r"坑人|骗|损坏|坏了|破损|漏水|积水|塌|危险|隐患|安全问题|严重|恶劣|失望|愤怒|气愤|太差|很差|极差|"
    r"强拆|强制|威胁|殴打|打人|堵塞|拥堵|影响(生活|出行|休息|睡眠)|苦不堪言|困扰|难以忍受|受不了|不合理|不公"
)
_QUESTION = re.compile(r"[？?]|请问|咨询|能否|是否|可否|怎么办理|如何办理|怎样|哪些|什么时候|多久|吗[。\s]*$")
#: Score of rule-made neutrals is squeezed into this band around 0.5 (keeps the model's lean visible).
_NEUTRAL_SQUEEZE = 0.3
_COMPLAINT_CAP = 0.25
_PRAISE_FLOOR = 0.80


@dataclass(frozen=True)
class _Block:
    """One TF-IDF feature block: vocabulary, idf and this block's slice of the weight vector."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray

    def margin(self, items: list[str]) -> float:
        """Dot product of the block's l2-normalised sublinear tf-idf vector with its weights."""
        index, values = tfidf(self.vocabulary, self.idf, items)
        return float(values @ self.coef[index]) if len(index) else 0.0


@dataclass(frozen=True)
class SentimentModel:
    """A binary linear classifier (negative vs positive) over a word block and a char n-gram block."""

    version: str
    words: _Block
    chars: chargrams.CharBlock
    char_coef: np.ndarray
    intercept: float
    platt_a: float
    platt_b: float

    def margin(self, tokens: list[str], text: str) -> float:
        """Linear score (> 0 leans positive) of already tokenised text."""
        index, values = self.chars.tfidf(text)
        chars = float(values @ self.char_coef[index]) if len(index) else 0.0
        return self.words.margin(tokens) + chars + self.intercept

    def probability(self, tokens: list[str], text: str) -> float:
        """Calibrated probability that the text is positive, from the model alone (no rules)."""
        z = self.platt_a * self.margin(tokens, text) + self.platt_b
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def load(path: Path = MODEL_PATH) -> SentimentModel:
    """Read a model file written by `train_sentiment` (no caching; see `model()`)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        raw = json.load(fh)
    if raw.get("format") != "sentiment-linear-1":
        raise ValueError(f"{path}: unknown sentiment model format {raw.get('format')!r}")
    words, chars = raw["words"], raw["chars"]
    return SentimentModel(
        version=raw["version"],
        words=_Block(
            vocabulary={t: i for i, t in enumerate(words["terms"])},
            idf=np.asarray(words["idf"], dtype=float),
            coef=np.asarray(words["coef"], dtype=float),
        ),
        chars=chargrams.CharBlock(chars["terms"], chars["idf"]),
        char_coef=np.asarray(chars["coef"], dtype=float),
        intercept=float(raw["intercept"]),
        platt_a=float(raw["platt"][0]),
        platt_b=float(raw["platt"][1]),
    )


def model() -> SentimentModel:
    """Return the shipped model, loading it on first use (once per process, thread-safe)."""
    return _shipped.get()


def warm_up() -> None:
    """Load the model (and the topic tokenizer it shares) now rather than on the first message."""
    from responder.analysis import topics

    topics.warm_up()
    model()
    register()


def _squeeze(value: float) -> float:
    return 0.5 + (value - 0.5) * _NEUTRAL_SQUEEZE


def _sharpen(value: float) -> float:
    value = min(max(value, 1e-6), 1.0 - 1e-6)
    return 1.0 / (1.0 + (value / (1.0 - value)) ** -REVIEW_SHARPNESS)


def official_reply(text: str) -> bool:
    """Whether the text reads as a government office's reply to a citizen (its opening or closing)."""
    text = text.strip()
    if _GRIEVANCE_OPENING.search(text[:40]):
        return False
    return _REPLY_OPENING.search(text[:60]) is not None or _REPLY_CLOSING.search(text[-120:]) is not None


def civic_terms(text: str) -> int:
    """How many distinct civic words (政府, 小区, 投诉, 请问, …) the text uses."""
    return len({m.group(0) for m in _CIVIC.finditer(text)})


def government_register(text: str) -> bool:
    """Whether the text is written to government: at least CIVIC_TERMS distinct civic words."""
    return civic_terms(text) >= CIVIC_TERMS


def register_features(value: float, text: str, cues: dict) -> list[float]:
    """Dense features of the register model: the review model's logit, counts of complaint and praise cues,
    whether it asks a question, and the request type cue features (`request_types.cue_features`)."""
    value = min(max(value, 1e-4), 1.0 - 1e-4)
    return [
        math.log(value / (1.0 - value)),
        float(len(_COMPLAINT.findall(text))),
        1.0 if _QUESTION.search(text) else 0.0,
        float(len(_PRAISE.findall(text))),
    ] + request_types.cue_features(cues)


def combine(value: float, text: str, negative) -> float:
    """The score of a text from the review model's probability `value` and the government register.

    An official reply is neutral; praise without a complaint is positive. On government text the register
    model decides negative or neutral (`negative()` is its probability, asked only then). Elsewhere
    (reviews, posts) the cue rules move only a score the review model is unsure of, and never turn its lean:
    thanks to a courier in a review of bad food is not praise of the review's subject.
    """
    if official_reply(text):
        return _squeeze(value)  # an official reply reports facts and measures: neutral
    complaint = _COMPLAINT.search(text) is not None
    civic = civic_terms(text)
    government = civic >= CIVIC_TERMS
    if _PRAISE.search(text) and not complaint and value > (1.0 - GATE if government else 0.5):
        return max(value, _PRAISE_FLOOR)
    if government:
        if not complaint and len(text) <= SHORT_QUESTION and _QUESTION.search(text):
            return _squeeze(value)  # a short calm question; the register model learnt from longer messages
        return min(value, _COMPLAINT_CAP) if negative() >= 0.5 else _squeeze(value)
    if complaint and value < GATE:
        return min(value, _COMPLAINT_CAP)
    if _QUESTION.search(text) and QUESTION_BAND[0] < value < QUESTION_BAND[1]:
        return _squeeze(value)  # a calm question: no negative cue, so neutral
    return _sharpen(value) if civic == 0 else value


def score_message(text: str, content_tokens: list[str], title_tokens: list[str], cues: dict) -> float:
    """How positive a message reads, in [0, 1], from tokens the analysis already has.

    text is title and content as analysed; `cues` is `lexicon.request_type_cues(content, title)`.
    """
    if not text.strip():
        return 0.5
    return score_from_probability(model().probability(title_tokens + content_tokens, text), text, content_tokens,
                                  title_tokens, cues)


def score_from_probability(value: float, text: str, content_tokens: list[str], title_tokens: list[str],
                           cues: dict) -> float:
    """`score_message` from the review model's probability `value`: the rule layer and register model alone.

    Apart so that out-of-fold probabilities can be scored the way a message is (bench/sentiment_pipeline.py).
    """

    def negative() -> float:
        terms = request_types.word_terms(content_tokens, title_tokens)
        return register().probability("negative", terms, register_features(value, text, cues))

    return min(1.0, max(0.0, combine(value, text, negative)))


def score_tokens(tokens: list[str], text: str) -> float:
    """Return how positive the text reads, in [0, 1], reusing `topics.tokenize(text)` tokens."""
    return score_message(text, tokens, [], lexicon.request_type_cues(text))


def score(text: str) -> float:
    """Return how positive the text reads, in [0, 1] (1 most positive); 0.5 for empty text."""
    if not text.strip():
        return 0.5
    from responder.analysis import topics

    return score_tokens(topics.tokenize(text), text)


def label(value: float) -> str:
    """Name a score: negative below 0.30, positive above 0.70, else neutral."""
    if value < NEGATIVE_BELOW:
        return "negative"
    if value > POSITIVE_ABOVE:
        return "positive"
    return "neutral"


def register() -> linear.LinearModel:
    """The shipped register model, loaded on first use (once per process, thread-safe)."""
    return _register.get()


# `load` is looked up when first needed, so a retrained file or a patched loader is what gets used.
_shipped = ShippedModel(MODEL_PATH, SENTIMENT_VERSION, "responder.analysis.train_sentiment", lambda: load())
_register = ShippedModel(REGISTER_PATH, REGISTER_VERSION, "responder.analysis.train_judged",
                         lambda: linear.load(REGISTER_PATH))
