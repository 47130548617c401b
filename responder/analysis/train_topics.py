"""Train the first-level topic classifier, pick it by grouped 5-fold cross-validation, ship it.

    python -m responder.analysis.train_topics CSV [OUT]

CSV has columns title, body, label (the layout of topic_messages_train.csv); rows whose label is
not one of `topics.LABELS` are skipped and counted. OUT defaults to the packaged model file; the
model card (MODEL_CARD.md) is written beside it. Folds keep near-duplicate messages (same opening
words: the data holds re-posted copies) together, so the scores are not flattered by leakage.
Unlabelled messages beside the CSV (`unlabelled.FILES`), if any, widen the vocabulary and IDF of the
"+unlabelled" candidate; without them it trains on the labelled file alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC

from responder import fitting
from responder.analysis import chargrams, topics, unlabelled

#: Estimators over TF-IDF features; each is linear, so it ships as weights.
ESTIMATORS = {
    "complement_nb": lambda: ComplementNB(alpha=0.1),
    "logreg": lambda: LogisticRegression(C=30.0, max_iter=2000, random_state=SEED),
    "linear_svm": lambda: LinearSVC(C=1.0, random_state=SEED),
    # topic-linear-4: more regularised, and class weights inversely proportional to label frequency.
    "balanced_svm": lambda: LinearSVC(C=0.5, class_weight="balanced", random_state=SEED),
    # topic-linear-5: NBSVM (Wang & Manning 2012), one-vs-rest, as bench/topic_variants.py's est 'nbsvm'.
    "nbsvm": lambda: NBSVM(C=0.5, balanced=True),
}
#: Candidates: an estimator, then what it adds, read from the name: "+chars" (character 1–3-gram block),
#: "+taxonomy" (hits of the official taxonomy's level-2/3 names per first-level topic, 15 numbers), "+title"
#: (title words also as "T:word"), "+unlabelled" (vocabulary and IDF also over unlabelled messages, when there
#: are any), "+offsets" (per-label intercept offsets tuned for macro-F1 on inner out-of-fold scores).
CANDIDATES = (
    "complement_nb",
    "logreg",
    "linear_svm",
    "linear_svm+chars",
    "logreg+chars",
    "linear_svm+chars+taxonomy",
    "balanced_svm+chars+taxonomy+title+unlabelled+offsets",
    "nbsvm+chars+taxonomy+title+unlabelled+offsets",
)
# jieba search-mode words were tried and left out: over three fold splits of bench/topic_variants.py ('ws') they
# moved NBSVM's macro-F1 by -0.0025 to +0.0016, mean 0.0000 (MODEL_CARD.md), within noise, for a larger word block.
#: Scale of the taxonomy block against the two l2-normalised TF-IDF blocks (chosen by CV: 0.3, 0.5, 1.0).
TAXONOMY_WEIGHT = 0.5
_TAXONOMY_SPLIT = re.compile(r"[、/和及]")
#: Character n-grams must occur in at least this many messages (and are capped in number) to ship.
CHAR_MIN_DF = 3
CHAR_MAX_FEATURES = 150_000
FOLDS = 5
SEED = 0
# A term must occur in messages of two different near-duplicate groups: what only one message (and its
# re-posts) says — a citizen's name, an address — stays out of the shipped file.
MIN_GROUPS = 2
_DUPLICATE_PREFIX = 40
#: Intercept offsets: inner folds, and the grid (± OFFSET_SPAN × the scores' spread, OFFSET_STEPS values).
OFFSET_FOLDS, OFFSET_SPAN, OFFSET_STEPS, OFFSET_PASSES = 3, 0.5, 41, 3


class NBSVM:
    """NBSVM (Wang & Manning 2012), one-vs-rest: for each label, a binary LinearSVC on the features scaled by
    the log-count ratio r = log((p / |p|1) / (q / |q|1)), p and q = ALPHA + the number of the label's / the
    other labels' messages in which a feature is non-zero. No interpolation (beta = 1).

    A label's score is w · (r ⊙ x) + b = (w ⊙ r) · x + b, so `coef_` holds w ⊙ r: the model stays linear in the
    features and ships as plain weights. With `balanced`, a label's positives are weighted n / (labels × its
    count), as LinearSVC's class_weight="balanced" weighs them one-vs-rest; negatives weigh 1.
    """

    ALPHA = 1.0

    def __init__(self, C: float = 1.0, balanced: bool = False):
        self.C, self.balanced = C, balanced

    def fit(self, x, y):
        x = sp.csr_matrix(x)
        present = (x > 0).astype(float).tocsr()
        self.classes_ = np.unique(y)
        # Two classes: one row, the score of classes_[1], as scikit-learn's binary classifiers keep it.
        fitted = self.classes_[1:] if len(self.classes_) == 2 else self.classes_
        self.coef_ = np.zeros((len(fitted), x.shape[1]))
        self.intercept_ = np.zeros(len(fitted))
        for k, label in enumerate(fitted):
            pos = y == label
            p = self.ALPHA + np.asarray(present[pos].sum(0)).ravel()
            q = self.ALPHA + np.asarray(present[~pos].sum(0)).ravel()
            r = np.log(p / p.sum()) - np.log(q / q.sum())
            weight = np.where(pos, len(y) / (len(self.classes_) * pos.sum()), 1.0) if self.balanced else None
            svm = LinearSVC(C=self.C, random_state=SEED).fit(x.multiply(r).tocsr(), pos.astype(int),
                                                             sample_weight=weight)
            self.coef_[k], self.intercept_[k] = svm.coef_.ravel() * r, svm.intercept_[0]
        return self

    def decision_function(self, x):
        return np.asarray(x @ self.coef_.T) + self.intercept_


@dataclass
class Corpus:
    """Tokenised training messages with label indices and near-duplicate groups."""

    tokens: list[list[str]]
    labels: np.ndarray
    groups: np.ndarray
    skipped: int
    texts: list[str] | None = None  # title + body, for the character block
    label_names: tuple[str, ...] = topics.LABELS
    taxonomy: tuple | None = None  # (taxonomy labels, ((term, topic indexes), …)) for "+taxonomy" candidates
    titles: list[list[str]] | None = None  # the title's own tokens, for "+title" candidates
    duplicate_keys: frozenset[str] = frozenset()  # near-duplicate keys of the bodies
    unlabelled: unlabelled.Unlabelled | None = None  # for "+unlabelled" candidates


def make_corpus(rows, label_names: tuple[str, ...] | None = None) -> Corpus:
    """Tokenise (title, body, label) rows; labels are `label_names` (default: those present, by frequency).

    Rows with an empty body, or a label outside `label_names` when given, are skipped and counted.
    """
    rows = [(t.strip() if t else "", (b or "").strip(), (lb or "").strip()) for t, b, lb in rows]
    if label_names is None:
        counts: dict[str, int] = {}
        for _, body, label in rows:
            if body and label:
                counts[label] = counts.get(label, 0) + 1
        label_names = tuple(sorted(counts, key=lambda k: (-counts[k], k)))
    tokens, labels, groups, keys, skipped, texts, titles = [], [], [], {}, 0, [], []
    for title, body, label in rows:
        if label not in label_names or not body:
            skipped += 1
            continue
        texts.append(f"{title}\n{body}" if title else body)
        titles.append(topics.tokenize(title) if title else [])
        tokens.append(titles[-1] + topics.tokenize(body))  # as the pipeline segments a message
        labels.append(label_names.index(label))
        groups.append(keys.setdefault(duplicate_key(body), len(keys)))
    return Corpus(tokens, np.array(labels, dtype=int), np.array(groups, dtype=int), skipped, texts, label_names,
                  titles=titles, duplicate_keys=frozenset(keys))


class JointVectorizer:
    """Word TF-IDF block (the classic model) plus a character 1–3-gram TF-IDF block, each l2-normalised,
    plus, with a taxonomy, the scaled taxonomy hits (`topics.taxonomy_features`)."""

    def __init__(self, vocabulary: list[str], char_vocabulary: list[str], taxonomy: tuple | None = None,
                 titles: bool = False):
        # lowercase=False: tokens come lower-cased already, and "T:" title terms must not look like a mistake.
        self.words = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, vocabulary=vocabulary, lowercase=False)
        self.chars = TfidfVectorizer(analyzer=chargrams.ngrams, sublinear_tf=True, vocabulary=char_vocabulary)
        self.taxonomy = taxonomy
        self.titles = titles  # title words also as "T:word" (`topics.word_terms`)

    def _words(self, tokens, titles):
        return word_lists(tokens, titles if self.titles else None)

    def fit(self, tokens, texts, titles=None):
        """Fit the IDF of both blocks (on these texts, which may include unlabelled ones)."""
        self.words.fit(self._words(tokens, titles))
        self.chars.fit(texts)
        return self

    def _taxonomy_block(self, texts):
        labels, terms = self.taxonomy
        rows = [topics.taxonomy_features(text, terms, len(labels)) * TAXONOMY_WEIGHT for text in texts]
        return sp.csr_matrix(np.array(rows))

    def fit_transform(self, tokens, texts, titles=None):
        return self.fit(tokens, texts, titles).transform(tokens, texts, titles)

    def transform(self, tokens, texts, titles=None):
        blocks = [self.words.transform(self._words(tokens, titles)), self.chars.transform(texts)]
        return sp.hstack(blocks + ([self._taxonomy_block(texts)] if self.taxonomy else [])).tocsr()

    @property
    def idf_(self):
        return np.concatenate([self.words.idf_, self.chars.idf_])


def word_lists(tokens: list[list[str]], titles: list[list[str]] | None) -> list[list[str]]:
    """The word block's terms of each message (`topics.TopicModel.features` reads a message the same way)."""
    if titles is None:
        return tokens
    return [topics.word_terms(t, title) for t, title in zip(tokens, titles, strict=True)]


