"""First-level topic classifier (一级标签) over jieba tokens: a linear model shipped as plain weights.

The model file is a gzipped JSON written by `responder.analysis.train_topics`: vocabulary, idf,
one weight row per label, intercepts and a softmax temperature. Inference needs only a jieba
segmenter and numpy (no pickles, so a scikit-learn upgrade cannot break loading). It is loaded lazily, once per
process, under a lock.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from responder.analysis import chargrams
from responder.analysis.shipped import ShippedModel

#: The seven first-level topics of the training data, in the order the model stores them.
LABELS = ("城乡建设", "劳动和社会保障", "教育文体", "商贸旅游", "环境保护", "卫生计生", "交通运输")

#: Version of the shipped model; `train_topics` writes it into the file and `load` checks it.
TOPIC_MODEL_VERSION = "topic-linear-5"

MODEL_PATH = Path(__file__).parent / "data" / "topic_model.json.gz"

#: Title words are also counted as this prefix + word (topic-linear-4): a title names the topic more often than
#: a sentence of the body does. No token of `tokenize` can start with it, so older models simply ignore them.
TITLE_PREFIX = "T:"

# Keep tokens with a Chinese character, or ASCII words of two letters or more ("app", "etc").
# Drops punctuation, numbers and the anonymised place codes of the training data ("A市" → "a").
_KEEP_TOKEN = re.compile(r"[\u4e00-\u9fff]|[a-z]{2,}")

# jieba's HMM step (finalseg.re_skip) splits an ASCII run at punctuation ("baidu.com" -> baidu . com);
# jieba-rs keeps such a run whole unless the dictionary has it ("PM2.5").
_ASCII_PIECES = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")

_lock = threading.RLock()
_segmenter = None


@dataclass(frozen=True)
class TopicModel:
    """Weights of a linear classifier over sublinear, l2-normalised TF-IDF features.

    Format 2 adds a second block, character 1–3-grams of the raw text (`chargrams`),
    normalised on its own as a second TfidfVectorizer would be; its weights are `char_coef`. Format 3 adds
    a third, 15 numbers: how many terms of the platform's official topic taxonomy (level 2 and 3 names,
    e.g. 燃气供应, 违章建筑) the text contains, per first-level topic of the taxonomy.
    """

    version: str
    labels: tuple[str, ...]
    vocabulary: dict[str, int]
    terms: tuple[str, ...]
    idf: np.ndarray  # (n_features,)
    coef: np.ndarray  # (n_labels, n_features)
    intercept: np.ndarray  # (n_labels,)
    temperature: float
    chars: chargrams.CharBlock | None = None
    char_coef: np.ndarray | None = None  # (n_labels, n_char_features)
    taxonomy: tuple[tuple[str, tuple[int, ...]], ...] | None = None  # (term, first-level topics it belongs to)
    taxonomy_labels: tuple[str, ...] = ()  # the official taxonomy's first-level topics
    taxonomy_coef: np.ndarray | None = None  # (n_labels, n_taxonomy_labels), input scaling folded in

    def taxonomy_hits(self, text: str) -> np.ndarray:
        """log(1 + number of official taxonomy terms found in the text), per first-level topic of the taxonomy."""
        return taxonomy_features(text, self.taxonomy, len(self.taxonomy_labels))

    @staticmethod
    def _tfidf(vocabulary: dict[str, int], idf: np.ndarray, items) -> tuple[np.ndarray, np.ndarray]:
        from responder.analysis.linear import tfidf

        return tfidf(vocabulary, idf, items)

    def features(self, tokens: list[str], title_tokens: list[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return (feature indices, tf-idf values) of a token list (+ its title's tokens), as TfidfVectorizer would."""
        return self._tfidf(self.vocabulary, self.idf, word_terms(tokens, title_tokens))

    def scores(self, tokens: list[str], text: str | None = None, title_tokens: list[str] | None = None) -> np.ndarray:
        """Return the linear score of every label (the char block needs the raw text, the title words its tokens).

        `tokens` are those of the whole text (title included); `title_tokens` those of the title alone.
        """
        index, values = self.features(tokens, title_tokens)
        scores = self.coef[:, index] @ values + self.intercept
        if self.chars is not None:
            char_index, char_values = self.chars.tfidf(text if text is not None else "".join(tokens))
            scores = scores + self.char_coef[:, char_index] @ char_values
        if self.taxonomy_coef is not None:
            scores = scores + self.taxonomy_coef @ self.taxonomy_hits(text if text is not None else "".join(tokens))
        return scores

    def probabilities(self, tokens: list[str], text: str | None = None,
                      title_tokens: list[str] | None = None) -> np.ndarray:
        """Return one probability per label (temperature-scaled softmax of the linear scores)."""
        scores = self.scores(tokens, text, title_tokens) / self.temperature
        scores -= scores.max()
        exp = np.exp(scores)
        return exp / exp.sum()


