"""Our side: the workloads as state machines, started through the producer client on a LocalCluster.

An execution's time is taken from the client's clock before its first ``StartExecution`` to the latest
``stopDate`` of the executions it waits for: the coordinator stamps that when it commits the final
state, so no polling interval is counted.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from orchestrator.client import Client

NOOP = "arn:aws:lambda:us-east-1:123456789012:function:bench_noop"
POLL_SECONDS = 0.02
START_THREADS = 8


def task_chain(length: int) -> dict[str, Any]:
    """``length`` Task states of the no-op function, each leading to the next."""
    states: dict[str, Any] = {}
    for index in range(length):
        state: dict[str, Any] = {"Type": "Task", "Resource": NOOP}
        state.update({"Next": f"T{index + 1}"} if index + 1 < length else {"End": True})
        states[f"T{index}"] = state
    return {"StartAt": "T0", "States": states}


def pass_chain(length: int) -> dict[str, Any]:
    states: dict[str, Any] = {}
    for index in range(length):
        state: dict[str, Any] = {"Type": "Pass"}
        state.update({"Next": f"P{index + 1}"} if index + 1 < length else {"End": True})
        states[f"P{index}"] = state
    return {"StartAt": "P0", "States": states}


def choice_loop(rounds: int) -> dict[str, Any]:
    """A Pass that counts with ``States.MathAdd`` and a Choice that loops back ``rounds`` times."""
    return {
        "StartAt": "Increment",
        "States": {
            "Increment": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Check"},
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.i", "NumericLessThan": rounds, "Next": "Increment"}],
                "Default": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    }


def distributed_map(items_in_input: bool = False) -> dict[str, Any]:
    """A DISTRIBUTED Map (no MaxConcurrency: every item at once, as a chord) of one no-op Task per item.

    The items are made by the Map (JSONata ``[0..count - 1]`` over the input ``{"count": N}``), so the
    execution's input stays small; with ``items_in_input`` they are the input's ``items`` list instead
    (run it with ``--map-items-in-input``: see docs/benchmarks.md for what happens at 10,000 items).
    """
    each: dict[str, Any] = {
        "Type": "Map",
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Item",
            "States": {"Item": {"Type": "Task", "Resource": NOOP, "End": True}},
        },
        "End": True,
    }
    if items_in_input:
        return {"StartAt": "Each", "States": {"Each": {**each, "ItemsPath": "$.items"}}}
    items = "{% [0..$states.input.count - 1] %}"
    return {"QueryLanguage": "JSONata", "StartAt": "Each", "States": {"Each": {**each, "Items": items}}}


def map_input(count: int, items_in_input: bool = False) -> dict[str, Any]:
    return {"items": list(range(count))} if items_in_input else {"count": count}


@dataclass(frozen=True)
class Batch:
    """What a batch of executions took: seconds, and the descriptions of its executions."""

    seconds: float
    described: list[dict[str, Any]]

    def output(self, index: int) -> Any:
        return json.loads(self.described[index]["output"])


class Ours:
    """Runs workloads on a cluster through ``Client(redis_url=...)``."""

    def __init__(self, redis_url: str) -> None:
        self.client = Client(redis_url=redis_url)
        self._machines: dict[str, str] = {}
        self._runs = 0

    def machine(self, name: str, definition: dict[str, Any]) -> str:
        if name not in self._machines:
            self._machines[name] = self.client.create_state_machine(name, definition)
        return self._machines[name]

    def run(self, machine_arn: str, inputs: list[Any], timeout: float = 1200.0) -> Batch:
        """Start one execution per input at once, wait for all; fails unless all SUCCEEDED."""
        self._runs += 1
        prefix = f"r{self._runs}-"
        started_at = time.time()
        with ThreadPoolExecutor(min(START_THREADS, len(inputs))) as pool:
            arns = list(
                pool.map(
                    lambda n: self.client.start_execution(machine_arn, inputs[n], name=f"{prefix}{n}"),
                    range(len(inputs)),
                )
            )
        described = [self._finished(arn, timeout) for arn in arns]
        failed = [d for d in described if d["status"] != "SUCCEEDED"]
        if failed:
            raise RuntimeError(f"{len(failed)} executions did not succeed, e.g. {failed[0]}")
        stopped = max(float(d["stopDate"]) for d in described)
        return Batch(stopped - started_at, described)

    def _finished(self, arn: str, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            described = self.client.describe_execution(arn)
            if described["status"] != "RUNNING":
                return described
            if time.monotonic() >= deadline:
                raise TimeoutError(f"{arn} still running after {timeout} s")
            time.sleep(POLL_SECONDS)

    def history(self, arn: str) -> list[dict[str, Any]]:
        return self.client.history(arn)

    def close(self) -> None:
        self.client.close()


def state_entered(events: list[dict[str, Any]]) -> int:
    return sum(1 for event in events if str(event["type"]).endswith("StateEntered"))
