"""One call that analyses a citizen's message: topic, sentiment, request type, urgency, risk, tags.

Pure: no database, no Flask. Models load lazily once per process (see `warm_up`); a call then
segments the text once with jieba, feeds those tokens to both the topic and the sentiment model, and
runs the cue-word lexicons on the raw text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from responder.analysis import lexicon, request_types, sentiment, topics

#: The models and lexicon shipped with the code; `model_version()` says what is in use (retrained model,
#: admin's lexicon words) and is what is stored with each result so results can be told apart and redone.
MODEL_VERSION = (
    f"{topics.TOPIC_MODEL_VERSION}+{sentiment.SENTIMENT_VERSION}+{sentiment.REGISTER_VERSION}"
    f"+{request_types.REQUEST_TYPE_MODEL_VERSION}+{lexicon.LEXICON_VERSION}"
)


def model_version() -> str:
    """The versions of the topic, sentiment and request type models and of the lexicon in use now."""
    return (
        f"{topics.model().version}+{sentiment.SENTIMENT_VERSION}+{sentiment.REGISTER_VERSION}"
        f"+{request_types.REQUEST_TYPE_MODEL_VERSION}+{lexicon.current_version()}"
    )


@dataclass(frozen=True)
class Analysis:
    """What the analysers say about one message (topic 一级标签, 情感, 诉求类型, 紧急程度, 风险, 重点领域)."""

    topic: str
    topic_confidence: float  # [0, 1]
    sentiment: float  # [0, 1], 1 most positive
    sentiment_label: str  # negative | neutral | positive
    request_type: str  # consult | help | complaint | report | suggestion | praise | disclosure
    request_type_confidence: float  # [0, 1]; 1.0 when the channel gave the type
    urgency: str  # normal | urgent
    risk_flags: list[str]
    tags: list[str]
    model_version: str

    def as_dict(self) -> dict:
        """Return a JSON-ready dict of every field (lists copied)."""
        return asdict(self)


def warm_up() -> None:
    """Load every model now (jieba dictionary, topic, sentiment and request type weights): once per process."""
    topics.warm_up()
    sentiment.warm_up()
    request_types.model()


def analyse_text(
    content: str,
    title: str | None = None,
    given_request_type: str | None = None,
    given_urgency: str | None = None,
) -> Analysis:
    """Analyse one message; a given request type wins, a given urgency is never lowered.

    :raises ValueError: empty content, or a given request type / urgency that is not a known code.
    """
    if not isinstance(content, str) or not content.strip():
        raise ValueError("content is empty")
    if given_request_type is not None and given_request_type not in lexicon.REQUEST_TYPES:
        raise ValueError(
            f"unknown request type {given_request_type!r}; expected one of {', '.join(lexicon.REQUEST_TYPES)}"
        )
    if given_urgency is not None and given_urgency not in lexicon.URGENCIES:
        raise ValueError(f"unknown urgency {given_urgency!r}; expected one of {', '.join(lexicon.URGENCIES)}")
    title = title.strip() if isinstance(title, str) and title.strip() else None
    text = f"{title}\n{content}" if title else content

    # Segmented once: both models read the same jieba tokens. Title and content apart (jieba splits at the
    # newline between them anyway) because the topic model also weighs the title's words on their own.
    title_tokens = topics.tokenize(title) if title else []
    content_tokens = topics.tokenize(content)
    tokens = title_tokens + content_tokens
    topic, topic_confidence = topics.predict_tokens(tokens, text, title_tokens)
    cues = lexicon.request_type_cues(content, title)  # read by the request type and sentiment register models
    score = sentiment.score_message(text, content_tokens, title_tokens, cues)
    if given_request_type is not None:
        request_type, request_confidence = given_request_type, 1.0
    else:
        request_type, request_confidence = request_types.classify(content, title, content_tokens, title_tokens, cues)
    flags = lexicon.risk_flags(text)
    return Analysis(
        topic=topic,
        topic_confidence=round(topic_confidence, 4),
        sentiment=round(score, 4),
        sentiment_label=sentiment.label(score),
        request_type=request_type,
        request_type_confidence=request_confidence,
        urgency=lexicon.urgency(flags, given_urgency),
        risk_flags=flags,
        tags=lexicon.tags(text),
        model_version=model_version(),
    )
