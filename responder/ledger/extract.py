"""Commitments (承诺) in an official reply: the sentences that promise future action, with their deadlines.

Two layers. Cue rules read each sentence (official replies are formulaic: 下一步将…, 计划于…前完成, X月底前,
N个工作日内, 将于…, 拟…, 年内完成): a sentence is a rule candidate when a future cue governs it and no blocker
(a pleasantry, a negated plan, an instruction to the citizen, the "现将…答复如下" formula) does; after a cue
sentence that opens a list (…：一是…；二是…), each list item is one too, and so is each clause after a 下一步
sentence's semicolon. What follows a condition (如有进展，…), hearsay (据了解) or a trend (随着…，X将…) is no
undertaking to the rules, nor is what a private party (开发商, 物业) says it will do. Patterns live in cues.py.
Then a model trained on hand-labelled replies (scorer.py) weighs every sentence, the rules' reading among
its features, and `extract` offers what it is confident of. The deadline is the last future date the
sentence names (see deadlines.py); relative ones (N个工作日内) count from the reply date.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache

from responder.ledger import scorer
from responder.ledger.confidence import CUE_NAMES, RULE_THRESHOLD, confidence, signals
from responder.ledger.cues import (
    ACTOR,
    ADVERBS,
    ADVICE,
    AHEAD,
    AHEAD_TIME,
    BA,
    CLASS_RULE,
    CONDITION,
    CONSIDER,
    CUE_RE,
    DEADLINE_ONLY,
    DOCUMENT,
    DONE,
    EFFECT,
    FINDING,
    FORECAST,
    FUTURE_JIANG,
    FUTURE_MARK,
    HABIT,
    HEARSAY,
    ITEM,
    ITEM_FIRST,
    ITEM_INSIDE,
    KIND_OF_CASE,
    LEAD,
    LOOKS_AHEAD,
    MAX_TEXT,
    NEGATED,
    NEXT_STEP,
    NOT_A_PROMISE,
    NUMBERED,
    OBJECT_START,
    OFFICE,
    OFFICE_ACTS,
    OPENS_LIST,
    ORDER,
    PAST,
    PLAN,
    PLANNED,
    PLATITUDE,
    PLEASANTRY,
    PRIVATE,
    PROGRESS,
    PUBLIC_SERVICE,
    QUOTED,
    RULE,
    SECTION,
    SELF_COMPANY,
    SENTENCE_END,
    SOON,
    SPEAKS_AGAIN,
    SPEAKS_INSIDE,
    THEIR_WORDS,
    TO_CITIZEN,
    TOLD_DONE,
    TREND,
    UNIT_END,
)
from responder.ledger.deadlines import set_by
from responder.workflow.calendar import WorkCalendar


@dataclass(frozen=True)
class Candidate:
    """One sentence that may be a promise: its text, where it is in the reply, its deadline and how sure we are."""

    text: str
    due_date: date | None
    start: int
    end: int
    cue: str = ""  # the rule cue that fired ("" when none did)
    signals: frozenset[str] = field(default=frozenset())
    confidence: float = 1.0  # the model's, once scored (see `extract`); the rules' own before
    rule_confidence: float | None = None  # the rules' table score (confidence.py); None when no cue fired

    def as_dict(self) -> dict:
        return {"text": self.text, "due_date": self.due_date.isoformat() if self.due_date else None,
                "confidence": self.confidence}


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: split at 。！？；, line ends, and before a list after a colon."""
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.start()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip(" \t\r\n，,。；;")]


def _blank_quotes(text: str) -> str:
    """The citizen's words quoted in the reply are not the office's promises: blank them, keeping offsets."""
    return QUOTED.sub(lambda m: "“" + "　" * (len(m.group()) - 2) + "”", text)


def _clauses(sentence: str) -> list[str]:
    return [c for c in re.split(r"(?<=[，,：:])", sentence) if c.strip()]


