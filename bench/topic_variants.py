"""Topic model variants, each scored by plain stratified and by near-duplicate-grouped CV (5 folds by default).

    python bench/topic_variants.py "[{}, {'C': 2}, {'tax': 0.5}]"

Each variant is a dict of:
- features: tw (title weighting: 0, 2 = title tokens twice, 'prefix' = also as T:word), sub (sublinear tf,
  default True), wb (word bigrams too), wdf (min document frequency of words, default 2), chars (char block,
  default True), cr (char n-gram range, default (1, 3)), cdf / cmax (min df, default 3, and cap, default
  150,000 of char n-grams), cw / ww (block weights), tax (weight of the taxonomy block: hits of
  topic_taxonomy.csv level-2/3 names per level-1 topic), tax2 (the same per level-2 group, level-3 names);
- estimator: est (svm | lr | ridge | sgd (modified Huber) | cnb | nbsvm | ens = sum of z-scored word, char and joint
  SVMs | avg = average of members' scores, each divided by its temperature fitted on inner 3-fold out-of-fold
  scores), members (for avg: list of (estimator dict, weight)), C, alpha, cwt ('balanced' class weights),
  bias (per-class intercept offsets tuned for macro-F1 on inner 3-fold out-of-fold scores);
- NBSVM (Wang & Manning 2012; est 'nbsvm'): one-vs-rest, each class's binary SVM (nbe 'lr': LogReg) fit on the
  features scaled by the log-count ratio r = log((p/|p|1)/(q/|q|1)), p/q = alpha (nba, default 1) + the
  binarised counts in/outside the class; nbx 'bin' = binarised features instead of tf-idf; nbb = beta of the
  weight interpolation w' = (1 - beta) mean|w| + beta w (default 1 = none); nbon = indices of the blocks that
  get scaled (default all; 0 words, 1 chars); cwt 'balanced' weighs a class's positives as LinearSVC does;
- blends (cheap at inference): aux ('cen' = cosine to each class's l2-normalised mean training row, a linear
  score; 'knn' = summed cosine of the k (default 10) most similar training rows per class) added to the
  estimator's scores × auxw (default 'tune': the weight, relative to the scores' spread, that maximises
  macro-F1 on inner 3-fold out-of-fold scores); pairs = [(a, b), …] label indices: where a and b are a
  message's two best labels, a binary estimator (same settings) trained on a's and b's messages decides;
- est 'cs': LinearSVC's Crammer-Singer multi-class SVM; ws (word block from jieba's search-mode tokens, which
  add the sub-words of long words);
- unlabelled text: unl ('idf': vocabulary and IDF over the fold's training part + the unlabelled pool),
  st (self-training: pool messages whose fold-model confidence softmax(score / 0.25) is ≥ st join the
  training part with that label), sw (their sample weight, default 1), sr (rounds, default 1);
- neural member (est 'mlp', or nn = fit_mlp's settings, e.g. {'hidden': 64, 'epochs': 5}): the one-hidden-layer
  MLP of bench/topic_mlp.py over the same feature rows, scores = its log-probabilities, nnseeds
  (default 1) initialisations averaged; with nn set, every fold reports three models from the same features and
  inner folds: base (the variant's estimator + offsets), mlp (the MLP + its own offsets) and blend ((1 - a) × base
  / T_b + a × MLP / T_m, the temperatures and a in 0, 0.1, …, 1 chosen on inner 3-fold out-of-fold scores of the
  training part, then offsets tuned on the blend's inner scores); needs torch (training only); env NN_DUMP=PREFIX
  saves each fold's test scores, temperatures, weight and offsets to PREFIX-SEED-FIRSTROW.npz;
- cv ('both', default; 'grouped' or 'strat' to run one of the two CVs);
- seed (of the fold split, default 0); folds (number of CV folds, default 5); frac (learning curves: keep only this
  fraction of each fold's training part, per label, taken from one random order per fold seeded by seed, so a
  smaller fraction's part lies inside a larger one's; the unlabelled pool and the test fold are unchanged);
- label noise (confident-learning style; noise = dict): inside each training part, 3-fold out-of-fold scores of the
  recipe without offsets, as probabilities softmax(score / T) with T fitted on them; a message is flagged when its
  given label's probability is < thr, or another label's is >= other, or (cl True) Northcutt's confident joint puts
  it off the diagonal (per-label threshold = mean probability of the label among its messages; the most probable
  label above its threshold is not the given one); flagged messages are dropped (w 0, default) or get sample
  weight w (NBSVM's log-count ratios then count them with weight w too); the recipe (offsets included) is refit on
  the rest; the test fold is untouched;
- stacking (stack = list of member dicts, each overriding the variant's settings, offsets off; words False drops
  the word block): each member's 3-fold out-of-fold scores on the training part (its own features) are standardised
  and fed to a multinomial LogisticRegression (mC, default 1; mcw 'balanced' class weights; mbias: per-label
  offsets tuned on the meta-learner's own 3-fold out-of-fold scores); members are then refit on the whole part.
Vocabularies are refit inside every fold. The unlabelled pool: messages_with_likes.csv +
messages_with_replies.csv, one message per near-duplicate key, minus any message that shares its key with a
training message or is a near-copy of one (char 3-gram Jaccard ≥ 0.5), so no test message comes back through
the pool. Reads ../shared/data (RESPONDER_SHARED_DATA); prints one line per variant: strat acc/macro-F1,
grouped acc/F1 (with nn: one line per model).
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
from scipy.special import logsumexp
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


def text(r: dict) -> str:
    return f"{r['title']}\n{r['body']}" if r["title"] else r["body"]


def load_pool(rows: list[dict]) -> list[dict]:
    """Unlabelled messages of the same platform, without copies or near-copies of training messages."""
    from responder.analysis.duplicates import group_near_duplicates

    keys = {r["key"] for r in rows}
    pool, seen = [], set()
    for name in ("messages_with_likes.csv", "messages_with_replies.csv"):
        with open(DATA / name, encoding="utf-8-sig", newline="") as fh:
            for r in csv.DictReader(fh):
                body = (r.get("body") or "").strip()
                key = re.sub(r"\W", "", body)[:40]
                if body and key not in keys and key not in seen:
                    seen.add(key)
                    title = (r.get("title") or "").strip()
                    pool.append({"title": title, "body": body, "key": key,
                                 "ttok": topics.tokenize(title) if title else [], "btok": topics.tokenize(body)})
    items = [(("t", i), text(r)) for i, r in enumerate(rows)] + [(("p", i), text(r)) for i, r in enumerate(pool)]
    near = {i for group in group_near_duplicates(items, 0.5) if any(k == "t" for k, _ in group)
            for k, i in group if k == "p"}
    print(f"unlabelled pool: {len(pool)} distinct messages, {len(near)} near-copies of training ones dropped",
          file=sys.stderr)
    return [r for i, r in enumerate(pool) if i not in near]


ROWS = load()
POOL = load_pool(ROWS) if (DATA / "messages_with_likes.csv").is_file() else []
ALL = ROWS + POOL  # count matrices cover both; rows ≥ len(ROWS) are the unlabelled pool
N = len(ROWS)
PI = np.arange(N, len(ALL))
Y = np.array([r["label"] for r in ROWS])
_keys: dict[str, int] = {}
G = np.array([_keys.setdefault(r["key"], len(_keys)) for r in ROWS])
_cache: dict = {}


def char_grams(lo: int, hi: int):
    def grams(t: str) -> list[str]:
        t = re.sub(r"\d", "0", re.sub(r"\s+", " ", t.strip().lower()))
        return [t[i : i + n] for n in range(lo, hi + 1) for i in range(len(t) - n + 1)]

    return grams


def taxonomy_counts(by: str = "level1") -> sp.csr_matrix:
    """log(1 + hits of the taxonomy's level-2/3 names) per level-1 topic (or per level-2 group: by='level2')."""
    terms: dict[str, set] = {}
    with open(DATA / "topic_taxonomy.csv", encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh):
            for level in ("level2", "level3"):
                if by == "level2" and level == "level2":
                    continue
                for t in re.split(r"[、/和及]", r[level]):
                    if len(t) >= 2:
                        name = f"{r['level1']}/{r['level2']}" if by == "level2" else r["level1"]
                        terms.setdefault(t, set()).add(name)
    level1 = sorted({x for s in terms.values() for x in s})
    m = np.zeros((len(ALL), len(level1)))
    for i, r in enumerate(ALL):
        for t, names in terms.items():
            if t in text(r):
                for name in names:
                    m[i, level1.index(name)] += 1
    return sp.csr_matrix(np.log1p(m))


def counts(kind: tuple) -> sp.csr_matrix:
    if kind not in _cache:
        if kind[0] == "w":
            tw, wb = kind[1], kind[2]
            if kind[3] and "stok" not in ALL[0]:  # jieba search mode: also the sub-words of long words
                search = topics._tokenizer().lcut_for_search
                keep = lambda t: [w for w in (w.strip().lower() for w in search(t)) if topics._KEEP_TOKEN.search(w)]  # noqa: E731
                for r in ALL:
                    r["stok"], r["sbtok"] = keep(r["title"]), keep(r["body"])
            tt, bt = ("stok", "sbtok") if kind[3] else ("ttok", "btok")
            docs = [(["T:" + w for w in r[tt]] + r[tt] if tw == "prefix" else r[tt] * max(tw, 1))
                    + r[bt] for r in ALL]
            if wb:  # adjacent-token bigrams of title and body (not across the title/body boundary)
                docs = [d + [f"{a}_{b}" for part in (r["ttok"], r["btok"])
                             for a, b in zip(part, part[1:], strict=False)] for d, r in zip(docs, ALL, strict=True)]
            _cache[kind] = CountVectorizer(analyzer=lambda x: x).fit_transform(docs).astype(float)
        elif kind[0] == "c":
            _cache[kind] = CountVectorizer(analyzer=char_grams(*kind[1])).fit_transform(
                [text(r) for r in ALL]).astype(float)
        else:
            _cache[kind] = taxonomy_counts(kind[1])
    return _cache[kind]


def tfidf(m, tr, te, min_df, sub=True, max_features=None, fit_rows=None):
    """Weighted rows tr and te; vocabulary and IDF from fit_rows (default: tr)."""
    fit_rows = tr if fit_rows is None else fit_rows
    df = np.asarray((m[fit_rows] > 0).sum(0)).ravel()
    keep = np.where(df >= min_df)[0]
    if max_features and len(keep) > max_features:
        keep = keep[np.argsort(-df[keep], kind="stable")[:max_features]]
    idf = np.log((1 + len(fit_rows)) / (1 + df[keep])) + 1

    def weigh(x):
        x = x[:, keep].copy()
        if sub:
            x.data = np.log(x.data) + 1
        return normalize(x.multiply(idf).tocsr())

    return weigh(m[tr]), weigh(m[te])


def blocks(cfg, tr, te, fit_rows=None):
    out = []
    if cfg.get("words", True):
        words = counts(("w", cfg.get("tw", 0), cfg.get("wb", False), cfg.get("ws", False)))
        out.append((*tfidf(words, tr, te, cfg.get("wdf", 2), cfg.get("sub", True), None, fit_rows),
                    cfg.get("ww", 1.0)))
    if cfg.get("chars", True):
        chars = counts(("c", cfg.get("cr", (1, 3))))
        out.append((*tfidf(chars, tr, te, cfg.get("cdf", 3), True, cfg.get("cmax", 150_000), fit_rows),
                    cfg.get("cw", 1.0)))
    for key, by in (("tax", "level1"), ("tax2", "level2")):
        if cfg.get(key):
            m = counts(("tax", by))
            out.append((m[tr], m[te], cfg[key]))
    return out


def estimator(cfg):
    kind, c, cw = cfg.get("est", "svm"), cfg.get("C", 1.0), cfg.get("cwt")
    return {"svm": lambda: LinearSVC(C=c, random_state=0, class_weight=cw),
            "lr": lambda: LogisticRegression(C=c, max_iter=3000, class_weight=cw),
            "ridge": lambda: RidgeClassifier(alpha=cfg.get("alpha", 1.0)),
            "sgd": lambda: SGDClassifier(loss="modified_huber", alpha=cfg.get("alpha", 1e-4), random_state=0),
            "cnb": lambda: ComplementNB(alpha=cfg.get("alpha", 0.1)),
            "nbsvm": lambda: NBSVM(cfg),
            "mlp": lambda: MLP(cfg),
            "cs": lambda: LinearSVC(C=c, multi_class="crammer_singer", random_state=0, class_weight=cw)}[kind]()


class NBSVM:
    """Wang & Manning's NBSVM, one-vs-rest; scores are linear in x (weights r * w'), so it ships as a linear model."""

    def __init__(self, cfg):
        self.cfg = cfg

    def _x(self, x):
        if self.cfg.get("nbx") == "bin":
            x = x.copy()
            x.data = (x.data > 0).astype(float)
        return x

    def fit(self, x, y, sample_weight=None):
        cfg, xb = self.cfg, (x > 0).astype(float).tocsr()
        x, alpha, beta = self._x(x), cfg.get("nba", 1.0), cfg.get("nbb", 1.0)
        mask = cfg.get("_nbmask")  # columns to scale (others keep r = 1), from run()
        self.classes_ = np.unique(y)
        self.coef_ = np.zeros((len(self.classes_), x.shape[1]))
        self.intercept_ = np.zeros(len(self.classes_))
        sw = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
        cw = sw if cfg.get("nbsw") else np.ones(len(y))  # nbsw: the ratios count each message with its weight
        for k, c in enumerate(self.classes_):
            pos = y == c
            p = alpha + np.asarray(xb[pos].T @ cw[pos]).ravel()
            q = alpha + np.asarray(xb[~pos].T @ cw[~pos]).ravel()
            r = np.log(p / p.sum()) - np.log(q / q.sum())
            if mask is not None:
                r = np.where(mask, r, 1.0)
            w = sw * np.where(pos, len(y) / (len(self.classes_) * pos.sum()), 1.0) if cfg.get("cwt") else sw
            est = (LogisticRegression(C=cfg.get("C", 1.0), max_iter=3000) if cfg.get("nbe") == "lr"
                   else LinearSVC(C=cfg.get("C", 1.0), random_state=0))
            est.fit(x.multiply(r).tocsr(), pos.astype(int), sample_weight=w)
            coef = est.coef_.ravel()
            coef = (1 - beta) * np.abs(coef).mean() + beta * coef
            self.coef_[k], self.intercept_[k] = coef * r, est.intercept_[0]
        return self

    def decision_function(self, x):
        return np.asarray(self._x(x) @ self.coef_.T) + self.intercept_


class MLP:
    """bench/topic_mlp.py's MLP (cfg 'nn': fit_mlp's settings; 'nnseeds': log-probs averaged over that
    many initialisation seeds); decision_function = log-probabilities."""

    def __init__(self, cfg):
        self.cfg = cfg

    def fit(self, x, y, sample_weight=None):
        from topic_mlp import fit_mlp

        start = time.time()
        kw = {"n_classes": len(topics.LABELS), **(self.cfg.get("nn") or {})}
        self.weights = [fit_mlp(x, y, sample_weight, seed=s, **kw) for s in range(self.cfg.get("nnseeds", 1))]
        print(f"    mlp fit {x.shape[0]} x {x.shape[1]}: {time.time() - start:.1f}s", file=sys.stderr, flush=True)
        return self

    def decision_function(self, x):
        from topic_mlp import mlp_scores

        return np.mean([mlp_scores(w, x) for w in self.weights], axis=0)


def nn_blend(cfg, xtr, y, xte, te=None) -> dict[str, np.ndarray]:
    """Test-part scores of the baseline (cfg's estimator + offsets), the MLP alone (+ its offsets) and their blend:
    (1 - a) × baseline / T_b + a × MLP log-probs / T_m, T and a chosen on inner 3-fold out-of-fold scores of the
    training part (a by accuracy + macro-F1 on them), then per-label offsets tuned on the blend's inner scores."""
    base = lambda: estimator({**cfg, "est": cfg.get("est", "nbsvm")})  # noqa: E731
    mlp = lambda: MLP(cfg)  # noqa: E731
    ob, om = inner_oof(base, xtr, y), inner_oof(mlp, xtr, y)
    sb, sm = scores_of(base().fit(xtr, y))(xte), mlp().fit(xtr, y).decision_function(xte)
    tb, tm = fit_t(ob, y), fit_t(om, y)
    grid = np.round(np.linspace(0, 1, 11), 2)
    fit = [accuracy_score(y, ((1 - a) * ob / tb + a * om / tm).argmax(1))
           + f1_score(y, ((1 - a) * ob / tb + a * om / tm).argmax(1), average="macro") for a in grid]
    a = grid[int(np.argmax(fit))]
    ol = (1 - a) * ob / tb + a * om / tm
    print(f"  fold: T base {tb:.3f}, T mlp {tm:.3f}, blend weight a {a}; inner acc base "
          f"{accuracy_score(y, ob.argmax(1)):.4f} mlp {accuracy_score(y, om.argmax(1)):.4f} "
          f"blend {accuracy_score(y, ol.argmax(1)):.4f}", file=sys.stderr, flush=True)
    db, dm, dl = tune_bias(ob, y), tune_bias(om, y), tune_bias(ol, y)
    if os.environ.get("NN_DUMP"):  # diagnostics, a file per fold: test scores, temperatures, weight, offsets
        with open(f"{os.environ['NN_DUMP']}-{cfg.get('seed', 0)}-{int(te[0])}.npz", "wb") as fh:
            np.savez(fh, te=te, seed=cfg.get("seed", 0), sb=sb, sm=sm, tb=tb, tm=tm, a=a, db=db, dl=dl)
    return {"base": sb + db, "mlp": sm + dm, "blend": (1 - a) * sb / tb + a * sm / tm + dl}


def zscore(s):
    return (s - s.mean(1, keepdims=True)) / (s.std() + 1e-9)


def scores_of(est) -> callable:
    """Linear scores of a fitted estimator (ComplementNB: its joint log-likelihoods)."""
    return est.predict_joint_log_proba if isinstance(est, ComplementNB) else est.decision_function


def softmax_t(s, t):
    z = s / t
    return np.exp(z - logsumexp(z, axis=1, keepdims=True))


def fit_t(s, y) -> float:
    grid = np.exp(np.linspace(np.log(0.02), np.log(50.0), 200))
    return float(min(grid, key=lambda t: -np.mean(np.log(softmax_t(s, t)[np.arange(len(y)), y] + 1e-12))))


def inner_oof(make, x, y, w=None) -> np.ndarray:
    """3-fold out-of-fold scores inside a training part (features as given: their vocabulary is the part's)."""
    out = np.zeros((len(y), len(topics.LABELS)))
    for a, b in StratifiedKFold(3, shuffle=True, random_state=1).split(x, y):
        est = make().fit(x[a], y[a], **({"sample_weight": w[a]} if w is not None else {}))
        out[b] = scores_of(est)(x[b])
    return out


def tune_bias(s, y) -> np.ndarray:
    """Per-class offsets added to the scores that maximise macro-F1 (coordinate ascent on a grid)."""
    bias = np.zeros(s.shape[1])
    spread = float(np.std(s))
    grid = np.linspace(-0.5, 0.5, 41) * spread
    best = f1_score(y, s.argmax(1), average="macro")
    for _ in range(3):
        for k in range(s.shape[1]):
            for d in grid:
                trial = bias.copy()
                trial[k] = d
                f = f1_score(y, (s + trial).argmax(1), average="macro")
                if f > best + 1e-9:
                    best, bias = f, trial
    return bias


def fit_model(cfg, x, y, w=None):
    """Return a scoring function x -> scores for the configured estimator (or 'avg' ensemble)."""
    if cfg.get("est") == "avg":
        parts = []
        for member, weight in cfg["members"]:
            mcfg = {**cfg, **member}
            make = lambda mcfg=mcfg: estimator(mcfg)  # noqa: E731
            t = fit_t(inner_oof(make, x, y, w), y)  # each member's scores on one scale: its own temperature
            est = make().fit(x, y, **({"sample_weight": w} if w is not None else {}))
            parts.append((scores_of(est), weight / t))
        score = lambda z: sum(f(z) * k for f, k in parts)  # noqa: E731
    else:
        est = estimator(cfg).fit(x, y, **({"sample_weight": w} if w is not None else {}))
        score = scores_of(est)
    if cfg.get("aux"):
        score = blend(cfg, x, y, w, score)
    if cfg.get("pairs"):
        score = pair_stage(cfg, x, y, w, score)
    if cfg.get("bias"):
        inner = {**cfg, "bias": False}
        oof = np.zeros((len(y), len(topics.LABELS)))
        for a, b in StratifiedKFold(3, shuffle=True, random_state=1).split(x, y):
            oof[b] = fit_model(inner, x[a], y[a], None if w is None else w[a])(x[b])
        offsets = tune_bias(oof, y)
        return lambda z: score(z) + offsets
    return score


def aux_scores(cfg, x, y) -> callable:
    """Nearest-centroid ('cen') or k-nearest-neighbour ('knn') cosine scores per class."""
    if cfg["aux"] == "cen":
        cen = normalize(np.vstack([np.asarray(x[y == k].mean(0)) for k in range(len(topics.LABELS))]))
        return lambda z: np.asarray(z @ cen.T)
    k, xn, onehot = cfg.get("k", 10), normalize(x), np.eye(len(topics.LABELS))[y]

    def knn(z):
        sim = np.asarray((normalize(z) @ xn.T).todense())
        top = np.argpartition(-sim, k, axis=1)[:, :k]
        rows = np.arange(len(sim))[:, None]
        return np.einsum("ij,ijk->ik", sim[rows, top], onehot[top]) / k

    return knn


def blend(cfg, x, y, w, score) -> callable:
    aux, lam = aux_scores(cfg, x, y), cfg.get("auxw", "tune")
    if lam == "tune":
        inner = {**cfg, "aux": None, "pairs": None, "bias": False}
        s, a = np.zeros((len(y), len(topics.LABELS))), np.zeros((len(y), len(topics.LABELS)))
        for i, j in StratifiedKFold(3, shuffle=True, random_state=1).split(x, y):
            s[j] = fit_model(inner, x[i], y[i], None if w is None else w[i])(x[j])
            a[j] = aux_scores(cfg, x[i], y[i])(x[j])
        ratio = np.std(s) / (np.std(a) + 1e-12)
        grid = [0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5]
        f1s = [f1_score(y, (s + g * ratio * a).argmax(1), average="macro") for g in grid]
        lam = grid[int(np.argmax(f1s))] * ratio
        print(f"  blend weight {lam:.3f} (relative {lam / ratio:.2f})", file=sys.stderr)
    return lambda z: score(z) + lam * aux(z)


def pair_stage(cfg, x, y, w, score) -> callable:
    """Second stage for confused pairs: a binary estimator on the pair's messages only decides between them."""
    stages = []
    for a, b in cfg["pairs"]:
        rows = np.where((y == a) | (y == b))[0]
        est = estimator({**cfg, "est": "svm" if cfg.get("est") in ("avg", None) else cfg["est"]})
        est.fit(x[rows], (y[rows] == b).astype(int), **({"sample_weight": w[rows]} if w is not None else {}))
        stages.append((a, b, scores_of(est)))

    def final(z):
        s = score(z)
        top2 = np.argsort(-s, axis=1)[:, :2]
        for a, b, f in stages:
            hit = np.where(((top2[:, 0] == a) & (top2[:, 1] == b)) | ((top2[:, 0] == b) & (top2[:, 1] == a)))[0]
            if len(hit):
                d = np.asarray(f(z[hit]))
                d = d[:, 1] - d[:, 0] if d.ndim == 2 else d
                hi, lo = s[hit].max(1), np.minimum(s[hit, a], s[hit, b])
                s[hit, b], s[hit, a] = np.where(d > 0, hi, lo), np.where(d > 0, lo, hi)
        return s

    return final


def features(cfg, tr, te, fit_rows=None):
    bl = blocks(cfg, tr, te, fit_rows)
    return sp.hstack([b[0] * b[2] for b in bl]).tocsr(), sp.hstack([b[1] * b[2] for b in bl]).tocsr()


def run(cfg: dict, grouped: bool) -> tuple[float, float]:
    seed = cfg.get("seed", 0)  # of the fold split only, to see how much a difference moves with the split
    folds, frac = cfg.get("folds", 5), cfg.get("frac", 1.0)
    splitter = (StratifiedGroupKFold(folds, shuffle=True, random_state=seed) if grouped
                else StratifiedKFold(folds, shuffle=True, random_state=seed))
    pred = np.zeros(len(Y), int)
    preds: dict[str, np.ndarray] = {}
    for tr, te in splitter.split(ROWS, Y, G):
        if frac < 1:  # the first round(frac × n) of each label's messages in a seeded order
            order = tr[np.random.default_rng(seed).permutation(len(tr))]
            tr = np.sort(np.concatenate([order[Y[order] == k][: round(frac * np.sum(Y[order] == k))]
                                         for k in np.unique(Y[tr])]))
        fit_rows = np.concatenate([tr, PI]) if cfg.get("unl") == "idf" else None
        bl = blocks(cfg, tr, te, fit_rows)
        xtr = sp.hstack([b[0] * b[2] for b in bl]).tocsr()
        xte = sp.hstack([b[1] * b[2] for b in bl]).tocsr()
        if "nbon" in cfg:  # NBSVM scales only these blocks' columns
            mask = np.concatenate([np.full(b[0].shape[1], i in cfg["nbon"]) for i, b in enumerate(bl)])
            cfg = {**cfg, "_nbmask": mask}
        if cfg.get("est") == "ens":
            parts = [(xtr, xte)] + [(b[0], b[1]) for b in bl[:2]]
            total = sum(zscore(LinearSVC(C=cfg.get("C", 1.0), random_state=0).fit(a, Y[tr]).decision_function(b))
                        for a, b in parts)
            pred[te] = np.asarray(total).argmax(1)
        elif cfg.get("st"):
            pred[te] = self_train(cfg, tr, te, fit_rows, xtr)
        elif cfg.get("noise"):
            pred[te] = denoise(cfg, xtr, Y[tr])(xte).argmax(1)
        elif cfg.get("stack"):
            pred[te] = stack(cfg, tr, te, fit_rows).argmax(1)
        elif cfg.get("nn"):
            for name, sc in nn_blend(cfg, xtr, Y[tr], xte, te).items():
                preds.setdefault(name, np.zeros(len(Y), int))[te] = sc.argmax(1)
        else:
            pred[te] = fit_model(cfg, xtr, Y[tr])(xte).argmax(1)
    if preds:
        return {name: (accuracy_score(Y, p), f1_score(Y, p, average="macro")) for name, p in preds.items()}
    return accuracy_score(Y, pred), f1_score(Y, pred, average="macro")


def noise_flags(nz: dict, p: np.ndarray, y: np.ndarray) -> np.ndarray:
    rows = np.arange(len(y))
    flag = p[rows, y] < nz.get("thr", 0.0)
    if nz.get("other"):
        other = p.copy()
        other[rows, y] = 0
        flag |= other.max(1) >= nz["other"]
    if nz.get("cl"):  # Northcutt et al. 2021: confident joint, per-label thresholds
        t = np.array([p[y == k, k].mean() for k in range(p.shape[1])])
        above = np.where(p >= t, p, -1.0)
        best = above.argmax(1)
        flag |= (above.max(1) >= 0) & (best != y)
    return flag


def denoise(cfg, x, y) -> callable:
    """Drop or down-weight training messages whose label the recipe's inner out-of-fold probabilities doubt."""
    nz, plain = cfg["noise"], {**cfg, "noise": None, "bias": False}
    key = ("noise", repr(sorted(plain.items())), hash(x.data.tobytes()), hash(y.tobytes()))
    if key not in _cache:  # the same fold's inner probabilities serve every noise rule
        s = inner_oof(lambda: estimator(plain), x, y)
        _cache[key] = softmax_t(s, fit_t(s, y))
    p = _cache[key]
    flag = noise_flags(nz, p, y)
    w = nz.get("w", 0.0)
    print(f"  fold: {flag.sum()} of {len(y)} flagged, by label {np.bincount(y[flag], minlength=p.shape[1]).tolist()}",
          file=sys.stderr)
    rest = {**cfg, "noise": None}
    if w == 0:
        return fit_model(rest, x[~flag], y[~flag])
    return fit_model({**rest, "nbsw": True}, x, y, np.where(flag, w, 1.0))


def stack(cfg, tr, te, fit_rows) -> np.ndarray:
    """Members' inner out-of-fold scores -> multinomial LogisticRegression; returns the test part's scores."""
    y = Y[tr]
    oof, test = [], []
    for member in cfg["stack"]:
        mcfg = {**cfg, "stack": None, "bias": False, "mC": None, "mcw": None, "mbias": None, **member}
        key = ("stack", repr(sorted(mcfg.items())), tr.tobytes(), te.tobytes())
        if key not in _cache:  # members' scores are shared by variants that differ in the meta-learner only
            xa, xb = features(mcfg, tr, te, fit_rows)
            make = lambda mcfg=mcfg: estimator(mcfg)  # noqa: E731
            _cache[key] = inner_oof(make, xa, y), scores_of(make().fit(xa, y))(xb)
        oof.append(_cache[key][0])
        test.append(_cache[key][1])
    oof, test = np.hstack(oof), np.hstack(test)
    mu, sd = oof.mean(0), oof.std(0) + 1e-9
    oof, test = (oof - mu) / sd, (test - mu) / sd
    meta = lambda: LogisticRegression(C=cfg.get("mC", 1.0), max_iter=3000, class_weight=cfg.get("mcw"))  # noqa: E731
    offsets = 0
    if cfg.get("mbias"):
        s = np.zeros((len(y), len(topics.LABELS)))
        for a, b in StratifiedKFold(3, shuffle=True, random_state=2).split(oof, y):
            s[b] = meta().fit(oof[a], y[a]).decision_function(oof[b])
        offsets = tune_bias(s, y)
    return meta().fit(oof, y).decision_function(test) + offsets


def self_train(cfg, tr, te, fit_rows, xtr) -> np.ndarray:
    """Pseudo-label the pool with the fold's model (trained on the fold's training part only), refit on both."""
    labels, weight = Y[tr], np.ones(len(tr))
    score = fit_model(cfg, xtr, labels)
    for _ in range(cfg.get("sr", 1)):
        rows = np.concatenate([tr, PI])
        x_all, _ = features(cfg, rows, te, fit_rows if fit_rows is not None else tr)
        probs = softmax_t(score(x_all[len(tr):]), 0.25)
        confident = probs.max(1) >= cfg["st"]
        chosen = rows[len(tr):][confident]
        both = np.concatenate([tr, chosen])
        x_both, x_te = features(cfg, both, te, fit_rows if fit_rows is not None else both)
        labels = np.concatenate([Y[tr], probs[confident].argmax(1)])
        weight = np.concatenate([np.ones(len(tr)), np.full(len(chosen), cfg.get("sw", 1.0))])
        score = fit_model(cfg, x_both, labels, weight)
        xtr = x_both[: len(tr)]
    print(f"  fold: {len(chosen)} pseudo-labelled", file=sys.stderr)
    return score(x_te).argmax(1)


if __name__ == "__main__":
    for variant in ast.literal_eval(sys.argv[1] if len(sys.argv) > 1 else "[{}]"):
        start = time.time()
        cvs = [g for g in (False, True) if variant.get("cv", "both") in ("both", "grouped" if g else "strat")]
        res = {("grouped" if g else "strat"): run(variant, g) for g in cvs}
        if variant.get("nn"):  # one line per model: baseline, MLP alone, blend
            for name in ("base", "mlp", "blend"):
                cells = "  ".join(f"{cv} {r[name][0]:.4f}/{r[name][1]:.4f}" for cv, r in res.items())
                print(f"{variant} [{name}]  {cells}  {time.time() - start:.0f}s", flush=True)
        else:
            cells = "  ".join(f"{cv} {a:.4f}/{f:.4f}" for cv, (a, f) in res.items())
            print(f"{variant}  {cells}  {time.time() - start:.0f}s", flush=True)
