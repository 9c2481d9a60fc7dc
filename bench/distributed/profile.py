"""Where a Task state hop's time goes: the hop chain run by one in-process coordinator under cProfile.

The cluster gets no coordinator processes; this process runs one ``Coordinator`` in a thread, wraps its
``advance`` (one round for one execution: lease, inbox, interpreter step, commit, dispatch, release) with
the profiler and a timer, and prints the coordinator's busy time per hop next to the wall time per hop
(the rest is Celery delivery, the worker, and the coordinator's wake-up from BLPOP), then the top
functions.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from typing import Any

from bench.distributed.baseline import wait_for_workers
from bench.distributed.ours import Ours, task_chain
from orchestrator.runtime.cluster import LocalCluster
from orchestrator.runtime.coordinator import Coordinator
from orchestrator.store.redis import RedisStore
from orchestrator.transport.celery import CeleryTransport
from workers.celery_app import create_app


def profile_coordinator(tasks: str, hops: int, repeat: int, concurrency: int, top: int = 30) -> None:
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
        try:
            machine = ours.machine("hop-chain", task_chain(hops))
            ours.run(machine, [0])  # warm-up, not counted
            for profiling in (False, True):
                profiler = cProfile.Profile() if profiling else None
                busy[:] = [0.0, 0]
                wall = sum(ours.run(machine, [0]).seconds for _ in range(repeat))
                print(
                    f"{'with' if profiling else 'without'} cProfile, {repeat} runs of {hops} Task states: "
                    f"{1000 * wall / (hops * repeat):.2f} ms per hop; the coordinator busy "
                    f"{1000 * busy[0] / (hops * repeat):.2f} ms of it in {busy[1] / (hops * repeat):.2f} "
                    "advance() calls"
                )
        finally:
            ours.close()
            coordinator.stop()
    assert profiler is not None
    total_hops = hops * repeat
    _print_stats(profiler, top, total_hops)


WHERE = (
    ("coordinator.py", "advance"),
    ("interpreter.py", "step"),
    ("codec.py", "decode_state"),
    ("codec.py", "encode_state"),
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


def _print_stats(profiler: Any, top: int, hops: int) -> None:
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream).strip_dirs()
    cumulative = {
        (file, name): (calls, cum) for (file, _, name), (_, calls, _, cum, _) in stats.stats.items()
    }  # type: ignore[attr-defined]
    advance = cumulative.get(WHERE[0], (0, 1e-9))[1]
    print(f"{'function':32} {'calls/hop':>9} {'ms/hop':>7} {'of advance':>10}")
    for key in WHERE:
        calls, cum = cumulative.get(key, (0, 0.0))
        print(
            f"{key[0] + ' ' + key[1]:32} {calls / hops:9.2f} {1000 * cum / hops:7.3f} {cum / advance:10.0%}"
        )
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    print(stream.getvalue())
