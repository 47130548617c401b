"""Train the models learnt from hand-judged messages (request type, sentiment register), pick by CV, ship them.

    python -m responder.analysis.train_judged JUDGEMENTS.jsonl... [--data DIR] [--out-dir DIR]

JUDGEMENTS: files of bench/labels/analysis-*.jsonl judging sentiment and request type (format in
`responder.analysis.judged`); the messages are read from the shared data folder (--data, default
$RESPONDER_SHARED_DATA or ../shared/data). Leave the held-out sets out: they measure the result. For each
model, prints 5-fold out-of-fold figures per candidate next to the cue rules alone, fits the best on every
message and writes it (request_type_model.json.gz, sentiment_register_model.json.gz in --out-dir, default
responder/analysis/data) with its section of MODEL_CARD.md beside them. Deterministic.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from responder import fitting
from responder.analysis import judged, lexicon, linear, request_types, sentiment, topics

DATA = Path(os.environ.get("RESPONDER_SHARED_DATA") or Path(__file__).resolve().parents[3] / "shared" / "data")
FOLDS = 5
SEED = 0
MIN_DF = 2
CANDIDATES = (3.0, 10.0, 30.0)  # C of the logistic regression


@dataclass
class Example:
    """One judged message as the analysis sees it."""

    text: str
    terms: list[str]
    cues: dict
    value: float  # the review sentiment model's probability
    request_type: str
    sentiment: str


@dataclass(frozen=True)
class Head:
    """One model learnt from the judgements: what it predicts, from which dense features, how it is scored."""

    name: str
    version: str
    filename: str
    class_weight: str | None
    label: Callable[[Example], str]
    dense: Callable[[Example], list[float]]
    # (examples, predicted labels or probabilities) -> figures; "score" is what picks the candidate
    figures: Callable[[list[Example], list], dict]
    rules: Callable[[list[Example]], dict]
    predicts_probability: bool = False


def examples(records: list[dict], messages: dict[str, dict]) -> list[Example]:
    """Each judged message, segmented and scored as `pipeline.analyse_text` does."""
    out = []
    for record in records:
        row = messages[record["key"]]
        content = row["body"]
        title = (row.get("title") or "").strip() or None
        text = f"{title}\n{content}" if title else content
        title_tokens = topics.tokenize(title) if title else []
        tokens = topics.tokenize(content)
        out.append(Example(
            text=text,
            terms=request_types.word_terms(tokens, title_tokens),
            cues=lexicon.request_type_cues(content, title),
            value=sentiment.model().probability(title_tokens + tokens, text),
            request_type=record["request_type"],
            sentiment=record["sentiment"],
        ))
    return out


# ---------------------------------------------------------------- request type
def _request_type_predictions(items: list[Example], predicted: list[str]) -> list[str]:
    return [(request_types.rule_decides(x.cues) or (p,))[0] for x, p in zip(items, predicted, strict=True)]


def _agreement(items: list[Example], predicted: list[str]) -> dict:
    pairs = [(x.request_type, p) for x, p in zip(items, _request_type_predictions(items, predicted), strict=True)]
    others = [(w, p) for w, p in pairs if w != "complaint"]
    return {"score": sum(w == p for w, p in pairs) / len(pairs),
            "not_complaint": sum(w == p for w, p in others) / len(others) if others else 0.0}


def _request_type_rules(items: list[Example]) -> dict:
    ruled = [lexicon.request_type("", None, x.cues)[0] for x in items]
    always = sum(x.request_type == "complaint" for x in items) / len(items)
    return _agreement(items, ruled) | {"always_complaint": always}


# ---------------------------------------------------------------- sentiment register
def _sentiment_figures(items: list[Example], negative: list[float]) -> dict:
    labels = [
        sentiment.label(sentiment.combine(x.value, x.text, lambda p=p: p))
        for x, p in zip(items, negative, strict=True)
    ]
    pairs = [(x.sentiment, got) for x, got in zip(items, labels, strict=True)]
    on_government = [pair for x, pair in zip(items, pairs, strict=True) if sentiment.government_register(x.text)]
    return {"score": judged.macro_f1(pairs, ("negative", "neutral")),
            "government_text": len(on_government) / len(pairs)}


def _sentiment_rules(items: list[Example]) -> dict:
    """The cue rules alone (the register model replaced by 'a complaint cue means negative')."""
    flags = [1.0 if sentiment._COMPLAINT.search(x.text) else 0.0 for x in items]
    return _sentiment_figures(items, flags) | {
        "always_negative": judged.macro_f1([(x.sentiment, "negative") for x in items], ("negative", "neutral"))}


HEADS = (
    Head("request_type", request_types.REQUEST_TYPE_MODEL_VERSION, request_types.MODEL_PATH.name, "balanced",
         label=lambda x: x.request_type, dense=lambda x: request_types.cue_features(x.cues),
         figures=_agreement, rules=_request_type_rules),
    Head("sentiment_register", sentiment.REGISTER_VERSION, sentiment.REGISTER_PATH.name, None,
         label=lambda x: "negative" if x.sentiment == "negative" else "neutral",
         dense=lambda x: sentiment.register_features(x.value, x.text, x.cues),
         figures=_sentiment_figures, rules=_sentiment_rules, predicts_probability=True),
)


# ---------------------------------------------------------------- fitting
def _matrix(vectorizer, head: Head, items: list[Example]):
    words = vectorizer.transform([x.terms for x in items])
    return sp.hstack([words, sp.csr_matrix(np.array([head.dense(x) for x in items]))]).tocsr()


def fit(head: Head, items: list[Example], c: float):
    vectorizer = TfidfVectorizer(analyzer=lambda terms: terms, min_df=MIN_DF, sublinear_tf=True)
    vectorizer.fit([x.terms for x in items])
    estimator = LogisticRegression(C=c, class_weight=head.class_weight, max_iter=5000, random_state=SEED)
    fitting.fit(estimator, _matrix(vectorizer, head, items), [head.label(x) for x in items])
    return vectorizer, estimator


def predict(head: Head, fitted, items: list[Example]) -> list:
    """Labels, or for a probability head the probability of "negative"."""
    vectorizer, estimator = fitted
    features = _matrix(vectorizer, head, items)
    if head.predicts_probability:
        return estimator.predict_proba(features)[:, list(estimator.classes_).index("negative")].tolist()
    return estimator.predict(features).tolist()


def cross_validate(head: Head, items: list[Example], c: float) -> dict:
    labels = np.array([head.label(x) for x in items])
    predicted: list = [None] * len(items)
    for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(np.zeros(len(items)), labels):
        fitted = fit(head, [items[i] for i in train], c)
        for i, value in zip(test, predict(head, fitted, [items[i] for i in test]), strict=True):
            predicted[i] = value
    return head.figures(items, predicted)


def export(head: Head, fitted, c: float) -> dict:
    vectorizer, estimator = fitted
    n_words = len(vectorizer.idf_)
    return {
        "format": linear.FORMAT,
        "version": head.version,
        "classes": [str(k) for k in estimator.classes_],
        "terms": vectorizer.get_feature_names_out().tolist(),
        "idf": np.round(vectorizer.idf_, 5).tolist(),
        "word_coef": np.round(estimator.coef_[:, :n_words], 5).tolist(),
        "dense_coef": np.round(estimator.coef_[:, n_words:], 5).tolist(),
        "intercept": np.round(estimator.intercept_, 5).tolist(),
        "C": c,
    }


def write_model(document: dict, out: Path) -> None:
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(payload)  # mtime=0 and no name: the same judgements give the same bytes


# ---------------------------------------------------------------- model card
CARD_START = "<!-- judged-models-card -->"
CARD_END = "<!-- /judged-models-card -->"


def card(meta: dict) -> str:
    request, register = meta["request_type"], meta["sentiment_register"]

    def rows(result: dict, second: str) -> str:
        lines = (f"| C = {c:g} | {r['score']:.4f} | {r[second]:.4f} |" for c, r in result["candidates"].items())
        return "\n".join(lines)

    counts = ", ".join(f"{k} {v}" for k, v in meta["counts"].items())
    return f"""{CARD_START}
