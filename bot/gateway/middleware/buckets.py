"""Token buckets per key (an IP address, a sender id), in process memory and bounded in size."""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable


class TokenBuckets:
    """Each key may spend `per_minute` requests at once, refilled evenly over a minute."""

    def __init__(self, per_minute: int, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic):
        self._capacity = float(per_minute)
        self._rate = per_minute / 60.0
        self._max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key → (tokens, when)

    def take(self, key: str) -> float:
        """Spends one token: 0 when allowed, else the seconds until the next token."""
        now = self._clock()
        tokens, then = self._buckets.pop(key, (self._capacity, now))
        tokens = min(self._capacity, tokens + (now - then) * self._rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self._rate
        self._buckets[key] = (tokens, now)  # most recently used last
        if len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)  # the least recently used key starts afresh
        return wait


def retry_after(wait: float) -> str:
    return str(max(1, math.ceil(wait)))