@cache
def _tagger():
    """A private part-of-speech tagger (other modules' user words never change what it sees), built once."""
    import jieba
    import jieba.posseg

    logging.getLogger("jieba").setLevel(logging.WARNING)  # silence "Building prefix dict…"
    return jieba.posseg.POSTokenizer(jieba.Tokenizer())


def _future_jiang(clause: str) -> bool:
    """Whether some 将 in the clause marks the future (将于, 将加强, 将进一步) rather than an object (将该路…)."""
    tokens = [(w, f) for w, f in _tagger().lcut(clause)]
    for i, (word, _) in enumerate(tokens):
        if word in ("将会", "将要", "即将", "也将", "还将", "均将", "亦将", "都将", "将就"):
            return True
        if len(word) == 2 and word.endswith("将") and word[0] in UNIT_END:
            word = "将"  # the tagger glues 将 to a unit's last character (接转部将, 分局将)
        if word == "将" and i and (tokens[i - 1][0] in AHEAD_TIME or tokens[i - 1][0].startswith("我")):
            return True  # a time word or the office before 将 (近期将通电, 我局将统筹安排) makes it the future
        if word == "将" and i + 1 < len(tokens):
            following, flag = tokens[i + 1]
            if (flag[:1] in ("v", "d", "p", "a", "i", "c", "l") or following.startswith(ADVERBS)) \
                    and not following.startswith(OBJECT_START) and not _object_follows(tokens[i + 1:]):
                return True
    return False


def _voices(clauses: list[str]):
    """Each clause with whether a trend governs it (随着…) and whether it is not the office's own undertaking.

    What follows 建议, 希望, 据…了解 or 此类… is advice, a wish, hearsay or a rule for a kind of case, until
    the office speaks of itself again (…，我们将…); what follows a condition (如有进展，…; 建议您举报，我们将…)
    stays conditional; a private party (开发商…) named without the office acting goes on being the subject.
    """
    previous, advice, conditional, to_citizen, trend, private = "", False, False, False, False, False
    for clause in clauses:
        to_citizen = to_citizen or bool(TO_CITIZEN.search(clause))
        conditional = conditional or bool(CONDITION.match(clause) or to_citizen and (SPEAKS_AGAIN.match(clause)
                                                                                     or ACTOR.match(clause)))
        advice = bool(ADVICE.search(clause) or HEARSAY.match(clause) or KIND_OF_CASE.match(clause)) \
            or advice and not SPEAKS_AGAIN.match(clause)
        trend = bool(TREND.match(clause)) or trend and not (SPEAKS_AGAIN.match(clause) or ACTOR.match(clause))
        private = _private(clause) or private and not (
            SPEAKS_AGAIN.match(clause) or OFFICE.search(PRIVATE.sub("", clause)))
        after_rule = bool(RULE.search(previous)) and clause.lstrip().startswith("将")
        # weighing the citizen's suggestion may span a comma (对于您的意见和建议，我局将充分论证研究)
        consider = bool(CONSIDER.search(clause) or CONSIDER.search(previous + clause))
        previous = clause
        yield clause, trend, advice or conditional or private or after_rule or consider


def _led_in(clauses: list[str]) -> list[str]:
    """Clauses with each bare lead-in ("下一步，") joined to the clause it leads into."""
    joined: list[str] = []
    for clause in clauses:
        if joined and LEAD.match(joined[-1]):
            joined[-1] += clause
        else:
            joined.append(clause)
    return joined


def _object_follows(tokens: list) -> bool:
    """A 的 before the first verb after 将 makes what follows its object (将最急需的道路进行立项), as 把 would."""
    for word, flag in tokens:
        if flag in ("v", "p") or word.startswith(ADVERBS):  # 将对…的, 将加大…的: the future, before a verb
            return False
        if word == "的":
            return True
    return False


