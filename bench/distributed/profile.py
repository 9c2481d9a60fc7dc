"""Where the time goes: a workload run by one in-process coordinator, timed and under cProfile.

The cluster gets no coordinator processes; this process runs one ``Coordinator`` in a thread and wraps
its ``advance`` (one round for one execution: lease, inbox, interpreter step, commit, dispatch, release)
with a timer and, on the second pass, the profiler. It prints the coordinator's busy time per unit (a
Task state hop, a Map item) next to the wall time per unit, without and with cProfile (the rest of the
wall time is Celery delivery, the worker, and the coordinator's wake-up from BLPOP), then a breakdown of
``advance`` and the top functions.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from dataclasses import dataclass
from typing import Any

from bench.distributed.baseline import wait_for_workers
from bench.distributed.ours import Ours
from orchestrator.runtime.cluster import LocalCluster
from orchestrator.runtime.coordinator import Coordinator
from orchestrator.store.redis import RedisStore
from orchestrator.transport.celery import CeleryTransport
from workers.celery_app import create_app


@dataclass(frozen=True)
class Profiled:
    """A workload to profile: one execution of ``definition`` on ``input`` is ``units`` units of work."""

    name: str
    definition: dict[str, Any]
    input: Any
    warm_up_input: Any
    units: int
    unit: str
    repeat: int


def profile_coordinator(tasks: str, workload: Profiled, concurrency: int, top: int = 30) -> None:
    with LocalCluster(
        coordinators=0, workers=1, worker_concurrency=concurrency, task_modules=[tasks]
    ) as cluster:
        assert cluster.redis_url is not None
        app = create_app(cluster.redis_url)
        wait_for_workers(app, 1)
        coordinator = Coordinator(RedisStore(cluster.redis_url), CeleryTransport(app), lease_seconds=5)
        profiler: cProfile.Profile | None = None
        busy = [0.0, 0]
        original = coordinator.advance

        def advance(arn: str) -> None:
            started = time.perf_counter()
            if profiler is not None:
                profiler.enable()
            try:
                original(arn)
            finally:
                if profiler is not None:
                    profiler.disable()
                busy[0] += time.perf_counter() - started
                busy[1] += 1

        coordinator.advance = advance  # type: ignore[method-assign]
        coordinator.start()
        ours = Ours(cluster.redis_url)
        units = workload.units * workload.repeat
        try:
            machine = ours.machine(workload.name, workload.definition)
            ours.run(machine, [workload.warm_up_input])  # warm-up, not counted
            for profiling in (False, True):
                profiler = cProfile.Profile() if profiling else None
                busy[:] = [0.0, 0]
                wall = sum(ours.run(machine, [workload.input]).seconds for _ in range(workload.repeat))
                print(
                    f"{'with' if profiling else 'without'} cProfile, {workload.repeat} x {workload.name}: "
                    f"{1000 * wall / units:.3f} ms per {workload.unit}; the coordinator busy "
                    f"{1000 * busy[0] / units:.3f} ms of it in {busy[1] / units:.3f} advance() calls"
                )
        finally:
            ours.close()
            coordinator.stop()
    assert profiler is not None
    _print_stats(profiler, top, units, workload.unit)


WHERE = (
    ("coordinator.py", "advance"),
    ("interpreter.py", "step"),
    ("codec.py", "decode_state"),
    ("codec.py", "encode_state"),
    ("codec.py", "encode_command"),
    ("celery.py", "dispatch"),
    ("redis.py", "acquire"),
    ("redis.py", "outbox"),
    ("redis.py", "inbox"),
    ("redis.py", "load_state"),
    ("redis.py", "commit"),
    ("redis.py", "clear_outbox"),
    ("redis.py", "release"),
    ("client.py", "execute_command"),
)
"""The pieces of ``advance`` worth a line each: the interpreter, the codec, the Celery publish, each
store call, and all Redis commands together (the store's and kombu's)."""


def _print_stats(profiler: cProfile.Profile, top: int, units: int, unit: str) -> None:
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream).strip_dirs()
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    cumulative = {(file, name): (calls, cum) for (file, _, name), (_, calls, _, cum, _) in raw.items()}
    advance = cumulative.get(WHERE[0], (0, 1e-9))[1]
    print(f"{'function':32} {'calls/' + unit:>12} {'ms/' + unit:>10} {'of advance':>10}")
    for key in WHERE:
        calls, cum = cumulative.get(key, (0, 0.0))
        print(
            f"{key[0] + ' ' + key[1]:32} {calls / units:12.3f} {1000 * cum / units:10.3f} {cum / advance:10.0%}"
        )
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    print(stream.getvalue())
