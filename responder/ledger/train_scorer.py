"""Train the commitment scorer (scorer.py) from hand-labelled replies, and say how well it does.

    python -m responder.ledger.train_scorer LABELS.jsonl [LABELS.jsonl …] [--data DIR] [--out PATH]
        [--precision 0.8] [--folds 5]

Each label file is in the form labels.py reads (bench/labels/ holds the project's, as character spans);
the replies come from DIR/messages_with_replies.csv (default: RESPONDER_SHARED_DATA, else ../shared/data).
Every reply is cut into units the way the extractor cuts it (extract.units); a unit is a positive when it
matches a labelled commitment as the bench matches them (labels.match). A logistic regression (balanced
class weights) is fitted over the named features and character n-grams; out-of-fold confidences from
cross-validation grouped by reply choose the offer threshold: the one with the best recall whose
precision is at least --precision. Writes the model (gzipped JSON) and a model card beside it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from responder import fitting
from responder.ledger.confidence import RULE_THRESHOLD
from responder.ledger.extract import units
from responder.ledger.labels import LabelError, match, read_labels, read_replies, resolve
from responder.ledger.scorer import MODEL_PATH, char_grams
from responder.workflow.calendar import WorkCalendar

VERSION = "commitments-logistic-1"
NAMED_SCALE = 0.5  # the named block against the l2-normalised character block (0.5 beat 1 and 2 in CV)
C = 1.0
DEFAULT_DATA = Path(os.environ.get("RESPONDER_SHARED_DATA") or Path.cwd().parent / "shared" / "data")


@dataclass
class Examples:
    """Every unit of the labelled replies, whether it is a commitment, and its fold group."""

    units: list
    positive: np.ndarray
    groups: np.ndarray
    labelled: int  # commitments labelled
    replies: int


def examples(label_files: list[Path], data: Path) -> Examples:
    """The units of every labelled reply, a unit positive when it matches a labelled commitment. With three
    or more label files each file is a group (one labeller's set: a fold is scored by a model that never
    saw its labeller, as a deployment's own labels will be); else each reply is."""
    replies = read_replies(data)
    calendar = WorkCalendar()
    found, positive, group, labelled, reply_count = [], [], [], 0, 0
    for path in label_files:
        records = read_labels(path)
        resolve(records, replies)
        for record in records:
            text, replied = replies[str(record["id"])]
            reply_units = units(text, replied, calendar)
            pairs = match([{"text": u.candidate.text} for u in reply_units], record["commitments"])
            hits = {i for i, _ in pairs}
            found += reply_units
            positive += [i in hits for i in range(len(reply_units))]
            group += [str(path) if len(label_files) >= 3 else str(record["id"])] * len(reply_units)
            labelled += len(record["commitments"])
            reply_count += 1
    keys = {k: n for n, k in enumerate(dict.fromkeys(group))}
    return Examples(found, np.array(positive, dtype=int), np.array([keys[k] for k in group]), labelled, reply_count)


class Fitted:
    """The vectorisers and the regression of one fit."""

    def __init__(self, train: list, y: np.ndarray) -> None:
        self.named = CountVectorizer(analyzer=lambda u: u.features, min_df=2, lowercase=False)
        self.chars = CountVectorizer(analyzer=char_grams, min_df=2, lowercase=False)
        self.idf = TfidfTransformer(sublinear_tf=True)
        self.model = fitting.fit(LogisticRegression(C=C, class_weight="balanced", max_iter=5000),
                                 self.matrix(train, fit=True), y)

    def matrix(self, batch: list, fit: bool = False):
        named = (self.named.fit_transform if fit else self.named.transform)(batch).astype(float)
        named.data = (1 + np.log(named.data)) * NAMED_SCALE
        counts = (self.chars.fit_transform if fit else self.chars.transform)([u.sentence for u in batch])
        grams = (self.idf.fit_transform if fit else self.idf.transform)(counts)
        return sparse.hstack([named, grams]).tocsr()

    def probabilities(self, batch: list) -> np.ndarray:
        return np.round(self.model.predict_proba(self.matrix(batch))[:, 1], 2)


def out_of_fold(found: list, y: np.ndarray, groups: np.ndarray, folds: int) -> np.ndarray:
    scores = np.zeros(len(y))
    for train, test in GroupKFold(folds).split(found, y, groups):
        fitted = Fitted([found[i] for i in train], y[train])
        scores[test] = fitted.probabilities([found[i] for i in test])
    return scores


def at(threshold: float, scores: np.ndarray, y: np.ndarray, labelled: int) -> dict:
    chosen = scores >= threshold
    hits = int(y[chosen].sum())
    return {"threshold": threshold, "offered": int(chosen.sum()), "matched": hits,
            "precision": round(hits / chosen.sum(), 4) if chosen.any() else None,
            "recall": round(hits / labelled, 4) if labelled else None}


def choose_threshold(scores: np.ndarray, y: np.ndarray, labelled: int, precision: float) -> dict:
    """The threshold with the best recall among those whose out-of-fold precision reaches `precision`
    (the most precise one when none does)."""
    rows = [at(t, scores, y, labelled) for t in np.round(np.arange(0.30, 0.96, 0.01), 2)]
    rows = [r for r in rows if r["precision"] is not None]
    good = [r for r in rows if r["precision"] >= precision]
    return max(good, key=lambda r: (r["recall"], r["precision"])) if good else max(rows, key=lambda r: r["precision"])


def export(fitted: Fitted, threshold: float, report: dict) -> dict:
    weights = fitted.model.coef_[0]
    names = fitted.named.get_feature_names_out()
    grams = fitted.chars.get_feature_names_out()
    split = len(names)
    return {"version": VERSION, "threshold": float(threshold), "intercept": float(fitted.model.intercept_[0]),
            "named_scale": NAMED_SCALE,
            "named": {n: round(float(w), 5) for n, w in zip(names, weights[:split], strict=True) if abs(w) > 1e-6},
            "chars": {g: [round(float(idf), 5), round(float(w), 5)]
                      for g, idf, w in zip(grams, fitted.idf.idf_, weights[split:], strict=True) if abs(w) > 1e-6},
            "report": report}


def card(model: dict, files: list[Path]) -> str:
    r = model["report"]
    lines = [f"# Commitment scorer — {model['version']}", "",
             "- **What**: the probability that one sentence of an official reply is a commitment (承诺); offered "
             f"for confirmation when ≥ {model['threshold']:.2f}.",
             f"- **Trained on**: {r['replies']} replies of `messages_with_replies.csv` labelled by hand "
             f"({r['labelled']} commitments, {r['units']} sentences): " + ", ".join(f"`{p.name}`" for p in files)
             + ". The label files hold character spans only; the guide is in their comment lines.",
             "- **Method**: logistic regression (balanced class weights, C = 1) over named features (cue rules and "
             "their score, cue and blocker patterns of cues.py, every clause's cue whatever governs it, plans "
             "adopted, decisions and conditions, who acts, a deadline, words and word pairs, place in the reply) "
             "and character 1-3-grams (sublinear TF-IDF).",
             f"- **Chosen threshold**: best recall with out-of-fold precision ≥ {r['precision_target']} "
             f"({r['folds']}-fold CV grouped by {r['grouped_by']}: each fold is scored by a model that never saw "
             "it).", "",
             "| threshold | offered | precision | recall |", "|---|---|---|---|"]
    for row in r["curve"]:
        lines.append(f"| {row['threshold']:.2f} | {row['offered']} | {row['precision']} | {row['recall']} |")
    lines += ["", f"Rules alone (their own threshold 0.7) on the same units: precision {r['rules']['precision']}, "
              f"recall {r['rules']['recall']}.", "",
              f"- **Trained**: {date.today().isoformat()}. Retrain: `python -m responder.ledger.train_scorer "
              "bench/labels/commitments-2026-11-[a-e].jsonl bench/labels/commitments-2026-11-[g-i].jsonl` (retrain "
              "whenever cues.py changes: its patterns are features). f and j are held out: score them with "
              "`bench/commitments_eval.py`."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("labels", type=Path, nargs="+")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding messages_with_replies.csv")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--precision", type=float, default=0.8, help="out-of-fold precision the threshold keeps")
    parser.add_argument("--folds", type=int, default=5, help="at most this many folds (one per label file)")
    args = parser.parse_args(argv)
    if not (args.data / "messages_with_replies.csv").is_file():
        parser.error(f"--data: no messages_with_replies.csv in {args.data}")
    try:
        seen = examples(args.labels, args.data)
    except (LabelError, OSError) as exc:
        parser.error(str(exc))
    found, y, labelled = seen.units, seen.positive, seen.labelled
    folds = min(args.folds, int(seen.groups.max()) + 1)
    scores = out_of_fold(found, y, seen.groups, folds)
    chosen = choose_threshold(scores, y, labelled, args.precision)
    rules = np.array([(u.candidate.rule_confidence or 0) >= RULE_THRESHOLD for u in found], dtype=float)
    report = {"replies": seen.replies, "units": len(found), "labelled": labelled, "folds": folds,
              "grouped_by": "label file" if len(args.labels) >= 3 else "reply",
              "precision_target": args.precision, "chosen": chosen, "rules": at(1.0, rules, y, labelled),
              "curve": [at(t, scores, y, labelled) for t in (0.5, 0.6, chosen["threshold"], 0.7, 0.8, 0.9)]}
    model = export(Fitted(found, y), chosen["threshold"], report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8") as handle:
        json.dump(model, handle, ensure_ascii=False, separators=(",", ":"))
    args.out.with_name(args.out.name.removesuffix(".json.gz") + ".md").write_text(card(model, args.labels),
                                                                                   encoding="utf-8")
    json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main()
