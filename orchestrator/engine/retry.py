"""Retry: which retrier handles an error and how long to wait (ASL spec, "Retrying after an error").

Retriers are tried in order; the first whose ``ErrorEquals`` matches decides. Each retrier counts its
own attempts; once it reached ``MaxAttempts`` the error goes on to Catch. The wait before attempt
``n`` (0-based) is ``IntervalSeconds * BackoffRate ** n``, capped by ``MaxDelaySeconds``; with
``JitterStrategy: FULL`` it is drawn uniformly from [0, that]. The draw is seeded by the execution
and attempt so that the interpreter stays deterministic.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from orchestrator.asl.models import Retrier
from orchestrator.engine.errors import matches


def retry_delay(retriers: Sequence[Retrier], counts: list[int], error: str, seed: str) -> float | None:
    """Seconds to wait before retrying, or None when no retrier applies. Updates ``counts``."""
    while len(counts) < len(retriers):
        counts.append(0)
    for index, retrier in enumerate(retriers):
        if not matches(retrier.error_equals, error):
            continue
        attempt = counts[index]
        if attempt >= int(retrier.max_attempts):
            return None
        counts[index] = attempt + 1
        delay = float(retrier.interval_seconds) * float(retrier.backoff_rate) ** attempt
        if retrier.max_delay_seconds is not None:
            delay = min(delay, float(retrier.max_delay_seconds))
        if retrier.jitter_strategy == "FULL":
            delay = random.Random(f"{seed}:{index}:{attempt}").uniform(0.0, delay)
        return delay
    return None