def word_terms(tokens: list[str], title_tokens: list[str] | None = None) -> list[str]:
    """The word block's terms: the text's tokens, plus the title's tokens again as TITLE_PREFIX + token."""
    return tokens + [TITLE_PREFIX + w for w in title_tokens] if title_tokens else tokens


def taxonomy_features(text: str, terms, n: int) -> np.ndarray:
    """log(1 + hits) per taxonomy topic, a hit being a term of the taxonomy found in the text (format 3)."""
    counts = np.zeros(n)
    for term, where in terms:
        if term in text:
            counts[list(where)] += 1
    return np.log1p(counts)


def _jieba_rs():
    """Our own jieba-rs segmenter (default dictionary), so other modules' user words never change our features."""
    global _segmenter
    if _segmenter is None:
        with _lock:
            if _segmenter is None:
                import rjieba

                _segmenter = rjieba.Jieba()
    return _segmenter


def segment(text: str) -> list[str]:
    """jieba's own segmentation of text (default dictionary, HMM on), computed by jieba-rs.

    jieba-rs (rjieba) segments about 15 times faster than jieba, which took over half of a message's analysis
    time, and its dictionary takes a third of jieba's memory (24 against 73 MiB). With the ASCII runs split as
    jieba splits them, the two agree token for token on all 42,868 texts of the shared data (bench/segmentation.py;
    tests/analysis/test_segmentation.py checks a sample), so the models trained on jieba's tokens need no retraining.
    """
    segmenter = _jieba_rs()
    words = []
    for word in segmenter.cut(text):
        if len(word) > 1 and word.isascii() and not word.isalnum() and not segmenter.has_word(word):
            words.extend(piece for piece in _ASCII_PIECES.split(word) if piece)
        else:
            words.append(word)
    return words


def tokenize(text: str) -> list[str]:
    """Split text into the lower-cased jieba tokens the topic model is trained on."""
    words = (w.strip().lower() for w in segment(text))
    return [w for w in words if _KEEP_TOKEN.search(w)]