def read_taxonomy(path: str | Path) -> tuple:
    """(first-level topics, ((term, indexes of the topics it is listed under), …)) from topic_taxonomy.csv.

    Terms are the level-2 and level-3 names split at 、/和/及, two characters or more.
    """
    where: dict[str, set[str]] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            for level in ("level2", "level3"):
                for term in _TAXONOMY_SPLIT.split(row[level] or ""):
                    if len(term) >= 2:
                        where.setdefault(term, set()).add(row["level1"])
    labels = tuple(sorted({name for names in where.values() for name in names}))
    return labels, tuple((term, tuple(sorted(labels.index(n) for n in names))) for term, names in where.items())


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def duplicate_key(body: str) -> str:
    """Key shared by re-posted copies of one message: its first characters, punctuation removed."""
    return re.sub(r"\W", "", body)[:_DUPLICATE_PREFIX]


def read_corpus(csv_path: str | Path) -> Corpus:
    """Read and tokenise a labelled CSV (title + body), skipping rows with an unknown label."""
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        rows = [(row.get("title"), row.get("body"), row.get("label")) for row in csv.DictReader(fh)]
    return make_corpus(rows, topics.LABELS)


def vocabulary(tokens: list[list[str]], groups: np.ndarray) -> list[str]:
    """Terms found in at least MIN_GROUPS distinct near-duplicate groups, sorted."""
    seen: dict[str, set] = {}
    for message, group in zip(tokens, groups, strict=True):
        for term in set(message):
            seen.setdefault(term, set()).add(group)
    return sorted(term for term, where in seen.items() if len(where) >= MIN_GROUPS)


