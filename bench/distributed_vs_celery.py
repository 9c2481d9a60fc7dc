"""Benchmark: the distributed runtime against hand-written Celery on the same Redis, in the same run.

One ``LocalCluster`` (its own redis-server, coordinators, ``sfn worker`` processes) runs our side; a
plain Celery app (``bench/celery_baseline_tasks.py``: Redis broker and result backend, on another
database of the same redis-server) with the same worker concurrency runs the baseline. Measures:

1. ms per Task state hop: a chain of N no-op Task states against a Celery ``chain`` of N no-op tasks.
2. A DISTRIBUTED Map of one no-op Task per item against a Celery ``chord`` of as many tasks.
3. Pass/Choice transitions per second through the coordinators, persisted (no baseline).
4. Executions per second of a 3-Task workflow (against 3-task chains), with 1 and 2 worker processes.
5. Redis memory per execution and per history event (``INFO memory`` before and after).

    python bench/distributed_vs_celery.py [--quick] [--markdown] [--only hop,map,...]
    python bench/distributed_vs_celery.py --profile hop|map  # time and cProfile an in-process coordinator
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402

from bench.distributed import ours as workloads  # noqa: E402
from bench.distributed.baseline import BaselineWorkers, wait_for_workers  # noqa: E402
from bench.distributed.profile import Profiled  # noqa: E402
from bench.distributed.report import Row, print_table  # noqa: E402
from orchestrator.runtime.cluster import LocalCluster  # noqa: E402
from workers.celery_app import create_app  # noqa: E402

TASKS = str(ROOT / "bench" / "distributed" / "tasks.py")
MEASURES = ("hop", "map", "transitions", "throughput", "memory")


@dataclass(frozen=True)
class Sizes:
    hops: int
    repeat: int
    map_items: int
    loops: int
    loop_rounds: int
    pass_executions: int
    executions: int


DEFAULT = Sizes(
    hops=50, repeat=5, map_items=10_000, loops=10, loop_rounds=500, pass_executions=500, executions=500
)
QUICK = Sizes(
    hops=20, repeat=3, map_items=1_000, loops=4, loop_rounds=200, pass_executions=100, executions=100
)


def interleaved_medians(
    repeat: int, ours: Callable[[], float], celery: Callable[[], float]
) -> tuple[float, float]:
    """One warm-up each, then ``repeat`` runs alternating between the two sides (so a busy moment of a
    shared machine falls on both); the median seconds of each."""
    ours(), celery()
    timed = [(ours(), celery()) for _ in range(repeat)]
    return statistics.median(t[0] for t in timed), statistics.median(t[1] for t in timed)


def profiled(name: str, sizes: Sizes) -> Profiled:
    if name == "hop":
        definition = workloads.task_chain(sizes.hops)
        return Profiled("hop-chain", definition, 0, 0, sizes.hops, "hop", sizes.repeat)
    definition = workloads.distributed_map()
    items = workloads.map_input(sizes.map_items)
    return Profiled(
        "distributed-map", definition, items, workloads.map_input(100), sizes.map_items, "item", 1
    )


def used_memory(url: str) -> int:
    with redis.Redis.from_url(url) as client:
        return int(client.info("memory")["used_memory"])


class Bench:
    """The measures, each ours against the baseline, on one cluster and one baseline worker set."""

    def __init__(
        self, cluster: LocalCluster, ours: workloads.Ours, celery: BaselineWorkers, sizes: Sizes
    ) -> None:
        self.cluster = cluster
        self.ours = ours
        self.celery = celery
        self.sizes = sizes
        assert cluster.redis_url is not None
        self.redis_url = cluster.redis_url
        self.worker_app = create_app(self.redis_url)
        self.map_items_in_input = False

    def hop(self) -> list[Row]:
        hops = self.sizes.hops
        machine = self.ours.machine("hop-chain", workloads.task_chain(hops))
        ours, celery = interleaved_medians(
            self.sizes.repeat, lambda: self.ours.run(machine, [0]).seconds, lambda: self.celery.chain(hops)
        )
        unit = f"ms per hop ({hops} hops)"
        return [
            Row("1. Task state hop vs chain hop", unit, 1000 * ours / hops, 1000 * celery / hops, "<= 1.5x")
        ]

    def map(self) -> list[Row]:
        items = self.sizes.map_items
        in_input = self.map_items_in_input
        machine = self.ours.machine(f"distributed-map-{in_input}", workloads.distributed_map(in_input))
        self.ours.run(machine, [workloads.map_input(100, in_input)])  # warm-up
        batch = self.ours.run(machine, [workloads.map_input(items, in_input)])
        assert len(batch.output(0)) == items
        self.celery.chord(100)
        celery = self.celery.chord(items)
        unit = f"s for {items:,} items"
        return [Row("2. DISTRIBUTED Map vs chord", unit, batch.seconds, celery, "<= 1.5x")]

    def transitions(self) -> list[Row]:
        sizes = self.sizes
        rows = []
        loop = self.ours.machine("choice-loop", workloads.choice_loop(sizes.loop_rounds))
        chain = self.ours.machine("pass-chain", workloads.pass_chain(20))
        for name, machine, inputs in (
            (f"{sizes.loops} x Choice loop of {sizes.loop_rounds} rounds", loop, [{"i": 0}] * sizes.loops),
            (f"{sizes.pass_executions} x 20-Pass chain", chain, [{"a": 1}] * sizes.pass_executions),
        ):
            self.ours.run(machine, inputs[:2])  # warm-up
            batch = self.ours.run(machine, inputs)
            entered = sum(
                workloads.state_entered(self.ours.history(d["executionArn"])) for d in batch.described[:1]
            )
            total = entered * len(inputs)
            rows.append(
                Row(
                    f"3. transitions/s, {name}",
                    f"StateEntered/s ({total:,} in all)",
                    total / batch.seconds,
                    goal=">= 5,000/s",
                )
            )
        return rows

    def throughput(self, memory: bool = True) -> list[Row]:
        count = self.sizes.executions
        machine = self.ours.machine("three-tasks", workloads.task_chain(3))
        self.ours.run(machine, list(range(10)))  # warm-up
        self.celery.chains(10, 3)
        rows = []
        for workers in (1, 2):
            if workers == 2:
                self.cluster.start_worker("worker-1")
                wait_for_workers(self.worker_app, 2)
                self.celery.add_worker()
                self.ours.run(machine, list(range(10)))
            before = used_memory(self.redis_url)
            batch = self.ours.run(machine, list(range(count)))
            ours_bytes = used_memory(self.redis_url) - before
            before = used_memory(self.redis_url)
            celery = self.celery.chains(count, 3)
            celery_bytes = used_memory(self.redis_url) - before
            unit = f"executions/s ({count}, {workers} worker{'s' if workers > 1 else ''})"
            rows.append(
                Row(
                    f"4. 3-Task executions/s, {workers} worker{'s' if workers > 1 else ''}",
                    unit,
                    count / batch.seconds,
                    count / celery,
                )
            )
            if memory and workers == 1:
                events = len(self.ours.history(batch.described[0]["executionArn"]))
                rows.append(
                    Row(
                        "5. Redis memory per execution (3-Task)",
                        "bytes",
                        ours_bytes / count,
                        celery_bytes / count,
                    )
                )
                rows.append(
                    Row(
                        "5. Redis memory per history event",
                        f"bytes ({events} events/execution)",
                        ours_bytes / (count * events),
                    )
                )
        return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smaller workloads (about 20 s)")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(MEASURES)}")
    parser.add_argument("--markdown", action="store_true", help="print the results as a Markdown table")
    parser.add_argument("--coordinators", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=2, help="pool processes per worker, both sides")
    parser.add_argument(
        "--map-items-in-input", action="store_true", help="the Map's items in the execution input"
    )
    parser.add_argument(
        "--profile",
        choices=("hop", "map"),
        help="time and cProfile an in-process coordinator on one workload",
    )
    parser.add_argument("--log-dir", type=Path, help="keep the processes' logs here")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else DEFAULT
    if args.profile:
        from bench.distributed.profile import profile_coordinator

        profile_coordinator(TASKS, profiled(args.profile, sizes), args.concurrency)
        return 0
    selected = MEASURES if not args.only else tuple(args.only.split(","))
    unknown = set(selected) - set(MEASURES)
    if unknown:
        parser.error(f"unknown measures {sorted(unknown)}; known: {', '.join(MEASURES)}")

    started = time.monotonic()
    rows: list[Row] = []
    with LocalCluster(
        coordinators=args.coordinators,
        workers=1,
        worker_concurrency=args.concurrency,
        task_modules=[TASKS],
        log_dir=args.log_dir,
    ) as cluster:
        assert cluster.redis_url is not None
        baseline_url = cluster.redis_url.rsplit("/", 1)[0] + "/1"
        ours = workloads.Ours(cluster.redis_url)
        try:
            with BaselineWorkers(baseline_url, args.concurrency, cluster.log_dir) as celery:
                bench = Bench(cluster, ours, celery, sizes)
                bench.map_items_in_input = args.map_items_in_input
                wait_for_workers(bench.worker_app, 1)
                for name in MEASURES:
                    if name in selected and not (name == "memory" and "throughput" in selected):
                        print(f"  {name} ...", flush=True)
                        measured = (
                            bench.throughput(memory="memory" in selected)
                            if name == "memory"
                            else getattr(bench, name)()
                        )
                        rows.extend(
                            row for row in measured if name != "memory" or row.measure.startswith("5.")
                        )
        finally:
            ours.close()
    print(
        f"\n{args.coordinators} coordinators; worker concurrency {args.concurrency}; {time.monotonic() - started:.0f} s in all\n"
    )
    print_table(sorted(rows, key=lambda row: row.measure.split(".")[0]), args.markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