def _private(clause: str) -> bool:
    """Whether a private party (开发商, 物业, a company not giving a public service) is the one who will act."""
    clause = re.sub(r"^\s*待[^，,。]{1,40}后", "", clause)  # 待开发商建成后，我们… : who acts comes after 后
    cue = re.search(r"将|会|承诺|表示|拟|计划|争取", clause)
    subject = PUBLIC_SERVICE.sub("", SELF_COMPANY.sub("", clause[:cue.start()] if cue else clause))
    party = PRIVATE.search(subject)
    before = subject[:party.start()] if party else ""  # the office acting on the party (督促物业…) names it first
    return bool(party) and not OFFICE_ACTS.search(before) and not OFFICE.search(before)


def _cue(clause: str, next_step: bool = False) -> int | None:
    """The first cue in the clause; after 下一步/今后, 将 before an object (将该路段纳入…) is future too."""
    for number, pattern in enumerate(CUE_RE):
        if not pattern.search(clause):
            continue
        if number == FUTURE_JIANG and (DONE.search(clause) or not (next_step or _future_jiang(clause))):
            continue  # 将 + 了 (将原因进行了说明) tells what was done
        if number in LOOKS_AHEAD and TOLD_DONE.search(clause[pattern.search(clause).end():]):
            continue  # 争取下达了…, 计划…了: the plan is told as carried out
        return number
    return None


def _is_promise(sentence: str, future_dates: int, past_dates: int = 0) -> bool:
    return _promise_cue(sentence, future_dates, past_dates) is not None


def _promise_cue(sentence: str, future_dates: int, past_dates: int = 0) -> tuple[int, str] | None:
    """(cue index into CUES, clause) of the first clause that promises: not a pleasantry, not negated, and (for
    a mere verb) dated in the future; None when no clause does."""
    if DOCUMENT.search(sentence):
        return None
    next_step = bool(NEXT_STEP.search(sentence))
    # book titles (《…实施办法》) hold no cue; "待…后，再…" is one cue across the comma
    analysed = re.sub(r"(待[^，,。]{1,40}后)[，,]", r"\1", re.sub(r"《[^》]*》", "《》", sentence))
    for clause, trend, governed in _voices(_led_in(_clauses(analysed))):
        if governed or PLEASANTRY.search(clause) or PLATITUDE.search(clause) or EFFECT.search(clause) \
                or THEIR_WORDS.match(clause) and not SPEAKS_INSIDE.search(clause) \
                or FORECAST.search(clause) or CLASS_RULE.search(clause) \
                or BA.search(clause) and not FUTURE_MARK.search(sentence):
            continue
        cue = _cue(clause, next_step)
        if cue is None:
            continue
        if cue == 2 and HABIT.search(sentence) or _progress(clause, sentence, future_dates):
            continue
        if cue == SOON and ORDER.search(clause):
            continue  # 要求该公司尽快办理: an order given, the doing is theirs
        if cue == SOON and ("立即" in clause or TOLD_DONE.search(sentence)) \
                and not re.search(r"将|下一步|今后", clause):
            continue  # 立即组织…及时开展调查…进行了核实: what was done at once, told as a story
        if trend and cue in (FUTURE_JIANG, 2):
            continue  # 随着…，X将… tells how things will go; 随着…，拟… is still a plan
        if cue == DEADLINE_ONLY and (PAST.search(clause) or TOLD_DONE.search(clause) or NEGATED.search(sentence)):
            continue  # a bare completion verb told as done (已…, …了, 截至…) or denied
        if NEGATED.search(clause) and (cue == DEADLINE_ONLY or not re.search(r"将|下一步|今后", clause)):
            continue
        dated_past = past_dates and not future_dates
        if NOT_A_PROMISE.search(clause) or (cue >= 3 or not AHEAD.search(sentence)) and dated_past \
                or cue == DEADLINE_ONLY and ORDER.search(sentence):
            continue  # a rule, a habit, or a plan whose dates have all passed
        # "已完成招标，待征拆到位后…" is still a plan; other cues beside a story need a date
        told = clause if cue == PLAN and "待" in clause else sentence
        # 经核实，…拟建设…: 拟 is official wording, the office's plan among the findings (others' plans use 计划)
        told_done = PAST.search(FINDING.sub("", told) if cue == PLANNED else told)
        if cue == DEADLINE_ONLY or cue >= 3 and told_done and not re.search(r"将|下一步|今后", clause):
            if future_dates:
                return cue, clause
            continue
        return cue, clause
    return None


