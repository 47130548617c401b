"""Fixed-window rate limits: in Redis when REDIS_URL is set (shared by every worker process), else in memory.

Limits are (count, seconds) pairs in app.config["RATE_LIMITS"], overridable per name; a count of 0 turns one
off. Redis trouble never blocks the caller: the limit then fails open for a while (intake must keep answering
while the broker's Redis is down), and this process's memory takes over.
"""

from __future__ import annotations

import logging
import math
import threading
import time

from flask import current_app

from responder.errors import DomainError

log = logging.getLogger(__name__)

DEFAULT_LIMITS = {
    "login_address": (60, 300),  # sign-in attempts from one address
    "login_account": (20, 300),  # sign-in attempts on one username, from anywhere
    "api_token": (30000, 60),  # API requests per token (~500/s: a runaway integration, not real traffic)
    "public_lookup": (20, 600),  # citizens' lookups (page and API together) per address: slows query-code guessing
}
REDIS_BACKOFF_SECONDS = 15.0
# Count hits and set the window's expiry with the first: one command (EVALSHA).
_HIT = """local n = redis.call('INCRBY', KEYS[1], ARGV[2])
if n == tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n"""
# Large limits take hits from Redis in blocks of limit / BLOCK_PER, at most MAX_BLOCK: the API token limit
# (30,000 a minute) then costs one Redis call per 20 requests, and is never more than 20 hits per process early.
BLOCK_PER = 1000
MAX_BLOCK = 20


class TooManyRequests(DomainError):
    """429 with the seconds to wait, sent as Retry-After."""

    status = 429

    def __init__(self, retry_after: int, message: str | None = None):
        super().__init__(message or f"请求过于频繁，请 {retry_after} 秒后再试")
        self.retry_after = retry_after


def limit_for(name: str) -> tuple[int, int]:
    configured = current_app.config.get("RATE_LIMITS") or {}
    return tuple(configured.get(name, DEFAULT_LIMITS[name]))


def check(name: str, key: str) -> None:
    """Count one hit on (name, key); raise TooManyRequests once the window's allowance is used up."""
    limit, window = limit_for(name)
    if limit <= 0:
        return
    now = time.time()
    start = math.floor(now / window) * window
    block = min(MAX_BLOCK, limit // BLOCK_PER)
    count = _block_hit(name, key, start, window, block) if block > 1 else _redis_hit(name, key, start, window)
    if count is None:
        count = _memory_hit(name, key, start)
    if count > limit:
        raise TooManyRequests(max(1, math.ceil(start + window - now)))


def _block_hit(name: str, key: str, start: float, window: int, block: int) -> int | None:
    """A hit counted from a block of hits this process took from Redis at once (INCRBY block), so that a
    large limit costs one Redis call per `block` requests, not one each. Hits a process took but did not use
    still count, so the limit is reached at most `block` hits per process early, never late."""
    blocks: dict = current_app.extensions.setdefault("ratelimit_blocks", {})
    with _lock:
        window_start, next_count, last = blocks.get((name, key), (None, 0, 0))
        if window_start == start and next_count <= last:
            blocks[(name, key)] = (start, next_count + 1, last)
            return next_count
    last = _redis_hit(name, key, start, window, block)
    if last is None:
        return None
    with _lock:  # numbered last - block + 1 … last; this request takes the first
        blocks[(name, key)] = (start, last - block + 2, last)
    return last - block + 1


def _redis_hit(name: str, key: str, start: float, window: int, hits: int = 1) -> int | None:
    url = current_app.config.get("REDIS_URL")
    state = current_app.extensions.setdefault("ratelimit", {"client": None, "until": 0.0})
    if not url or time.monotonic() < state["until"]:
        return None
    try:
        if state["client"] is None:
            import redis

            state["client"] = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
            state["hit"] = state["client"].register_script(_HIT)
        return int(state["hit"](keys=[f"responder:rl:{name}:{key}:{int(start)}"], args=[window + 5, hits]))
    except Exception as exc:  # noqa: BLE001  any Redis failure: fail open to memory, never block the request
        state["until"] = time.monotonic() + REDIS_BACKOFF_SECONDS
        log.warning("rate limit store unavailable, counting in memory: %s", exc.__class__.__name__)
        return None


_lock = threading.Lock()


def _memory_hit(name: str, key: str, start: float) -> int:
    counts: dict = current_app.extensions.setdefault("ratelimit_memory", {})
    with _lock:
        if len(counts) > 50_000:  # old windows only: drop them so the dict cannot grow without bound
            for stale in [k for k, v in counts.items() if v[0] < start]:
                del counts[stale]
        window_start, count = counts.get((name, key), (start, 0))
        if window_start != start:
            count = 0
        counts[(name, key)] = (start, count + 1)
        return count + 1
