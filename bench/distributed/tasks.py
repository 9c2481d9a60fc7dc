"""The task our workers run in bench/distributed_vs_celery.py: a no-op that returns its input."""

from __future__ import annotations

from typing import Any

from workers.registry import task


@task
def bench_noop(value: Any) -> Any:
    return value
