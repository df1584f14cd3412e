"""A fixed-window request counter per caller, in the cache (shared by every worker on Redis;
per process on the local-memory cache of the demo)."""

from __future__ import annotations

import time

from django.core.cache import cache

WINDOW_SECONDS = 60


def allow(caller: str, limit: int, now: float | None = None) -> tuple[bool, int]:
    """Count one request of `caller`; (allowed, seconds until the window ends)."""
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    key = f"bl:rl:{caller}:{window}"
    # add() creates the counter only if absent, so concurrent first requests do not reset it.
    if cache.add(key, 1, WINDOW_SECONDS + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS + 1)
            count = 1
    retry = WINDOW_SECONDS - int(now % WINDOW_SECONDS)
    return count <= limit, retry
