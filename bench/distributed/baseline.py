"""The Celery baseline: worker processes of ``bench.celery_baseline_tasks`` and the workloads they run.

Each workload is timed on the producer's clock, from the first message published until the last
result is read back from the Redis result backend (``AsyncResult.get`` waits on pub/sub, not polling).

Results are read with ``follow_parents=False``: by default ``get`` on a chord's callback re-checks every
header task's state in the backend (one GET each) at every wake-up, which for 10,000 tasks keeps the
producer busy for minutes and slows the workers it shares the machine with (Celery 5.x,
``AsyncResult._maybe_reraise_parent_error``). Failures still raise: the tasks cannot fail here anyway.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_SECONDS = 60.0


def wait_for_workers(app: Any, count: int, timeout: float = READY_TIMEOUT_SECONDS) -> None:
    """Wait until ``count`` worker processes of ``app`` answer a broadcast ping."""
    deadline = time.monotonic() + timeout
    while len(app.control.ping(timeout=0.5) or []) < count:
        if time.monotonic() >= deadline:
            raise TimeoutError(f"fewer than {count} Celery workers answered within {timeout} s")


class BaselineWorkers:
    """``celery worker --pool prefork`` processes on ``redis_url``; stopped (by PID) on exit."""

    def __init__(self, redis_url: str, concurrency: int, log_dir: Path) -> None:
        self.redis_url = redis_url
        self.concurrency = concurrency
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen[bytes]] = []
        os.environ["BENCH_BASELINE_REDIS_URL"] = redis_url  # read when the tasks module is imported
        from bench import celery_baseline_tasks

        self.tasks: Any = celery_baseline_tasks

    def __enter__(self) -> BaselineWorkers:
        try:
            self.add_worker()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add_worker(self) -> None:
        """Start one more worker process and wait until it answers a task."""
        name = f"baseline-{len(self.processes)}"
        command = [sys.executable, "-m", "celery", "-A", "bench.celery_baseline_tasks", "worker"]
        command += ["--pool", "prefork", "--concurrency", str(self.concurrency), "--hostname", f"{name}@%h"]
        command += ["--queues", self.tasks.QUEUE, "--loglevel", "WARNING"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        environment = {**os.environ, "BENCH_BASELINE_REDIS_URL": self.redis_url}
        with (self.log_dir / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(
                command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
            )
        self.processes.append(process)
        wait_for_workers(self.tasks.app, len(self.processes))

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()
        self.tasks.app.close()

    # ---- workloads ----------------------------------------------------------------------------

    def chain(self, hops: int) -> float:
        """Seconds for a ``chain`` of ``hops`` no-op tasks, each passing its result to the next."""
        from celery import chain

        noop = self.tasks.noop
        started = time.perf_counter()
        result = chain(noop.s(0), *(noop.s() for _ in range(hops - 1))).apply_async()
        assert result.get(timeout=600, follow_parents=False) == 0
        return time.perf_counter() - started

    def chord(self, items: int) -> float:
        """Seconds for a ``chord`` of ``items`` no-op tasks whose callback collects their results."""
        from celery import chord

        started = time.perf_counter()
        result = chord(self.tasks.noop.s(n) for n in range(items))(self.tasks.collect.s())
        assert len(result.get(timeout=1200, follow_parents=False)) == items
        return time.perf_counter() - started

    def chains(self, count: int, hops: int) -> float:
        """Seconds for ``count`` chains of ``hops`` no-op tasks published at once."""
        from celery import chain

        noop = self.tasks.noop
        started = time.perf_counter()
        results = [chain(noop.s(n), *(noop.s() for _ in range(hops - 1))).apply_async() for n in range(count)]
        for n, result in enumerate(results):
            assert result.get(timeout=600, follow_parents=False) == n
        return time.perf_counter() - started
