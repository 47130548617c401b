"""Topic model variants, each scored by plain stratified and by near-duplicate-grouped 5-fold CV.

    python bench/topic_variants.py "[{}, {'C': 2}, {'tax': 0.5}]"

Each variant is a dict: tw (title weighting: 0, 2 = title tokens twice, 'prefix' = also as T:word), sub
(sublinear tf, default True), chars (char block, default True), cr (char n-gram range, default (1, 3)),
cw (char block weight), C, est (svm | lr | ridge | sgd | cnb | ens = sum of z-scored word, char and joint
SVMs), tax (weight of the taxonomy block: hits of topic_taxonomy.csv level-2/3 names per level-1 topic).
Vocabularies are refit inside every fold (words in ≥ 2 messages, char n-grams in ≥ 3, at most 150,000).
Reads ../shared/data (RESPONDER_SHARED_DATA); prints one line per variant: strat acc/macro-F1, grouped acc/F1.
"""

from __future__ import annotations

import ast
import csv
import os
import re
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression, RidgeClassifier, SGDClassifier
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.naive_bayes import ComplementNB
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from responder.analysis import topics

DATA = Path(os.environ.get("RESPONDER_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")
warnings.filterwarnings("ignore")


def load() -> list[dict]:
    rows = []
    with open(DATA / "topic_messages_train.csv", encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            label, body = (r.get("label") or "").strip(), (r.get("body") or "").strip()
            if label in topics.LABELS and body:
                title = (r.get("title") or "").strip()
                rows.append({"title": title, "body": body, "label": topics.LABELS.index(label),
                             "ttok": topics.tokenize(title) if title else [], "btok": topics.tokenize(body),
                             "key": re.sub(r"\W", "", body)[:40]})
    return rows


ROWS = load()
Y = np.array([r["label"] for r in ROWS])
_keys: dict[str, int] = {}
G = np.array([_keys.setdefault(r["key"], len(_keys)) for r in ROWS])
_cache: dict = {}


def text(r: dict) -> str:
    return f"{r['title']}\n{r['body']}" if r["title"] else r["body"]


def char_grams(lo: int, hi: int):
    def grams(t: str) -> list[str]:
        t = re.sub(r"\d", "0", re.sub(r"\s+", " ", t.strip().lower()))
        return [t[i : i + n] for n in range(lo, hi + 1) for i in range(len(t) - n + 1)]

    return grams


def taxonomy_counts() -> sp.csr_matrix:
    terms: dict[str, set] = {}
    with open(DATA / "topic_taxonomy.csv", encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh):
            for level in ("level2", "level3"):
                for t in re.split(r"[、/和及]", r[level]):
                    if len(t) >= 2:
                        terms.setdefault(t, set()).add(r["level1"])
    level1 = sorted({x for s in terms.values() for x in s})
    m = np.zeros((len(ROWS), len(level1)))
    for i, r in enumerate(ROWS):
        for t, names in terms.items():
            if t in text(r):
                for name in names:
                    m[i, level1.index(name)] += 1
    return sp.csr_matrix(np.log1p(m))


def counts(kind: tuple) -> sp.csr_matrix:
    if kind not in _cache:
        if kind[0] == "w":
            tw = kind[1]
            docs = [(["T:" + w for w in r["ttok"]] + r["ttok"] if tw == "prefix" else r["ttok"] * max(tw, 1))
                    + r["btok"] for r in ROWS]
            _cache[kind] = CountVectorizer(analyzer=lambda x: x).fit_transform(docs).astype(float)
        elif kind[0] == "c":
            _cache[kind] = CountVectorizer(analyzer=char_grams(*kind[1])).fit_transform(
                [text(r) for r in ROWS]).astype(float)
        else:
            _cache[kind] = taxonomy_counts()
    return _cache[kind]


def tfidf(m, tr, te, min_df, sub=True, max_features=None):
    df = np.asarray((m[tr] > 0).sum(0)).ravel()
    keep = np.where(df >= min_df)[0]
    if max_features and len(keep) > max_features:
        keep = keep[np.argsort(-df[keep], kind="stable")[:max_features]]
    idf = np.log((1 + len(tr)) / (1 + df[keep])) + 1

    def weigh(x):
        x = x[:, keep].copy()
        if sub:
            x.data = np.log(x.data) + 1
        return normalize(x.multiply(idf).tocsr())

    return weigh(m[tr]), weigh(m[te])


def blocks(cfg, tr, te):
    out = [(*tfidf(counts(("w", cfg.get("tw", 0))), tr, te, 2, cfg.get("sub", True)), cfg.get("ww", 1.0))]
    if cfg.get("chars", True):
        out.append((*tfidf(counts(("c", cfg.get("cr", (1, 3)))), tr, te, 3, True, 150_000), cfg.get("cw", 1.0)))
    if cfg.get("tax"):
        m = counts(("tax",))
        out.append((m[tr], m[te], cfg["tax"]))
    return out


def estimator(cfg):
    kind, c = cfg.get("est", "svm"), cfg.get("C", 1.0)
    return {"svm": lambda: LinearSVC(C=c, random_state=0), "lr": lambda: LogisticRegression(C=c, max_iter=3000),
            "ridge": lambda: RidgeClassifier(alpha=cfg.get("alpha", 1.0)),
            "sgd": lambda: SGDClassifier(loss="modified_huber", alpha=cfg.get("alpha", 1e-4), random_state=0),
            "cnb": lambda: ComplementNB(alpha=cfg.get("alpha", 0.1))}[kind]()


def zscore(s):
    return (s - s.mean(1, keepdims=True)) / (s.std() + 1e-9)


def run(cfg: dict, grouped: bool) -> tuple[float, float]:
    splitter = (StratifiedGroupKFold(5, shuffle=True, random_state=0) if grouped
                else StratifiedKFold(5, shuffle=True, random_state=0))
    pred = np.zeros(len(Y), int)
    for tr, te in splitter.split(ROWS, Y, G):
        bl = blocks(cfg, tr, te)
        xtr = sp.hstack([b[0] * b[2] for b in bl]).tocsr()
        xte = sp.hstack([b[1] * b[2] for b in bl]).tocsr()
        if cfg.get("est") == "ens":
            parts = [(xtr, xte)] + [(b[0], b[1]) for b in bl[:2]]
            total = sum(zscore(LinearSVC(C=cfg.get("C", 1.0), random_state=0).fit(a, Y[tr]).decision_function(b))
                        for a, b in parts)
            pred[te] = np.asarray(total).argmax(1)
            continue
        pred[te] = estimator(cfg).fit(xtr, Y[tr]).predict(xte)
    return accuracy_score(Y, pred), f1_score(Y, pred, average="macro")


if __name__ == "__main__":
    for variant in ast.literal_eval(sys.argv[1] if len(sys.argv) > 1 else "[{}]"):
        start = time.time()
        (a1, f1), (a2, f2) = run(variant, False), run(variant, True)
        print(f"{variant}  strat {a1:.4f}/{f1:.4f}  grouped {a2:.4f}/{f2:.4f}  {time.time() - start:.0f}s", flush=True)