def char_vocabulary(texts: list[str], groups: np.ndarray) -> list[str]:
    """Character n-grams in ≥ CHAR_MIN_DF messages of ≥ MIN_GROUPS near-duplicate groups (as for words:
    what one message and its re-posts say stays out), the CHAR_MAX_FEATURES most frequent, sorted."""
    df: dict[str, int] = {}
    seen: dict[str, set] = {}
    for text, group in zip(texts, groups, strict=True):
        for gram in set(chargrams.ngrams(text)):
            df[gram] = df.get(gram, 0) + 1
            where = seen.setdefault(gram, set())
            if len(where) < MIN_GROUPS:
                where.add(group)
    kept = [g for g, n in df.items() if n >= CHAR_MIN_DF and len(seen[g]) >= MIN_GROUPS]
    kept.sort(key=lambda g: (-df[g], g))
    return sorted(kept[:CHAR_MAX_FEATURES])


def make_estimator(name: str):
    """A fresh estimator for a candidate (the part of its name before the first "+")."""
    return ESTIMATORS[name.split("+")[0]]()


def _parts(name: str) -> set[str]:
    """The feature and tuning options a candidate's name asks for ("chars", "taxonomy", "title", …)."""
    return set(name.split("+")[1:])


def fit(
    tokens: list[list[str]], labels: np.ndarray, groups: np.ndarray, name: str, texts: list[str] | None = None,
    taxonomy: tuple | None = None, titles: list[list[str]] | None = None,
    pool: unlabelled.Unlabelled | None = None,
) -> tuple[TfidfVectorizer, np.ndarray, np.ndarray]:
    """Fit the vectorizer and the named candidate; return (vectorizer, coef, intercept).

    Candidates named "+chars" need the raw texts and return a `JointVectorizer`; "+title" ones use `titles`
    (each message's title tokens), "+unlabelled" ones `pool` when given (vocabulary and IDF only).
    """
    parts = _parts(name)
    if "chars" in parts:
        use_titles = "title" in parts and titles is not None
        pool = pool if "unlabelled" in parts else None
        all_tokens, all_texts, all_groups, all_titles = tokens, texts, groups, titles
        if pool is not None:  # every unlabelled message its own group, after the labelled ones
            all_tokens, all_texts = tokens + pool.tokens, texts + pool.texts
            all_titles = (titles + pool.titles) if use_titles else None
            all_groups = np.concatenate([groups, groups.max(initial=0) + 1 + np.arange(len(pool.texts))])
        words = word_lists(all_tokens, all_titles if use_titles else None)
        vectorizer = JointVectorizer(vocabulary(words, all_groups), char_vocabulary(all_texts, all_groups),
                                     taxonomy if "taxonomy" in parts else None, titles=use_titles)
        vectorizer.fit(all_tokens, all_texts, all_titles)
        features = vectorizer.transform(tokens, texts, titles)
    else:
        vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, vocabulary=vocabulary(tokens, groups))
        features = vectorizer.fit_transform(tokens)
    estimator = fitting.fit(make_estimator(name), features, labels)
    if isinstance(estimator, ComplementNB):
        coef, intercept = estimator.feature_log_prob_, np.zeros(len(estimator.classes_))
    else:
        coef, intercept = estimator.coef_, estimator.intercept_
    coef, intercept = np.asarray(coef, dtype=float), np.asarray(intercept, dtype=float)
    if coef.shape[0] == 1:  # two labels: one row scores the second; the first gets its opposite
        coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
    if "offsets" in parts:
        intercept = intercept + intercept_offsets(name, features, labels)
    return vectorizer, coef, intercept


