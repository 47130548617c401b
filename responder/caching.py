"""Per-process read caches for small, rarely edited tables (policies, calendar, API tokens).

Hot paths (every intake request, every analysis task) read the same few rows again and again. A
cache entry is good for at most `ttl` seconds, which bounds how long another process can serve a
stale copy after an admin edit; in the process that made the edit it is dropped at once: any ORM
flush that touches a watched model marks the cache stale, and so does the commit that follows it
(so a copy loaded between flush and commit is not kept either).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

_generations: dict[type, int] = {}
_lock = threading.Lock()


def _bump(classes: set[type]) -> None:
    with _lock:
        for cls in classes:
            _generations[cls] = _generations.get(cls, 0) + 1


def _watched_in(session: Session) -> set[type]:
    touched = {type(obj) for obj in (*session.new, *session.dirty, *session.deleted)}
    return {cls for cls in _generations if any(issubclass(t, cls) for t in touched)}


@event.listens_for(Session, "before_flush")
def _note_flush(session, _context, _instances):
    classes = _watched_in(session)
    if classes:
        session.info.setdefault("cache_touched", set()).update(classes)
        _bump(classes)


@event.listens_for(Session, "after_commit")
def _note_commit(session):
    classes = session.info.pop("cache_touched", None)
    if classes:
        _bump(classes)


@event.listens_for(Session, "after_rollback")
def _note_rollback(session):
    session.info.pop("cache_touched", None)


class ReadCache:
    """Values loaded by `load(key)` kept for `ttl` seconds or until a watched model is written.

    None is never kept: "not found" must not outlive the row's creation in another process.
    """

    def __init__(self, watched: tuple[type, ...], ttl: float):
        self.watched, self.ttl = watched, ttl
        with _lock:
            for cls in watched:
                _generations.setdefault(cls, 0)
        self._entries: dict[Hashable, tuple[float, tuple[int, ...], Any]] = {}

    def _generation(self) -> tuple[int, ...]:
        return tuple(_generations[cls] for cls in self.watched)

    def get(self, key: Hashable, load: Callable[[], Any]) -> Any:
        """The cached value for key, loading it when missing, expired or invalidated."""
        now, generation = time.monotonic(), self._generation()
        entry = self._entries.get(key)
        if entry and entry[1] == generation and now - entry[0] < self.ttl:
            return entry[2]
        value = load()
        if value is not None and self._generation() == generation:  # no write raced the load
            if len(self._entries) > 1000:  # bounded: e.g. many distinct bad tokens
                self._entries.clear()
            self._entries[key] = (now, generation, value)
        return value

    def clear(self) -> None:
        self._entries.clear()