# Models learnt from hand judgements — {request_types.REQUEST_TYPE_MODEL_VERSION}, {sentiment.REGISTER_VERSION}

- **Trained on**: {meta["messages"]} messages of `messages_with_likes.csv` and `messages_with_replies.csv` drawn at
  random and judged by hand against a written guide ({meta["files"]}, in `bench/labels/`; the guide is in their
  comment lines). Request types: {counts}. Sentiment: {meta["sentiment_counts"]}. No message text ships, only
  weights. Written by `python -m responder.analysis.train_judged`; {FOLDS}-fold stratified cross-validation, seed
  {SEED}, picks C of each logistic regression.
- **Request type** (`request_types.classify`): multinomial logistic regression, class-balanced, C = {request["C"]:g},
  over a sublinear TF-IDF block of the message's jieba words (`topics.tokenize`, title words again as "T:word";
  {request["terms"]} terms in ≥ {MIN_DF} messages) and {len(lexicon.REQUEST_TYPES) * 3} cue features: log(1 + weight)
  of each type's affirmed cues of `lexicon.REQUEST_TYPE_CUES` in the content and in the title, and the cue rules'
  own pick. A cue weight of at least {request_types.RULE_DECIDES["praise"]:g} for praise or
  {request_types.RULE_DECIDES["disclosure"]:g} for a disclosure application decides outright (too rare in random
  messages to learn). Out-of-fold agreement with the judges (and on messages judged other than complaint); the cue
  rules alone {request["rules"]["score"]:.4f} ({request["rules"]["not_complaint"]:.4f}), always "complaint"
  {request["rules"]["always_complaint"]:.4f}:

| candidate | agreement | not complaint |
|---|---|---|
{rows(request, "not_complaint")}

- **Sentiment register** (`sentiment.combine`): on government text (≥ {sentiment.CIVIC_TERMS} distinct civic words;
  {register["candidates"][register["C"]]["government_text"]:.0%} of these messages) a binary logistic regression,
  C = {register["C"]:g}, says negative or neutral from the same word block ({register["terms"]} terms) and
  {4 + len(lexicon.REQUEST_TYPES) * 3} dense features: the review model's logit, the numbers of complaint and
  praise cues, whether it asks a question, and the request type cue features. Official replies stay neutral and
  praise positive, as before. Out-of-fold macro-F1 over negative and neutral of the resulting sentiment label; the
  cue rules alone (a complaint cue means negative) {register["rules"]["score"]:.4f}, always "negative"
  {register["rules"]["always_negative"]:.4f}:

| candidate | macro-F1 | share on government text |
|---|---|---|
{rows(register, "government_text")}

- **Limits**: one platform, judged by annotators following one guide; where a deployment's officers draw the lines
  (complaint or report, a grievance-laden suggestion negative or neutral) differently, judge a few hundred of its own
  messages and retrain. Reviews and posts (not government text) keep the review model's reading.
- **Trained**: {meta["date"]}, scikit-learn {meta["sklearn"]}.
{CARD_END}
"""


def write_card(path: Path, meta: dict) -> None:
    section = card(meta)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if CARD_START in text:
        head, _, rest = text.partition(CARD_START)
        text = head + section.rstrip("\n") + rest.partition(CARD_END)[2]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def train(files: list[Path], data: Path, out_dir: Path) -> dict:
    records = [r for path in files for r in judged.read_judgements(path) if "request_type" in r and "sentiment" in r]
    items = examples(records, judged.read_messages(data))
    meta: dict = {"messages": len(items), "files": ", ".join(p.name for p in files),
                  "counts": {k: n for k in lexicon.REQUEST_TYPES if (n := sum(x.request_type == k for x in items))},
                  "sentiment_counts": ", ".join(f"{k} {n}" for k in judged.SENTIMENTS
                                                if (n := sum(x.sentiment == k for x in items))),
                  "date": dt.date.today().isoformat(), "sklearn": sklearn.__version__}
    for head in HEADS:
        candidates = {c: cross_validate(head, items, c) for c in CANDIDATES}
        best = max(candidates, key=lambda c: (candidates[c]["score"], -c))
        document = export(head, fit(head, items, best), best)
        write_model(document, out_dir / head.filename)
        meta[head.name] = {"C": best, "candidates": candidates, "rules": head.rules(items),
                           "terms": len(document["terms"])}
        print(f"{head.name}: " + ", ".join(f"C={c:g} {r['score']:.4f}" for c, r in candidates.items())
              + f"; rules alone {meta[head.name]['rules']['score']:.4f}; chose C={best:g} → {out_dir / head.filename}")
    write_card(out_dir / "MODEL_CARD.md", meta)
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out-dir", type=Path, default=request_types.MODEL_PATH.parent)
    args = parser.parse_args(argv)
    try:
        train(args.files, args.data, args.out_dir)
    except (OSError, KeyError, judged.JudgementError) as exc:
        print(f"cannot train: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