def intercept_offsets(name: str, features, labels: np.ndarray) -> np.ndarray:
    """Per-label offsets to the intercepts that maximise macro-F1 of inner out-of-fold scores.

    The inner folds reuse the given features (their vocabulary is the training part's). Zero offsets when a
    label is too rare to be in every inner fold.
    """
    n_labels = int(labels.max()) + 1
    if np.bincount(labels, minlength=n_labels).min() < OFFSET_FOLDS:
        return np.zeros(n_labels)
    scores = np.zeros((len(labels), n_labels))
    for a, b in StratifiedKFold(OFFSET_FOLDS, shuffle=True, random_state=SEED + 1).split(features, labels):
        estimator = fitting.fit(make_estimator(name), features[a], labels[a])
        found = estimator.decision_function(features[b])
        scores[b] = found if found.ndim == 2 else np.column_stack([-found, found])
    return tune_offsets(scores, labels)


def tune_offsets(scores: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Coordinate ascent, label by label, over a grid of offsets; keeps a change only if macro-F1 rises."""
    offsets = np.zeros(scores.shape[1])
    grid = np.linspace(-OFFSET_SPAN, OFFSET_SPAN, OFFSET_STEPS) * float(np.std(scores))
    best = f1_score(labels, scores.argmax(axis=1), average="macro")
    for _ in range(OFFSET_PASSES):
        for k in range(scores.shape[1]):
            for step in grid:
                trial = offsets.copy()
                trial[k] = step
                score = f1_score(labels, (scores + trial).argmax(axis=1), average="macro")
                if score > best + 1e-9:
                    best, offsets = score, trial
    return offsets


def linear_scores(vectorizer, coef, intercept, tokens: list[list[str]], texts: list[str] | None = None,
                  titles: list[list[str]] | None = None) -> np.ndarray:
    """Return the (n_messages, n_labels) linear scores the shipped model will compute."""
    features = (
        vectorizer.transform(tokens, texts, titles)
        if isinstance(vectorizer, JointVectorizer)
        else vectorizer.transform(tokens)
    )
    return np.asarray(features @ coef.T) + intercept


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    """Row-wise softmax of scores divided by a temperature."""
    z = scores / temperature
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def log_loss(scores: np.ndarray, labels: np.ndarray, temperature: float) -> float:
    """Mean negative log-likelihood of the true labels under softmax(scores / temperature)."""
    probs = softmax(scores, temperature)[np.arange(len(labels)), labels]
    return float(-np.mean(np.log(np.clip(probs, 1e-12, None))))


def fit_temperature(scores: np.ndarray, labels: np.ndarray) -> float:
    """Pick the softmax temperature that minimises out-of-fold log-loss (a log-spaced grid)."""
    grid = np.exp(np.linspace(np.log(0.02), np.log(20.0), 400))
    return float(min(grid, key=lambda t: log_loss(scores, labels, t)))


def expected_calibration_error(scores: np.ndarray, labels: np.ndarray, temperature: float) -> float:
    """Gap between stated confidence and accuracy, weighted over 10 equal-width confidence bins."""
    probs = softmax(scores, temperature)
    confidence, correct = probs.max(axis=1), probs.argmax(axis=1) == labels
    which = np.minimum((confidence * 10).astype(int), 9)
    gaps = [
        abs(confidence[which == b].mean() - correct[which == b].mean()) * np.sum(which == b)
        for b in range(10)
        if np.any(which == b)
    ]
    return float(sum(gaps) / len(labels))


def review_threshold(scores: np.ndarray, labels: np.ndarray, temperature: float, target: float = 0.97) -> dict:
    """The lowest confidence (2 decimals) above which out-of-fold topics are right at least `target` of the time.

    Returns the threshold, the accuracy above it and the share of messages below it (sent to review).
    """
    probs = softmax(scores, temperature)
    confidence, correct = probs.max(axis=1), probs.argmax(axis=1) == labels
    for threshold in np.round(np.arange(0.30, 1.0, 0.01), 2):
        above = confidence >= threshold
        if above.any() and correct[above].mean() >= target:
            return {"threshold": float(threshold), "accuracy_above": round(float(correct[above].mean()), 4),
                    "review_share": round(float(1 - above.mean()), 4), "target": target}
    return {"threshold": 1.0, "accuracy_above": None, "review_share": 1.0, "target": target}


def cross_validate(corpus: Corpus, name: str, folds: int = FOLDS, grouped: bool = True) -> dict:
    """Stratified k-fold (grouped by near-duplicate unless told not): accuracy, macro-F1, per-label F1, scores."""
    splitter = (StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=SEED) if grouped
                else StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED))
    scores = np.zeros((len(corpus.labels), len(corpus.label_names)))
    texts = corpus.texts or [None] * len(corpus.labels)
    titles = corpus.titles or [[] for _ in corpus.labels]
    for train, test in splitter.split(corpus.tokens, corpus.labels, corpus.groups):
        model = fit(
            [corpus.tokens[i] for i in train],
            corpus.labels[train],
            corpus.groups[train],
            name,
            [texts[i] for i in train],
            corpus.taxonomy,
            [titles[i] for i in train],
            corpus.unlabelled,
        )
        scores[test] = linear_scores(*model, [corpus.tokens[i] for i in test], [texts[i] for i in test],
                                     [titles[i] for i in test])
    predicted = scores.argmax(axis=1)
    every = list(range(len(corpus.label_names)))
    per_label = np.round(f1_score(corpus.labels, predicted, average=None, labels=every), 4).tolist()
    return {
        "accuracy": round(float(accuracy_score(corpus.labels, predicted)), 4),
        "macro_f1": round(float(f1_score(corpus.labels, predicted, average="macro")), 4),
        "per_label_f1": dict(zip(corpus.label_names, per_label, strict=True)),
        "oof_scores": scores,
    }


def export(vectorizer, coef: np.ndarray, intercept: np.ndarray, temperature: float, meta: dict,
           labels: tuple[str, ...] = topics.LABELS, version: str = topics.TOPIC_MODEL_VERSION) -> dict:
    """Return the JSON document `topics.load` reads (weights rounded to keep the file small)."""
    words = vectorizer.words if isinstance(vectorizer, JointVectorizer) else vectorizer
    n_words = len(words.idf_)
    document = {
        "format": "linear-tfidf-1",
        "version": version,
        "labels": list(labels),
        "terms": words.get_feature_names_out().tolist(),
        "idf": np.round(words.idf_, 5).tolist(),
        "coef": np.round(coef[:, :n_words], 5).tolist(),
        "intercept": np.round(intercept, 5).tolist(),
        "temperature": round(temperature, 5),
        "meta": meta,
    }
    if isinstance(vectorizer, JointVectorizer):
        document["format"] = "linear-tfidf-2"
        n_chars = len(vectorizer.chars.idf_)
        document["chars"] = {
            "terms": vectorizer.chars.get_feature_names_out().tolist(),
            "idf": np.round(vectorizer.chars.idf_, 4).tolist(),
            "coef": np.round(coef[:, n_words : n_words + n_chars], 4).tolist(),
        }
        if vectorizer.taxonomy:
            labels_, terms = vectorizer.taxonomy
            document["format"] = "linear-tfidf-3"
            document["taxonomy"] = {  # the input scaling is folded into the weights
                "labels": list(labels_), "terms": [[t, list(w)] for t, w in terms],
                "coef": np.round(coef[:, n_words + n_chars :] * TAXONOMY_WEIGHT, 5).tolist(),
            }
    return document


def _check_export(document: dict, vectorizer, coef, intercept, corpus: Corpus) -> None:
    """Fail loudly if the rounded, exported weights disagree with the fitted model."""
    shipped = topics.from_document(document)
    sample, texts = corpus.tokens[:500], (corpus.texts or [None] * 500)[:500]
    titles = (corpus.titles or [[] for _ in sample])[:500]
    expected = linear_scores(vectorizer, coef, intercept, sample, texts, titles).argmax(axis=1)
    got = np.array([shipped.probabilities(t, x, h).argmax() for t, x, h in zip(sample, texts, titles, strict=True)])
    if np.mean(expected == got) < 0.995:
        raise RuntimeError("exported topic model disagrees with the fitted one")


def write_document(document: dict, out: Path) -> None:
    """Write a model document as gzipped JSON (the file `topics.load` reads)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with open(out, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(payload)  # mtime=0 and no name: retraining on the same data gives the same bytes


def offsets_note(meta: dict) -> str:
    """The tuned intercept offsets, label by label, for the card (empty without them)."""
    if not meta.get("offsets"):
        return ""
    return ": " + ", ".join(f"{label} {o:+.4f}" for label, o in zip(topics.LABELS, meta["offsets"], strict=True))


def write_card(path: Path, meta: dict) -> None:
    """Write the model card (what it was trained on, how well it does, how to retrain)."""
    rows = "\n".join(
        f"| {name} | {r['accuracy']:.4f} | {r['macro_f1']:.4f} |" for name, r in meta["cross_validation"].items()
    )
    per_label = "\n".join(f"| {label} | {f1:.4f} |" for label, f1 in meta["per_label_f1"].items())
    counts = ", ".join(f"{label} {n}" for label, n in meta["label_counts"].items())
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    marker = "<!-- sentiment-model-card -->"  # train_sentiment's section of the same card: kept as is
    kept = "\n" + old[old.index(marker) :] if marker in old else ""
    start, end = "<!-- topic-experiments -->", "<!-- /topic-experiments -->"  # hand-written notes: kept
    if start in old and end in old:
        kept = "\n" + old[old.index(start) : old.index(end) + len(end)] + "\n" + kept
    path.write_text(
        f"""# Topic model card — {meta["version"]}

- **What**: first-level topic (一级标签) of a citizen's message, one of 7: {", ".join(topics.LABELS)}.
  Output: the best label and a confidence in [0, 1] (temperature-scaled softmax).
- **Trained on**: `{meta["source"]}` — {meta["rows"]} messages ({counts}); {meta["skipped"]} rows
  skipped (unknown label or empty body). Public data from the 2020 TipDM Cup (problem C): messages to a
  provincial-capital 问政 platform, labelled by the organisers, places anonymised ("A市", "K8县"). No data
  is shipped, only weights.
- **Method**: jieba tokens (lower-cased; punctuation, numbers and anonymised codes dropped),
  TF-IDF (sublinear tf; {meta["words"]} terms, each found in ≥ {MIN_GROUPS} unrelated messages, so
  no single message's names or addresses ship){meta["char_note"]}{offsets_note(meta)} (candidate
  `{meta["estimator"]}`); confidence = softmax of the linear scores / T, with T = {meta["temperature"]} fitted
  on out-of-fold scores.
- **Chosen by**: {FOLDS}-fold stratified cross-validation grouped by near-duplicate (re-posted copies of a
  message stay in one fold), seed {SEED}, best macro-F1:

| candidate | accuracy | macro-F1 |
|---|---|---|
{rows}

Per-label F1 of the chosen model (out of fold):

| label | F1 |
|---|---|
{per_label}

The chosen model under plain stratified {FOLDS}-fold CV (re-posted copies may straddle folds), seed {SEED}:
accuracy {meta["stratified"]["accuracy"]:.4f}, macro-F1 {meta["stratified"]["macro_f1"]:.4f}.

Calibration (out of fold, after temperature): log-loss {meta["log_loss"]}, expected calibration error
{meta["ece"]}.

Review threshold (待复核, `review.DEFAULT_THRESHOLD`): the lowest confidence above which out-of-fold topics
are right ≥ {meta["review"]["target"]:.0%} of the time: {meta["review"]["threshold"]} (accuracy above it
{meta["review"]["accuracy_above"]}; {meta["review"]["review_share"]:.1%} of messages fall below and go to review).

- **Limits**: one city's platform, messages of 2010–2020; only 7 of the 15 first-level topics of the
  official taxonomy occur in the labels, so a message about anything else (e.g. 政法, 民政) still gets one
  of the 7, and nothing guarantees its confidence is low. A text with no known term gets the intercepts
  alone: {meta["prior_label"]} with confidence {meta["prior_confidence"]}. Labels follow the platform's
  taxonomy, e.g. 公交 is mostly 城乡建设, not 交通运输. Deployments should retrain on their own records.
- **Trained**: {meta["date"]}, scikit-learn {meta["sklearn"]}.
- **Retrain**: `python -m responder.analysis.train_topics CSV [OUT]` (bump `TOPIC_MODEL_VERSION` in
  `topics.py` when the model changes; `pipeline.MODEL_VERSION` follows it).
"""
        + kept,
        encoding="utf-8",
    )


def method_note(name: str, vectorizer: JointVectorizer, pool: unlabelled.Unlabelled | None) -> str:
    """The model card's description of what the chosen candidate adds to the word block."""
    parts = _parts(name)
    note = ""
    if vectorizer.titles:
        note += f"; a title's words count a second time as `{topics.TITLE_PREFIX}word` terms"
    note += (
        f", plus a second TF-IDF block of character 1–3-grams (lower-cased, digits folded; "
        f"{len(vectorizer.chars.idf_)} n-grams in ≥ {CHAR_MIN_DF} messages of ≥ {MIN_GROUPS} unrelated ones, "
        f"the {CHAR_MAX_FEATURES} most frequent at most), each block l2-normalised"
    )
    if vectorizer.taxonomy:
        note += (f", plus a third block: for each of the {len(vectorizer.taxonomy[0])} first-level topics of the "
                 f"official taxonomy (`topic_taxonomy.csv`), log(1 + number of its {len(vectorizer.taxonomy[1])} "
                 f"level-2/3 names found in the text) × {TAXONOMY_WEIGHT}")
    if "unlabelled" in parts:
        note += (
            f". Vocabularies and IDF of the word and character blocks are fitted over the labelled messages plus "
            f"{len(pool.texts)} unlabelled ones ({', '.join(f'`{f}`' for f in pool.files)}; {pool.dropped} copies "
            "or near-copies of labelled messages left out); they train no weight and no label is guessed for them"
            if pool else
            ". (No unlabelled messages were beside the CSV: vocabularies and IDF come from the labelled ones only)"
        )
    estimator = name.split("+")[0]
    if estimator == "nbsvm":
        note += (f". Estimator NBSVM (Wang & Manning 2012), one-vs-rest: per label, a LinearSVC (C = 0.5, the "
                 "label's messages weighted inversely to its frequency) on the features scaled by the log-count "
                 f"ratio r = log((p/|p|₁)/(q/|q|₁)), p and q = {NBSVM.ALPHA:g} + the number of the label's and of the "
                 "other labels' messages with the feature, no interpolation; r is folded into the shipped weights "
                 "(w ⊙ r)")
    elif estimator == "balanced_svm":
        note += ". Estimator LinearSVC, C = 0.5, class weights inversely proportional to label frequency"
    if "offsets" in parts:
        note += (f", then per-label offsets added to the intercepts, tuned for macro-F1 on {OFFSET_FOLDS}-fold "
                 "out-of-fold scores of the training messages")
    return note


def main(csv_path: str | Path, out_path: str | Path | None = None) -> dict:
    """Cross-validate every candidate, fit the best on all rows, write model + card; return the metadata."""
    import sklearn

    out = Path(out_path) if out_path else topics.MODEL_PATH
    corpus = read_corpus(csv_path)
    taxonomy_path = Path(csv_path).parent / "topic_taxonomy.csv"  # the platform's official taxonomy, if beside
    corpus.taxonomy = read_taxonomy(taxonomy_path) if taxonomy_path.is_file() else None
    corpus.unlabelled = unlabelled.read(unlabelled.beside(csv_path), corpus.texts, corpus.duplicate_keys,
                                        duplicate_key)
    results = {}
    for name in CANDIDATES:
        if "taxonomy" in _parts(name) and corpus.taxonomy is None:
            continue
        result = results[name] = cross_validate(corpus, name)
        print(f"{name:14s} accuracy {result['accuracy']:.4f}  macro-F1 {result['macro_f1']:.4f}")
    best = max(results, key=lambda n: (results[n]["macro_f1"], results[n]["accuracy"]))
    oof = results[best]["oof_scores"]
    temperature = fit_temperature(oof, corpus.labels)
    plain = cross_validate(corpus, best, grouped=False)  # the usual split, for comparison with other reports
    print(f"{best} without grouping: accuracy {plain['accuracy']:.4f}  macro-F1 {plain['macro_f1']:.4f}")
    vectorizer, coef, intercept = fit(corpus.tokens, corpus.labels, corpus.groups, best, corpus.texts,
                                      corpus.taxonomy, corpus.titles, corpus.unlabelled)
    joint = isinstance(vectorizer, JointVectorizer)
    meta = {
        "version": topics.TOPIC_MODEL_VERSION,
        "source": Path(csv_path).name,
        "rows": len(corpus.labels),
        "skipped": corpus.skipped,
        "estimator": best,
        "features": len(vectorizer.idf_),
        "words": len(vectorizer.words.idf_) if joint else len(vectorizer.idf_),
        "char_note": method_note(best, vectorizer, corpus.unlabelled) if joint else "",
        "offsets": (  # recomputed as `fit` did (same features, same folds) to show them on the card
            np.round(intercept_offsets(best, vectorizer.transform(corpus.tokens, corpus.texts, corpus.titles),
                                       corpus.labels), 4).tolist() if "offsets" in _parts(best) else None
        ),
        "label_counts": {label: int(np.sum(corpus.labels == i)) for i, label in enumerate(topics.LABELS)},
        "cross_validation": {n: {k: r[k] for k in ("accuracy", "macro_f1")} for n, r in results.items()},
        "per_label_f1": results[best]["per_label_f1"],
        "prior_label": topics.LABELS[int(np.argmax(intercept))],
        "prior_confidence": round(float(softmax(intercept[None, :], temperature).max()), 3),
        "temperature": round(temperature, 4),
        "log_loss": round(log_loss(oof, corpus.labels, temperature), 4),
        "ece": round(expected_calibration_error(oof, corpus.labels, temperature), 4),
        "stratified": {k: plain[k] for k in ("accuracy", "macro_f1")},
        "review": review_threshold(oof, corpus.labels, temperature),
        "date": dt.date.today().isoformat(),
        "sklearn": sklearn.__version__,
    }
    document = export(vectorizer, coef, intercept, temperature, meta)
    _check_export(document, vectorizer, coef, intercept, corpus)
    write_document(document, out)
    write_card(out.parent / "MODEL_CARD.md", meta)
    print(
        f"chose {best}: T={meta['temperature']} log-loss {meta['log_loss']} ECE {meta['ece']}; "
        f"{meta['features']} terms → {out} ({out.stat().st_size // 1024} KiB)"
    )
    return meta


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: python -m responder.analysis.train_topics CSV [OUT]")
    main(*sys.argv[1:])