def _progress(clause: str, sentence: str, future_dates: int) -> bool:
    """Work about to happen (即将完工, 正在评审，即将招投标), undated and not by the office: a progress report."""
    if "即将" not in clause or future_dates:
        return False
    return bool(PROGRESS.search(sentence)) or not re.search(r"我|本(?:局|委|办|单位)", clause)


def _clean(sentence: str) -> str:
    text = ITEM.sub("", sentence).strip(" \t\r\n，,；;。：:")
    kept = [c for c in _clauses(text) if not PLEASANTRY.search(c)] or [text]
    text = "".join(kept).strip(" ，,")
    return text[:MAX_TEXT]


def extract(text: str, replied_at: date | datetime | None = None, calendar: WorkCalendar | None = None,
            min_confidence: float | None = None) -> list[Candidate]:
    """The commitments a reply offers, in order; deadlines relative to `replied_at` when given.

    Every sentence is scored by the trained model (scorer.py) and offered when its confidence reaches
    `min_confidence`, by default the model's own threshold (0 returns every sentence).
    """
    model = scorer.load()
    threshold = model.threshold if min_confidence is None else min_confidence
    return [c for c in scored(text, replied_at, calendar, model) if c.confidence >= threshold]


@dataclass(frozen=True)
class Unit:
    """One sentence as the scorer sees it: the candidate it would be, and its named features."""

    candidate: Candidate
    sentence: str  # the reply's sentence with quoted words blanked, as the rules read it
    features: tuple[str, ...]


def scored(text: str, replied_at: date | datetime | None = None, calendar: WorkCalendar | None = None,
           model: scorer.CommitmentModel | None = None) -> list[Candidate]:
    """Every unit of the reply (see `units`) with the model's confidence in it."""
    model = model or scorer.load()
    return [replace(u.candidate, confidence=model.probability(u.features, u.sentence))
            for u in units(text, replied_at, calendar)]


def units(text: str, replied_at: date | datetime | None = None,
          calendar: WorkCalendar | None = None) -> list[Unit]:
    """Each sentence of the reply, once: the rules' candidate where they found one (a list item's span runs
    over its elaboration), else the bare sentence with the deadline it names. Training and scoring both
    read replies through here, so the model always sees the same units."""
    replied_at = replied_at.date() if isinstance(replied_at, datetime) else replied_at
    calendar = calendar or WorkCalendar()
    masked = _blank_quotes(text)
    by_start = {c.start: c for c in rule_candidates(text, replied_at, calendar, min_confidence=0)}
    spans = sentences(masked)
    found: list[Unit] = []
    covered = 0
    for position, (start, end) in enumerate(spans):
        if start < covered:
            continue  # the elaboration of a list item, already in that item's candidate
        candidate = by_start.get(start)
        sentence = masked[start:end]
        if candidate is None:
            cleaned = _clean(text[start:end])
            if not cleaned:
                continue
            dates, _ = _future_dates(sentence, replied_at, calendar)
            candidate = Candidate(cleaned, dates[-1].due if dates else None, start, end, "",
                                  signals(sentence, sentence, "", bool(dates)), 0.0, None)
        covered = candidate.end
        previous = masked[slice(*spans[position - 1])] if position else ""
        words = tuple(_tagger().tokenizer.lcut(sentence))  # plain cut: part-of-speech tags add nothing here
        found.append(Unit(candidate, sentence, scorer.features(
            sentence, previous, words, position, len(spans), candidate.cue, _any_cues(sentence), candidate.signals,
            candidate.rule_confidence)))
    return found


def _any_cues(sentence: str) -> frozenset[str]:
    """The cues any clause holds, whatever governs it (a condition, advice, a trend): the rules drop such
    clauses, the scorer weighs them (如发现…，将依法查处 is often labelled a promise)."""
    next_step = bool(NEXT_STEP.search(sentence))
    return frozenset(CUE_NAMES[n] for n in (_cue(c, next_step) for c in _led_in(_clauses(sentence))) if n is not None)


