"""Sentiment on the review/post corpora as `responder classify` reports it, out of fold.

    PYTHONPATH=. python bench/sentiment_pipeline.py [DATA_DIR] [ESTIMATOR]

train_sentiment's folds and estimator (default: the shipped one) give each text an out-of-fold margin;
`train_sentiment.pipeline_scores` turns it into the score `classify` prints (the shipped Platt calibration, then
the rule layer and register model, as for a message). Per corpus, accuracy against the corpus label (1 positive,
0 negative) read five ways:
- model: the model alone, margin > 0 (what train_sentiment reports);
- score: the score > 0.5;
- label+: sentiment_label "positive" means 1, negative or neutral 0;
- label-: sentiment_label "negative" means 0, positive or neutral 1;
- strict: a neutral label is wrong either way;
and the share of texts labelled neutral. About a minute on 2 cores.

2026-11-22, nbsvm_c0.1; rule layer of sentiment-linear-2 -> sentiment-linear-3 (a question outside government
text neutral only near 0.5, the review model's lean sharpened (k 8) where a text has no civic word, praise cues
never turning the model's lean, "不满意" no praise):
    waimai  model 0.9019  score 0.9007 -> 0.9014  label+ 0.8881 -> 0.9019  label- 0.8765 -> 0.9007  strict -> 0.8947
    weibo   model 0.9682  score 0.9677 -> 0.9677  label+ 0.9365 -> 0.9646  label- 0.9583 -> 0.9693  strict -> 0.9630
    hotel   model 0.8913  score 0.8899 -> 0.8910  label+ 0.8611 -> 0.8826  label- 0.8701 -> 0.8904  strict -> 0.8696
    neutral share: waimai 0.112 -> 0.013, weibo 0.073 -> 0.008, hotel 0.145 -> 0.034
Then sentiment-linear-4, the same rules over a blend (twice NBSVM + a linear SVM, train_sentiment.Blend):
    waimai  model 0.9034  score 0.9040  label+ 0.9026  label- 0.9029  strict 0.8961  neutral 0.013
    weibo   model 0.9667  score 0.9656  label+ 0.9625  label- 0.9635  strict 0.9578  neutral 0.010
    hotel   model 0.8949  score 0.8949  label+ 0.8854  label- 0.8946  strict 0.8746  neutral 0.031
"""

from __future__ import annotations

import sys

import numpy as np

from responder.analysis import sentiment
from responder.analysis import train_sentiment as ts


def readings(corpus: ts.Corpus, margin: np.ndarray, scores: np.ndarray) -> dict[str, np.ndarray]:
    """Each reading's 0/1 answer per text (see the module docstring); 'strict' is -1 where the label is neutral."""
    labels = np.array([sentiment.label(s) for s in scores])
    return {
        "model": (margin > 0).astype(int),
        "score": (scores > 0.5).astype(int),
        "label+": (labels == "positive").astype(int),
        "label-": (labels != "negative").astype(int),
        "strict": np.select([labels == "positive", labels == "negative"], [1, 0], -1),
    }


def main(data_dir=None, estimator: str | None = None):
    corpus = ts.read_corpora(data_dir or ts.default_data_dir())
    name = estimator or ts.shipped_estimator()
    oof = ts.cross_validate(corpus, name, ts.splits(corpus))["oof"]
    scores = ts.pipeline_scores(corpus, np.arange(len(oof)), oof)
    answers = readings(corpus, oof, scores)
    print(f"estimator {name}, {sentiment.SENTIMENT_VERSION}, out of fold")
    print(f"{'corpus':8s} " + " ".join(f"{r:>7s}" for r in answers) + "  neutral")
    for k, corpus_name in enumerate(ts.CORPORA):
        rows = corpus.source == k
        figures = [float(np.mean(a[rows] == corpus.labels[rows])) for a in answers.values()]
        neutral = float(np.mean(answers["strict"][rows] == -1))
        print(f"{corpus_name:8s} " + " ".join(f"{f:7.4f}" for f in figures) + f"  {neutral:7.4f}")


if __name__ == "__main__":
    main(*sys.argv[1:])
