"""The task of bench/crash.py: a short piece of work that adds one to its input."""

from __future__ import annotations

import time

from workers.registry import task


@task
def crash_step(value: int) -> int:
    time.sleep(0.05)
    return value + 1