def _future_dates(sentence: str, replied_at: date | None, calendar: WorkCalendar) -> tuple[list, int]:
    """The deadlines the sentence sets that lie ahead of the reply, and how many it names that have passed."""
    named = set_by(sentence, replied_at or date.today(), calendar)
    dates = [d for d in named if replied_at is None or d.due >= replied_at]
    past = len(named) - len(dates)
    if past and not [d for d in dates if not re.search(r"内$", sentence[d.start:d.end])]:
        # "2017年12月1日…要求1个月内完成": a span counted from a past date has passed too
        past, dates = past + len(dates), []
    if replied_at is None:  # nothing to count from: relative deadlines are unknown
        dates = [d for d in dates if not re.search(r"内$", sentence[d.start:d.end])]
    return dates, past


def rule_candidates(text: str, replied_at: date | datetime | None = None, calendar: WorkCalendar | None = None,
                    min_confidence: float = RULE_THRESHOLD) -> list[Candidate]:
    """The sentences the cue rules read as promises, in order, each with its cue, signals and rule confidence.

    Only candidates whose rule confidence is at least `min_confidence` are returned (0 returns every one).
    """
    if isinstance(replied_at, datetime):
        replied_at = replied_at.date()
    calendar = calendar or WorkCalendar()
    masked = _blank_quotes(text)
    found: list[Candidate] = []
    in_list = next_step = carry = False
    for start, end in sentences(masked):
        sentence = masked[start:end]
        dates, past = _future_dates(sentence, replied_at, calendar)
        due = dates[-1].due if dates else None
        item = bool(ITEM.match(sentence))
        in_list = in_list or (next_step and item and bool(ITEM_FIRST.match(sentence)))
        next_step = bool(NEXT_STEP.search(sentence)) and _is_promise(sentence, len(dates), past)
        if in_list and not item and re.match(r"\s*(?:下一步|今后|我|本)", sentence):
            in_list = False  # the office speaks of itself again: a promise of its own, not the item's elaboration
        if in_list and (PLEASANTRY.search(sentence) or SECTION.match(sentence) and not _is_promise(sentence, 0)):
            in_list = False
        if in_list and not item and found:  # an item's elaboration belongs to the item
            last = found[-1]
            found[-1] = replace(last, text=_clean(text[last.start:end]), due_date=last.due_date or due, end=end)
            continue
        carried, carry = carry and _goes_on(sentence), False
        hit = None if carried or (in_list and item) else _promise_cue(sentence, len(dates), past)
        if carried or (in_list and item) or hit is not None:
            cleaned = _clean(text[start:end])
            if OPENS_LIST.search(sentence):
                in_list = True
            elif cleaned:
                cue, clause = (CUE_NAMES[hit[0]], hit[1]) if hit else ("carried" if carried else "item", sentence)
                named_signals = signals(sentence, clause, cue, due is not None)
                score = confidence(named_signals)
                found.append(Candidate(cleaned, due, start, end, cue, named_signals, score, score))
                in_list = in_list or bool(re.search(r"下一步|下阶段|下步", sentence) and ITEM_INSIDE.search(sentence))
                carry = (carried or bool(NEXT_STEP.search(sentence))) and sentence.rstrip()[-1:] in "；;"
    return [c for c in found if c.confidence >= min_confidence]


def _goes_on(sentence: str) -> bool:
    """After "下一步，将…；" the next clause up to a semicolon or full stop lists one more thing to be done."""
    sentence = "".join(c for c in _clauses(sentence) if not PLEASANTRY.search(c))  # 欢迎举报 at its end
    return bool(sentence.strip()) and not (
        NUMBERED.match(sentence) or CONDITION.match(sentence) or PAST.search(sentence) or TOLD_DONE.search(sentence)
        or NEGATED.search(sentence) or NOT_A_PROMISE.search(sentence) or FORECAST.search(sentence)
        or re.search(r"目前|正在", sentence))
