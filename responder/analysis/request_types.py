"""Request type (诉求类型) of a citizen's message: the lexicon's cues weighed by a model learnt from hand judgements.

The cue lexicon (`lexicon.REQUEST_TYPE_CUES`, extendable by an admin) says which kinds of request a text
signals; on 900 hand-judged messages it agreed with the judges 70 % of the time. A multinomial logistic
regression, trained by `responder.analysis.train_request_types` on those judgements, reads the cue weights
(content and title apart, and the cue rules' own winner) together with the message's jieba words (title
words marked "T:"), and agrees 80 % of the time out of fold (see MODEL_CARD.md). Praise and disclosure
applications are too rare in random messages to learn, so a clear cue of either still decides.

The model file is gzipped JSON (no pickles), loaded once per process.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from responder.analysis import lexicon
from responder.analysis.sentiment import tfidf
from responder.analysis.shipped import ShippedModel

#: Version of the shipped model; `train_request_types` writes it into the file, `model()` checks it.
REQUEST_TYPE_MODEL_VERSION = "request-type-linear-1"
MODEL_PATH = Path(__file__).parent / "data" / "request_type_model.json.gz"
FORMAT = "judged-linear-1"
#: A cue weight at least this strong (content + 2 × title) for praise or a disclosure application decides.
RULE_DECIDES = {"praise": 3.0, "disclosure": 5.0}


def cue_features(cues: dict[str, tuple[float, float]]) -> list[float]:
    """Dense features from `lexicon.request_type_cues`: log(1 + weight) in content and in title per type, and
    which type the cue rules alone would pick (one-hot), in `lexicon.REQUEST_TYPES` order."""
    ruled, _ = lexicon.request_type("", None, cues)
    features = []
    for kind in lexicon.REQUEST_TYPES:
        body, head = cues.get(kind, (0.0, 0.0))
        features += [math.log1p(body), math.log1p(head)]
    return features + [1.0 if kind == ruled else 0.0 for kind in lexicon.REQUEST_TYPES]


def rule_decides(cues: dict[str, tuple[float, float]]) -> tuple[str, float] | None:
    """The cue rules' (type, confidence) when it is praise or a disclosure application with a clear cue, else None."""
    ruled, confidence = lexicon.request_type("", None, cues)
    body, head = cues.get(ruled, (0.0, 0.0))
    if ruled in RULE_DECIDES and body + lexicon.TITLE_WEIGHT * head >= RULE_DECIDES[ruled]:
        return ruled, confidence
    return None


def word_terms(tokens: list[str], title_tokens: list[str]) -> list[str]:
    """The word block's items: title words as "T:word", then the content's words."""
    return [f"T:{t}" for t in title_tokens] + tokens


@dataclass(frozen=True)
class RequestTypeModel:
    """Multinomial logistic regression over one TF-IDF word block and the cue features."""

    version: str
    classes: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: np.ndarray
    word_coef: np.ndarray  # classes × terms
    cue_coef: np.ndarray  # classes × cue features
    intercept: np.ndarray

    def probabilities(self, terms: list[str], cues: list[float]) -> np.ndarray:
        index, values = tfidf(self.vocabulary, self.idf, terms)
        scores = self.intercept + self.cue_coef @ np.asarray(cues)
        if len(index):
            scores = scores + self.word_coef[:, index] @ values
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()


def load(path: Path = MODEL_PATH) -> RequestTypeModel:
    """Read a model file written by `train_request_types` (no caching; see `model()`)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        raw = json.load(fh)
    if raw.get("format") != FORMAT:
        raise ValueError(f"{path}: unknown request type model format {raw.get('format')!r}")
    return RequestTypeModel(
        version=raw["version"],
        classes=tuple(raw["classes"]),
        vocabulary={t: i for i, t in enumerate(raw["terms"])},
        idf=np.asarray(raw["idf"], dtype=float),
        word_coef=np.asarray(raw["word_coef"], dtype=float),
        cue_coef=np.asarray(raw["cue_coef"], dtype=float),
        intercept=np.asarray(raw["intercept"], dtype=float),
    )


def model() -> RequestTypeModel:
    """The shipped model, loaded on first use (once per process, thread-safe)."""
    return _shipped.get()


def classify(content: str, title: str | None, tokens: list[str], title_tokens: list[str]) -> tuple[str, float]:
    """(request type, confidence in [0, 1]) of a message whose content and title jieba already segmented.

    `tokens` are the content's tokens only. A clear praise or disclosure cue decides with the cue rules'
    confidence; otherwise the model's most probable type and its probability.
    """
    cues = lexicon.request_type_cues(content, title)
    if decided := rule_decides(cues):
        return decided
    current = model()
    probabilities = current.probabilities(word_terms(tokens, title_tokens), cue_features(cues))
    best = int(np.argmax(probabilities))
    return current.classes[best], round(float(probabilities[best]), 3)


_shipped = ShippedModel(
    MODEL_PATH, REQUEST_TYPE_MODEL_VERSION, "responder.analysis.train_request_types", lambda: load()
)