def load(path: Path = MODEL_PATH) -> TopicModel:
    """Read a model file written by `train_topics` (no caching; see `model()`)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        raw = json.load(fh)
    if raw.get("format") not in ("linear-tfidf-1", "linear-tfidf-2", "linear-tfidf-3"):
        raise ValueError(f"{path}: unknown topic model format {raw.get('format')!r}")
    return from_document(raw)


def from_document(raw: dict) -> TopicModel:
    """The model a file's document describes (`load`, and the trainer's check of what it is about to write)."""
    terms = tuple(raw["terms"])
    chars, taxonomy = raw.get("chars"), raw.get("taxonomy")
    return TopicModel(
        version=raw["version"],
        labels=tuple(raw["labels"]),
        vocabulary={t: i for i, t in enumerate(terms)},
        terms=terms,
        idf=np.asarray(raw["idf"], dtype=float),
        coef=np.asarray(raw["coef"], dtype=float),
        intercept=np.asarray(raw["intercept"], dtype=float),
        temperature=float(raw["temperature"]),
        chars=chargrams.CharBlock(chars["terms"], chars["idf"]) if chars else None,
        char_coef=np.asarray(chars["coef"], dtype=float) if chars else None,
        taxonomy=tuple((t, tuple(w)) for t, w in taxonomy["terms"]) if taxonomy else None,
        taxonomy_labels=tuple(taxonomy["labels"]) if taxonomy else (),
        taxonomy_coef=np.asarray(taxonomy["coef"], dtype=float) if taxonomy else None,
    )


def model() -> TopicModel:
    """Return the model in use (a retrained one if selected, else the shipped one), loaded once per process."""
    return (_selected or _shipped).get()


def shipped_model() -> TopicModel:
    """The model shipped with the code, whichever one is in use."""
    return _shipped.get()


def labels() -> tuple[str, ...]:
    """The labels of the model in use (a retrained model may have its own)."""
    return model().labels


def use_model_file(path: Path | None) -> None:
    """Serve the model in `path` (written by `responder train topics`) instead of the shipped one; None: shipped.

    The file is read on first use, like the shipped model; selecting the same path again keeps the loaded model.
    """
    global _selected
    with _lock:
        if path is None:
            _selected = None
        elif _selected is None or _selected.path != Path(path):
            _selected = ShippedModel(Path(path), None, "responder train topics", lambda: load(Path(path)))


def warm_up() -> None:
    """Load the segmenter's dictionary and the model now rather than on the first message."""
    _jieba_rs()
    model()


def predict_tokens(tokens: list[str], text: str | None = None,
                   title_tokens: list[str] | None = None) -> tuple[str, float]:
    """Return (best label, its probability) for already tokenised text (pass the text it came from and, when the
    message has a title, the title's own tokens)."""
    m = model()
    probs = m.probabilities(tokens, text, title_tokens)
    best = int(np.argmax(probs))
    return m.labels[best], float(probs[best])


def predict(text: str, title: str | None = None) -> tuple[str, float]:
    """Return the most likely first-level topic of a text (and its title, if any) and a confidence in [0, 1].

    Text about none of the topics (or too short, like "测试") still gets the best label, with a
    confidence near the label's prior share rather than near 1.
    """
    title_tokens = tokenize(title) if title else []
    full = f"{title}\n{text}" if title else text
    return predict_tokens(title_tokens + tokenize(text), full, title_tokens)


def explain_tokens(tokens: list[str], label: str, k: int = 5,
                   title_tokens: list[str] | None = None) -> list[tuple[str, float]]:
    """Return the k words that pull a token list most towards `label`, with their contribution.

    Only the word block is explained (character n-grams make poor explanations); a title word counts once,
    its plain and its title feature summed.
    """
    m = model()
    row = m.labels.index(label)
    index, values = m.features(tokens, title_tokens)
    # Contribution relative to the average label, so the terms say why this label beats the others.
    contrib = values * (m.coef[row, index] - m.coef[:, index].mean(axis=0)) / m.temperature
    summed: dict[str, float] = {}
    for i, c in zip(index, contrib, strict=True):
        term = m.terms[i].removeprefix(TITLE_PREFIX)
        summed[term] = summed.get(term, 0.0) + float(c)
    ranked = sorted(summed.items(), key=lambda pair: -pair[1])[:k]
    return [(term, round(c, 4)) for term, c in ranked if c > 0]


def explain(text: str, k: int = 5, title: str | None = None) -> list[tuple[str, float]]:
    """Return the top k terms (term, contribution) behind the label `predict(text, title)` chooses."""
    title_tokens = tokenize(title) if title else []
    tokens = title_tokens + tokenize(text)
    label, _ = predict_tokens(tokens, f"{title}\n{text}" if title else text, title_tokens)
    return explain_tokens(tokens, label, k, title_tokens)


# `load` is looked up when first needed, so a retrained file or a patched loader is what gets used.
_shipped = ShippedModel(MODEL_PATH, TOPIC_MODEL_VERSION, "responder.analysis.train_topics", lambda: load())
_selected: ShippedModel | None = None
