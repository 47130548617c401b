"""Request type (诉求类型) of a citizen's message: the lexicon's cues weighed by a model learnt from hand judgements.

The cue lexicon (`lexicon.REQUEST_TYPE_CUES`, extendable by an admin) says which kinds of request a text
signals; on 900 hand-judged messages it agreed with the judges 70 % of the time. A multinomial logistic
regression, trained by `responder.analysis.train_judged` on those judgements, reads the cue weights
(content and title apart, and the cue rules' own winner) together with the message's jieba words (title
words marked "T:"), and agrees 80 % of the time out of fold (see MODEL_CARD.md). Praise and disclosure
applications are too rare in random messages to learn, so a clear cue of either still decides.

The model file is gzipped JSON (no pickles), loaded once per process.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from responder.analysis import lexicon, linear
from responder.analysis.linear import LinearModel
from responder.analysis.shipped import ShippedModel

#: Version of the shipped model; `train_judged` writes it into the file, `model()` checks it.
REQUEST_TYPE_MODEL_VERSION = "request-type-linear-1"
MODEL_PATH = Path(__file__).parent / "data" / "request_type_model.json.gz"
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


def load(path: Path = MODEL_PATH) -> LinearModel:
    """Read a model file written by `train_judged` (no caching; see `model()`)."""
    return linear.load(path)


def model() -> LinearModel:
    """The shipped model, loaded on first use (once per process, thread-safe)."""
    return _shipped.get()


def classify(
    content: str, title: str | None, tokens: list[str], title_tokens: list[str], cues: dict | None = None
) -> tuple[str, float]:
    """(request type, confidence in [0, 1]) of a message whose content and title jieba already segmented.

    `tokens` are the content's tokens only; `cues` is `lexicon.request_type_cues(content, title)` when the
    caller has it. A clear praise or disclosure cue decides with the cue rules' confidence; otherwise the
    model's most probable type and its probability.
    """
    cues = lexicon.request_type_cues(content, title) if cues is None else cues
    if decided := rule_decides(cues):
        return decided
    current = model()
    probabilities = current.probabilities(word_terms(tokens, title_tokens), cue_features(cues))
    best = int(np.argmax(probabilities))
    return current.classes[best], round(float(probabilities[best]), 3)


_shipped = ShippedModel(
    MODEL_PATH, REQUEST_TYPE_MODEL_VERSION, "responder.analysis.train_judged", lambda: load()
)
