"""How likely one sentence of an official reply is a commitment: a logistic model over explainable features.

The cue rules (extract.py, cues.py) read a sentence the way a careful reader would, but each batch of real
replies brings promises they do not cover (conditional ones, orders the office will see through, plans
told as facts) and sentences that look like promises and are not. Hand-labelled replies settle which is
which, so a logistic model learns how much each reading counts: the named features below (which cue
fired and the rules' own score, which cue and blocker patterns occur, who acts, a deadline, the sentence's
words and word pairs, its place in the reply, a few readings the rules leave out on purpose) and the
sentence's character 1-3-grams. It stays
explainable: `explain` lists the features that moved a sentence most.

The model file is gzipped JSON written by `responder.ledger.train_scorer`; inference is plain Python over
dicts, loaded once per process.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from responder.ledger import cues

MODEL_PATH = Path(__file__).parent / "data" / "commitment_model.json.gz"
# Every compiled pattern of cues.py, by name, plus the cue list by index: a sentence's hits are features.
PATTERNS = tuple(sorted((name, value) for name, value in vars(cues).items()
                        if name.isupper() and isinstance(value, re.Pattern))) \
    + tuple((f"CUE{i}", pattern) for i, pattern in enumerate(cues.CUE_RE))
# Readings the cue rules leave out on purpose but labellers weigh: a plan adopted (列入2018年建设计划), a
# decision (决定…), a promise under a condition (如发现…，将…), an order with a deadline for its result.
EXTRA = (("ADOPTED", re.compile(r"(?:纳入|列入|列为|作为)[^。；]{0,30}(?:计划|规划|项目|任务)"
                                r"|\d{4}年(?:建设|工作)?任务")),
         ("DECIDED", re.compile(r"决定|研究同意|明确")),
         ("IF_THEN", re.compile(r"(?:如|若|一旦|如果|凡)[^。；]{1,40}[，,][^。；]{0,12}(?:将|会|必将|一定)")),
         ("ORDER_DUE", re.compile(r"(?:要求|责令|责成|督促|限)[^。；]{0,40}(?:前|内|之前)[^。；]{0,6}"
                                  r"(?:完成|整改|到位|办结)")),
         ("ONGOING", re.compile(r"正在|正[^。；]{0,6}中|之中|当中")),
         ("PAST", re.compile(r"已经?|了(?!解)|曾")))
RULE_SCORES = (0.0, 0.5, 0.6, 0.7, 0.9)
NOT_A_WORD = re.compile(r"[\W\d_]+")


def features(sentence: str, previous: str, words: tuple[str, ...], position: int, count: int, cue: str,
             any_cues: frozenset[str], signals: frozenset[str], rule_confidence: float | None) -> tuple[str, ...]:
    """The named features of a sentence: `previous` is the one before it, `words` its tokens, `cue` the rules'
    cue (empty when they found none), `any_cues` every clause's cue whatever governs it."""
    found = [f"P:{name}" for name, pattern in PATTERNS if pattern.search(sentence)]
    found += [f"X:{name}" for name, pattern in EXTRA if pattern.search(sentence)]
    found.append(f"cue={cue or 'none'}")
    found += [f"raw:{c}" for c in sorted(any_cues)]
    found += sorted(f"S:{s}" for s in signals)
    if rule_confidence is not None:
        found += [f"rule>={v}" for v in RULE_SCORES if rule_confidence >= v]
    if re.search(r"下一步|下阶段|今后", previous):
        found.append("after:next_step")
    if re.search(r"[：:]\s*$", previous):
        found.append("after:colon")
    if position == 0:
        found.append("first")
    if position == count - 1:
        found.append("last")
    found.append(f"length:{min(len(sentence) // 40, 5)}")
    kept = [w for w in words if w.strip() and not NOT_A_WORD.fullmatch(w)]
    found += [f"W:{w}" for w in kept]
    found += [f"B:{a}_{b}" for a, b in zip(kept, kept[1:], strict=False)]
    return tuple(found)


def char_grams(sentence: str) -> list[str]:
    """Character 1-3-grams of the sentence, lower-cased, whitespace folded."""
    text = re.sub(r"\s+", " ", sentence.lower())
    return [text[i:i + n] for n in (1, 2, 3) for i in range(len(text) - n + 1)]


@dataclass(frozen=True)
class CommitmentModel:
    """Weights of the named features (value 1 + ln count, times `named_scale`) and of the character
    n-grams (sublinear TF-IDF, l2-normalised), an intercept, and the offer threshold chosen in training."""

    version: str
    threshold: float
    intercept: float
    named_scale: float
    named: dict[str, float]
    chars: dict[str, tuple[float, float]]  # gram -> (idf, weight)

    def _terms(self, named: tuple[str, ...], sentence: str) -> list[tuple[str, float]]:
        terms = [(name, (1 + math.log(n)) * self.named_scale * self.named[name])
                 for name, n in Counter(named).items() if name in self.named]
        grams = [(g, (1 + math.log(n)) * self.chars[g][0]) for g, n in Counter(char_grams(sentence)).items()
                 if g in self.chars]
        norm = math.sqrt(sum(v * v for _, v in grams)) or 1.0
        return terms + [(f"C:{g}", v / norm * self.chars[g][1]) for g, v in grams]

    def probability(self, named: tuple[str, ...], sentence: str) -> float:
        """The model's confidence that the sentence is a commitment, 0-1, to two decimals."""
        z = self.intercept + sum(v for _, v in self._terms(named, sentence))
        return round(1 / (1 + math.exp(-max(-30.0, min(30.0, z)))), 2)

    def explain(self, named: tuple[str, ...], sentence: str, top: int = 5) -> list[tuple[str, float]]:
        """The features that moved this sentence's score most, strongest first (positive: towards a promise)."""
        return sorted(self._terms(named, sentence), key=lambda t: -abs(t[1]))[:top]


def read(path: Path) -> CommitmentModel:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        raw = json.load(handle)
    return CommitmentModel(raw["version"], raw["threshold"], raw["intercept"], raw["named_scale"], raw["named"],
                           {g: (idf, w) for g, (idf, w) in raw["chars"].items()})


@cache
def load() -> CommitmentModel:
    """The shipped model, read once per process."""
    return read(MODEL_PATH)
