"""Train the request type model on hand-judged messages, pick it by cross-validation, ship it.

    python -m responder.analysis.train_request_types JUDGEMENTS.jsonl... [--data DIR] [--out PATH]

JUDGEMENTS: files of bench/labels/analysis-*.jsonl with a request_type per message (format in
`responder.analysis.judged`); the messages are read from the shared data folder (--data, default
$RESPONDER_SHARED_DATA or ../shared/data). Leave the held-out sets out: they measure the result. Prints
5-fold out-of-fold agreement for each candidate next to the cue rules alone, fits the best on every
message, writes the model (default responder/analysis/data/request_type_model.json.gz) and its section of
MODEL_CARD.md beside it. Deterministic: the same files give the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import sys
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from responder.analysis import judged, lexicon, request_types, topics

DATA = Path(os.environ.get("RESPONDER_SHARED_DATA") or Path(__file__).resolve().parents[3] / "shared" / "data")
FOLDS = 5
SEED = 0
MIN_DF = 2
CANDIDATES = (3.0, 10.0, 30.0)  # C of a class-balanced multinomial logistic regression
CARD_START = "<!-- request-type-model-card -->"
CARD_END = "<!-- /request-type-model-card -->"


def examples(records: list[dict], messages: dict[str, dict]) -> list[dict]:
    """What the model reads of each judged message, computed as `request_types.classify` computes it."""
    out = []
    for record in records:
        row = messages[record["key"]]
        content = row["body"]
        title = (row.get("title") or "").strip() or None
        title_tokens = topics.tokenize(title) if title else []
        cues = lexicon.request_type_cues(content, title)
        ruled, _ = lexicon.request_type(content, title, cues)
        decided = request_types.rule_decides(cues)
        out.append(
            {
                "label": record["request_type"],
                "terms": request_types.word_terms(topics.tokenize(content), title_tokens),
                "cues": request_types.cue_features(cues),
                "ruled": ruled,
                "override": decided[0] if decided else None,
            }
        )
    return out


def _fit(items: list[dict], c: float):
    vectorizer = TfidfVectorizer(analyzer=lambda terms: terms, min_df=MIN_DF, sublinear_tf=True)
    words = vectorizer.fit_transform([x["terms"] for x in items])
    features = sp.hstack([words, sp.csr_matrix(np.array([x["cues"] for x in items]))]).tocsr()
    estimator = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, random_state=SEED)
    estimator.fit(features, [x["label"] for x in items])
    return vectorizer, estimator


def _predict(fitted, items: list[dict]) -> list[str]:
    vectorizer, estimator = fitted
    words = vectorizer.transform([x["terms"] for x in items])
    features = sp.hstack([words, sp.csr_matrix(np.array([x["cues"] for x in items]))]).tocsr()
    return [x["override"] or label for x, label in zip(items, estimator.predict(features), strict=True)]


def agreement(items: list[dict], predicted: list[str]) -> dict:
    """Overall agreement and agreement on the messages judged other than complaint."""
    pairs = [(x["label"], p) for x, p in zip(items, predicted, strict=True)]
    others = [(w, p) for w, p in pairs if w != "complaint"]
    return {
        "agreement": sum(w == p for w, p in pairs) / len(pairs),
        "non_complaint": sum(w == p for w, p in others) / len(others) if others else 0.0,
    }


def cross_validate(items: list[dict], c: float) -> dict:
    labels = np.array([x["label"] for x in items])
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    predicted = [""] * len(items)
    for train, test in folds.split(np.zeros(len(items)), labels):
        fitted = _fit([items[i] for i in train], c)
        for i, label in zip(test, _predict(fitted, [items[i] for i in test]), strict=True):
            predicted[i] = label
    return agreement(items, predicted)


def export(fitted, c: float) -> dict:
    vectorizer, estimator = fitted
    n_words = len(vectorizer.idf_)
    coef = estimator.coef_
    return {
        "format": request_types.FORMAT,
        "version": request_types.REQUEST_TYPE_MODEL_VERSION,
        "classes": [str(c) for c in estimator.classes_],
        "terms": vectorizer.get_feature_names_out().tolist(),
        "idf": np.round(vectorizer.idf_, 5).tolist(),
        "word_coef": np.round(coef[:, :n_words], 5).tolist(),
        "cue_coef": np.round(coef[:, n_words:], 5).tolist(),
        "intercept": np.round(estimator.intercept_, 5).tolist(),
        "C": c,
    }


def write_card(path: Path, meta: dict) -> None:
    rows = "\n".join(
        f"| logistic regression, balanced, C = {c:g} | {r['agreement']:.4f} | {r['non_complaint']:.4f} |"
        for c, r in meta["candidates"].items()
    )
    counts = ", ".join(f"{k} {v}" for k, v in meta["counts"].items())
    section = f"""{CARD_START}
