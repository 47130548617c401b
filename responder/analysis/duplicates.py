"""Near-duplicate messages (重复件): character shingles, SimHash / MinHash, LSH banding.

Pure python ints and numpy, no new dependency. Messages are compared on overlapping character
n-grams (SHINGLE characters) of their text with whitespace and punctuation removed, which needs no
segmentation and is robust to the small edits people make when they send the same complaint again.

- `similar(a, b)`: exact Jaccard similarity of the two shingle sets, in [0, 1].
- `fingerprint(text)`: 64-bit SimHash of the shingles (close texts differ in few bits), for storage.
- `group_near_duplicates(items, threshold)`: MinHash signatures, LSH banding to find candidate pairs
  (no loop over all pairs), then exact Jaccard to confirm, and connected groups of two or more.
- `repeat_candidates(session, message, days)`: the same phone's similar messages in the last days.
- `near_duplicates(session, message, days)`: other citizens' messages on the same topic, near-identical text.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from datetime import timedelta
from typing import Hashable

import numpy as np

SHINGLE = 3
NUM_PERM = 128
DEFAULT_THRESHOLD = 0.6  # Jaccard of character 3-grams: re-sent and lightly edited copies score 0.6+
REPEAT_THRESHOLD = 0.5  # the same caller within days: a looser bar, an operator confirms

_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20240501)
_A = _rng.integers(1, 1 << 30, NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, 1 << 30, NUM_PERM, dtype=np.uint64)
_MASK32 = np.uint64(0xFFFFFFFF)
_NOISE = re.compile(r"[\s\W_]+|x000D", re.UNICODE)


def _normalise(text: str) -> str:
    return _NOISE.sub("", text or "").lower()


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """The set of character n-grams of the normalised text (the whole text if shorter)."""
    norm = _normalise(text)
    if len(norm) <= size:
        return {norm} if norm else set()
    return {norm[i : i + size] for i in range(len(norm) - size + 1)}


def _hashes(grams: set[str]) -> np.ndarray:
    return np.fromiter((zlib.crc32(g.encode()) for g in grams), dtype=np.uint64, count=len(grams))


def similar(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' character shingles (1.0 for two empty texts)."""
    sa, sb = shingles(a), shingles(b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def fingerprint(text: str) -> int:
    """64-bit SimHash of the text's shingles; near-duplicates differ in few bits (see `hamming`)."""
    counts = np.zeros(64, dtype=np.int64)
    for gram in shingles(text):
        raw = gram.encode()
        h = (zlib.crc32(raw) << 32) | zlib.adler32(raw)
        bits = np.array([(h >> i) & 1 for i in range(64)], dtype=np.int64)
        counts += 2 * bits - 1
    return sum(1 << i for i in range(64) if counts[i] > 0)


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two fingerprints."""
    return (a ^ b).bit_count()


def minhash(text: str) -> np.ndarray:
    """MinHash signature (NUM_PERM values) of the text's shingles."""
    hashes = _hashes(shingles(text))
    if hashes.size == 0:
        return np.full(NUM_PERM, _MASK32, dtype=np.uint64)
    # (a*x + b) mod p with a, b < 2^30 and x < 2^32 stays below 2^63: no overflow in uint64.
    values = (np.outer(hashes, _A) + _B) % np.uint64(_PRIME)
    return (values & _MASK32).min(axis=0)


def _bands_for(threshold: float) -> tuple[int, int]:
    """(bands, rows) with bands*rows == NUM_PERM whose S-curve midpoint (1/b)^(1/r) is just below threshold."""
    options = [(b, NUM_PERM // b) for b in (8, 16, 32, 64) if NUM_PERM % b == 0]
    below = [(b, r) for b, r in options if (1 / b) ** (1 / r) <= threshold - 0.1]
    return max(below, key=lambda br: (1 / br[0]) ** (1 / br[1])) if below else options[-1]


def _lsh_buckets(items, grams, bands: int, rows: int) -> list[list[int]]:
    """Indexes of texts sharing a whole MinHash band: the candidate near-duplicates."""
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    for index, (_, text) in enumerate(items):
        if not grams[index]:
            continue
        signature = minhash(text)
        for band in range(bands):
            buckets[(band, signature[band * rows : (band + 1) * rows].tobytes())].append(index)
    return [members for members in buckets.values() if len(members) > 1]


class _Groups:
    """Union-find over item indexes, joining pairs whose exact shingle Jaccard reaches the threshold."""

    def __init__(self, grams: list[set[str]], threshold: float):
        self.grams, self.threshold = grams, threshold
        self.parent = list(range(len(grams)))
        self.checked: set[tuple[int, int]] = set()

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def try_join(self, x: int, y: int) -> None:
        if (x, y) in self.checked or self.find(x) == self.find(y):
            return
        self.checked.add((x, y))
        a, b = self.grams[x], self.grams[y]
        if len(a & b) / len(a | b) >= self.threshold:
            self.parent[self.find(y)] = self.find(x)


def group_near_duplicates(items: list[tuple[Hashable, str]], threshold: float = DEFAULT_THRESHOLD) -> list[list]:
    """Groups (two or more ids, in input order) of texts whose shingle Jaccard is >= threshold.

    LSH banding on MinHash signatures proposes candidate pairs (texts sharing a whole band); each
    candidate is confirmed with the exact Jaccard, and confirmed pairs are joined transitively.
    Groups are ordered by their first member's position.
    """
    if not items:
        return []
    bands, rows = _bands_for(threshold)
    grams = [shingles(text) for _, text in items]
    joined = _Groups(grams, threshold)
    for members in _lsh_buckets(items, grams, bands, rows):
        first = members[0]
        for other in members[1:]:
            joined.try_join(first, other)
        # compare the rest of the bucket among themselves only when they did not join the first
        rest = [m for m in members[1:] if joined.find(m) != joined.find(first)]
        for i, x in enumerate(rest):
            for y in rest[i + 1 :]:
                joined.try_join(x, y)
    groups: dict[int, list] = defaultdict(list)
    for index, (item_id, _) in enumerate(items):
        groups[joined.find(index)].append(item_id)
    return [ids for ids in groups.values() if len(ids) > 1]


def repeat_candidates(session, message, days: int = 30, threshold: float = REPEAT_THRESHOLD) -> list[tuple]:
    """Earlier messages from the same citizen_phone within `days` before this one, with similar content.

    Filters by phone and time in SQL (citizen_phone is indexed), then compares content in Python over
    that small set. Returns (Message, similarity) pairs, most similar first; [] without a phone.
    """
    from sqlalchemy import select

    from responder.models import Message

    if not message.citizen_phone or message.received_at is None:
        return []
    rows = session.scalars(
        select(Message).where(
            Message.citizen_phone == message.citizen_phone,
            Message.id != message.id,
            Message.received_at >= message.received_at - timedelta(days=days),
            Message.received_at <= message.received_at,
        )
    ).all()
    text = f"{message.title or ''}{message.content}"
    scored = [(row, round(similar(text, f"{row.title or ''}{row.content}"), 3)) for row in rows]
    return sorted((pair for pair in scored if pair[1] >= threshold), key=lambda pair: -pair[1])


#: At most this many recent same-topic messages are compared with one message (newest first).
NEAR_DUPLICATE_POOL = 500


def near_duplicates(session, message, days: int = 30, threshold: float = DEFAULT_THRESHOLD,
                    pool: int = NEAR_DUPLICATE_POOL) -> list[tuple]:
    """Earlier messages of other citizens within `days` whose text is a near-duplicate of this one's.

    SQL narrows the field (time window, open statuses, same current topic when there is one, newest
    `pool` rows); each is then compared with this one message only (no pairwise loop over all rows).
    Returns (Message, similarity) pairs, most similar first.
    """
    from sqlalchemy import or_, select

    from responder.models import AnalysisResult, Message

    if message.received_at is None:
        return []
    query = select(Message).where(
        Message.id != message.id,
        Message.received_at >= message.received_at - timedelta(days=days),
        Message.received_at <= message.received_at,
        Message.status.notin_(("merged", "invalid")),
    )
    if message.citizen_phone:
        query = query.where(or_(Message.citizen_phone.is_(None), Message.citizen_phone != message.citizen_phone))
    topic = message.analysis.topic if message.analysis is not None else None
    if topic:
        query = query.join(AnalysisResult, (AnalysisResult.message_id == Message.id) & AnalysisResult.current.is_(True)
                           ).where(AnalysisResult.topic == topic)
    rows = session.scalars(query.order_by(Message.received_at.desc(), Message.id.desc()).limit(pool)).all()
    mine = shingles(f"{message.title or ''}{message.content}")
    if not mine:
        return []
    scored = []
    for row in rows:
        theirs = shingles(f"{row.title or ''}{row.content}")
        score = len(mine & theirs) / len(mine | theirs) if theirs else 0.0
        if score >= threshold:
            scored.append((row, round(score, 3)))
    return sorted(scored, key=lambda pair: -pair[1])
