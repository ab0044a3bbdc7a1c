"""A bounded set of recently seen keys that forgets them after a while."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class RecentKeys:
    def __init__(self, ttl_seconds: float, max_keys: int, clock: Callable[[], float] = time.monotonic):
        self._ttl = ttl_seconds
        self._max = max_keys
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()  # key → when it was added, oldest first

    def _expire(self, now: float) -> None:
        while self._seen and (
            len(self._seen) > self._max or next(iter(self._seen.values())) <= now - self._ttl
        ):
            self._seen.popitem(last=False)

    def add(self, key: str) -> bool:
        """Remembers `key`; False if it was already remembered (a duplicate)."""
        now = self._clock()
        self._expire(now)
        if key in self._seen:
            return False
        self._seen[key] = now
        self._expire(now)
        return True

    def __contains__(self, key: str) -> bool:
        self._expire(self._clock())
        return key in self._seen

    def discard(self, key: str) -> None:
        self._seen.pop(key, None)