# Request type model card — {request_types.REQUEST_TYPE_MODEL_VERSION}

- **What**: the request type (诉求类型) of a citizen's message when the channel does not give it: consult,
  help, complaint, report, suggestion (and praise, disclosure: see below), with the model's probability as
  confidence. It sets the deadline policy.
- **Trained on**: {meta["messages"]} messages of `messages_with_likes.csv` and `messages_with_replies.csv` drawn at
  random and judged by hand against a written guide (`bench/labels/{meta["files"]}`; the guide is in their comment
  lines): {counts}. No message text ships, only weights.
- **Method**: multinomial logistic regression (class-balanced, C = {meta["C"]:g}) over a sublinear TF-IDF block of
  the message's jieba words (`topics.tokenize`, title words again as "T:word"; {meta["terms"]} terms in ≥ {MIN_DF}
  messages) and {len(lexicon.REQUEST_TYPES) * 3} cue features: log(1 + weight) of each type's affirmed cues of
  `lexicon.REQUEST_TYPE_CUES` in the content and in the title, and the cue rules' own pick. A cue weight of at
  least {request_types.RULE_DECIDES["praise"]:g} for praise or {request_types.RULE_DECIDES["disclosure"]:g} for a
  disclosure application decides outright (too rare in random messages to learn).
- **Chosen by**: {FOLDS}-fold stratified cross-validation, seed {SEED}, out-of-fold agreement with the judges (and on
  the messages judged other than complaint); the cue rules alone: {meta["rules"]["agreement"]:.4f}
  ({meta["rules"]["non_complaint"]:.4f}); always "complaint": {meta["always_complaint"]:.4f}.

| candidate | agreement | not complaint |
|---|---|---|
{rows}

- **Limits**: one platform, judged by annotators following one guide: where a deployment's officers draw the line
  between complaint, report and help differently, judge a few hundred of its own messages and retrain.
- **Trained**: {meta["date"]}, scikit-learn {meta["sklearn"]}.
- **Retrain**: `python -m responder.analysis.train_request_types JUDGEMENTS...` (bump `REQUEST_TYPE_MODEL_VERSION`
  in `request_types.py` when the model changes; `pipeline.MODEL_VERSION` follows it).
{CARD_END}
"""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if CARD_START in text:
        head, _, rest = text.partition(CARD_START)
        text = head + section.rstrip("\n") + rest.partition(CARD_END)[2]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def train(files: list[Path], data: Path, out: Path) -> dict:
    records = [r for path in files for r in judged.read_judgements(path) if "request_type" in r]
    items = examples(records, judged.read_messages(data))
    candidates = {c: cross_validate(items, c) for c in CANDIDATES}
    for c, result in candidates.items():
        print(f"C={c:g}: agreement {result['agreement']:.4f}, not complaint {result['non_complaint']:.4f}")
    best = max(candidates, key=lambda c: (candidates[c]["agreement"], -c))
    fitted = _fit(items, best)
    document = export(fitted, best)
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(payload)
    labels = [x["label"] for x in items]
    meta = {
        "messages": len(items),
        "files": ", ".join(p.name for p in files),
        "C": best,
        "terms": len(document["terms"]),
        "counts": {k: labels.count(k) for k in lexicon.REQUEST_TYPES if labels.count(k)},
        "candidates": candidates,
        "rules": agreement(items, [x["ruled"] for x in items]),
        "always_complaint": labels.count("complaint") / len(labels),
        "date": dt.date.today().isoformat(),
        "sklearn": sklearn.__version__,
    }
    write_card(out.parent / "MODEL_CARD.md", meta)
    print(
        f"chose C={best:g}: {candidates[best]['agreement']:.4f} out of fold (rules alone "
        f"{meta['rules']['agreement']:.4f}); {meta['terms']} terms → {out}"
    )
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=request_types.MODEL_PATH)
    args = parser.parse_args(argv)
    try:
        train(args.files, args.data, args.out)
    except (OSError, KeyError, judged.JudgementError) as exc:
        print(f"cannot train: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
