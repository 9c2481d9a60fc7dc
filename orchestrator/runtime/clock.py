"""Clocks for the runtimes: real time, and a time-skipping clock for tests and `--time-skipping`.

The skipping clock keeps one offset per execution: whenever an execution has nothing to do but wait
for a timer (no task in flight, no event queued), the runtime asks the clock to jump that execution's
time to the timer's due time. Timestamps in its history are then virtual, and a Wait of a day takes
no real time. While tasks run, virtual time flows at the real rate, so task timeouts still fire.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    skipping: bool

    def now(self, key: str) -> float:
        """Epoch seconds as seen by execution ``key``."""
        ...

    def advance(self, key: str, to: float) -> None:
        """Let execution ``key``'s time jump forward to ``to`` (no-op on a real clock)."""
        ...

    def forget(self, key: str) -> None: ...


class RealClock:
    skipping = False

    def now(self, key: str) -> float:
        return time.time()

    def advance(self, key: str, to: float) -> None:
        return None

    def forget(self, key: str) -> None:
        return None


class SkippingClock:
    skipping = True

    def __init__(self) -> None:
        self._offsets: dict[str, float] = {}

    def now(self, key: str) -> float:
        return time.time() + self._offsets.get(key, 0.0)

    def advance(self, key: str, to: float) -> None:
        gap = to - self.now(key)
        if gap > 0:
            self._offsets[key] = self._offsets.get(key, 0.0) + gap

    def forget(self, key: str) -> None:
        self._offsets.pop(key, None)
