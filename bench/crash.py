"""Crash tests of the distributed runtime, with their figures: 200 executions in flight while a worker is
``kill -9``-ed, then a coordinator, then Redis is restarted (AOF ``everysec``).

Each scenario starts a local cluster (``orchestrator.runtime.cluster.LocalCluster``: redis-server, two
coordinators, two Celery workers), starts the executions through the producer client, does its damage
halfway, and checks that every execution SUCCEEDED with the right output and that every history is
whole: event ids 1..N with no gap or repeat, one ``LambdaFunctionSucceeded`` per Task state. It prints
one line per scenario and exits 1 if any check fails.

    python bench/crash.py [--executions 200] [--only worker|coordinator|redis]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from orchestrator.client import Client  # noqa: E402
from orchestrator.runtime.cluster import LocalCluster  # noqa: E402

TASKS = str(ROOT / "bench" / "crash_tasks.py")
TASK_STATES = 3


def function(name: str) -> str:
    return f"arn:aws:lambda:us-east-1:123456789012:function:{name}"


DEFINITION = {
    "StartAt": "One",
    "States": {
        "One": {"Type": "Task", "Resource": function("crash_step"), "Next": "Two"},
        "Two": {"Type": "Task", "Resource": function("crash_step"), "Next": "Three"},
        "Three": {"Type": "Task", "Resource": function("crash_step"), "End": True},
    },
}


def wait_all(client: Client, arns: list[str], timeout: float) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    results: dict[str, dict[str, Any]] = {}
    while len(results) < len(arns) and time.monotonic() < deadline:
        for arn in arns:
            if arn in results:
                continue
            try:
                described = client.describe_execution(arn)
            except Exception:  # Redis may be restarting
                time.sleep(0.5)
                continue
            if described["status"] != "RUNNING":
                results[arn] = described
        time.sleep(0.5)
    return [results.get(arn, {"executionArn": arn, "status": "RUNNING"}) for arn in arns]


def check(client: Client, arns: list[str], outcomes: list[dict[str, Any]]) -> list[str]:
    problems = []
    for n, (arn, outcome) in enumerate(zip(arns, outcomes, strict=True)):
        expected = n + TASK_STATES
        if outcome["status"] != "SUCCEEDED" or json.loads(outcome.get("output") or "null") != expected:
            problems.append(f"{arn}: {outcome['status']} {outcome.get('output')} (expected {expected})")
            continue
        events = client.history(arn)
        ids = [event["id"] for event in events]
        if ids != list(range(1, len(ids) + 1)):
            problems.append(f"{arn}: event ids {ids}")
        succeeded = [event["type"] for event in events].count("LambdaFunctionSucceeded")
        if succeeded != TASK_STATES:
            problems.append(f"{arn}: {succeeded} LambdaFunctionSucceeded events, expected {TASK_STATES}")
    return problems


def scenario(name: str, executions: int, damage: Callable[[LocalCluster], None]) -> bool:
    with LocalCluster(
        coordinators=2, workers=2, worker_concurrency=4, task_modules=[TASKS], visibility_timeout=10
    ) as cluster:
        assert cluster.redis_url is not None
        client = Client(redis_url=cluster.redis_url)
        machine = client.create_state_machine(f"crash-{name}", DEFINITION)
        started = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            arns = list(
                pool.map(lambda n: client.start_execution(machine, n, name=f"e{n}"), range(executions))
            )
        time.sleep(1.5)  # let tasks get going, then do the damage mid-flight
        damage(cluster)
        outcomes = wait_all(client, arns, timeout=300)
        elapsed = time.monotonic() - started
        problems = check(client, arns, outcomes)
        succeeded = sum(outcome["status"] == "SUCCEEDED" for outcome in outcomes)
        client.close()
    verdict = "PASS" if not problems else "FAIL"
    print(
        f"{name:12} {verdict}: {succeeded}/{executions} executions succeeded with the right output, "
        f"{executions - len(problems)}/{executions} histories whole, {elapsed:.1f} s"
    )
    for problem in problems[:10]:
        print(f"    {problem}")
    return not problems


def kill_worker(cluster: LocalCluster) -> None:
    cluster.kill("worker-0")


def kill_coordinator(cluster: LocalCluster) -> None:
    cluster.kill("coordinator-0")


def restart_redis(cluster: LocalCluster) -> None:
    assert cluster.redis_process is not None
    cluster.redis_process.terminate()  # SIGTERM: redis-server flushes its AOF and exits
    cluster.redis_process.wait()
    time.sleep(2.0)  # everything is cut off from Redis for a while
    cluster.start_redis()


SCENARIOS = {"worker": kill_worker, "coordinator": kill_coordinator, "redis": restart_redis}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--executions", type=int, default=200)
    parser.add_argument("--only", choices=sorted(SCENARIOS), action="append")
    args = parser.parse_args()
    results = [scenario(name, args.executions, SCENARIOS[name]) for name in args.only or list(SCENARIOS)]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
