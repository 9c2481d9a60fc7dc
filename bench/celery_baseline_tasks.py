"""The hand-written Celery baseline of bench/distributed_vs_celery.py: a plain Celery app on Redis.

Broker and result backend are the Redis URL in ``BENCH_BASELINE_REDIS_URL`` (the benchmark points it at
another database of the cluster's own redis-server). Delivery settings match the sfn worker app
(``acks_late``, prefetch 1, JSON), so both sides hand tasks to workers the same way.

    BENCH_BASELINE_REDIS_URL=redis://127.0.0.1:6379/1 \
        celery -A bench.celery_baseline_tasks worker --pool prefork --concurrency 2 -Q bench-baseline
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery

QUEUE = "bench-baseline"
REDIS_URL = os.environ.get("BENCH_BASELINE_REDIS_URL", "redis://127.0.0.1:6379/1")

app = Celery("bench_baseline", broker=REDIS_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    task_acks_late=True,
    worker_prefetch_multiplier=1,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)


@app.task(name="bench.noop")  # type: ignore[untyped-decorator]
def noop(value: Any) -> Any:
    """The no-op task: returns its input (a chain passes it on)."""
    return value


@app.task(name="bench.collect")  # type: ignore[untyped-decorator]
def collect(values: list[Any]) -> list[Any]:
    """A chord's callback: the list of its header's results, as a Map's output is."""
    return values
