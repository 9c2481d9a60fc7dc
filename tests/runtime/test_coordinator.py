"""Coordinators advancing executions through a shared store: the distributed design on the inline transport,
run on the memory and the Redis store alike.

No assertion is on elapsed time; tests wait for executions to end and then read their records and history.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from orchestrator.engine.model import RunTask
from orchestrator.runtime.coordinator import Coordinator
from orchestrator.runtime.distributed import DistributedRuntime
from orchestrator.store.memory import MemoryStore
from orchestrator.store.records import ExecutionRecord
from orchestrator.transport.inline import InlineTransport
from tests.runtime.records import ACCOUNT, REGION, function, new_execution
from tests.store.conftest import redis_store
from workers.registry import TaskRegistry
from workers.resources import ResourceResolver


class Cluster:
    """A store, a resolver with registered tasks, coordinators and the runtime a server would use."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.registry = TaskRegistry()
        self.registry.register("double", lambda value: value * 2)
        self.registry.register("add", lambda value: value["a"] + value["b"])
        self.registry.register("input_size", lambda value, context: len(context["Execution"]["Input"]))
        self.resolver = ResourceResolver(self.registry, region=REGION, account_id=ACCOUNT)
        self.transport = InlineTransport(store, self.resolver)
        self.runtime = DistributedRuntime(store, self.resolver)
        self.coordinators: list[Coordinator] = []

    def coordinator(self, **options: Any) -> Coordinator:
        coordinator = Coordinator(self.store, self.transport, poll_seconds=0.1, **options)
        self.coordinators.append(coordinator)
        return coordinator

    def start(self, definition: dict[str, Any], value: Any = None) -> str:
        machine, execution = new_execution(definition, value)
        self.store.put_state_machine(machine)
        assert self.store.create_execution(execution, None)
        self.runtime.launch(machine, execution)
        return execution.arn

    def finished(self, arn: str) -> ExecutionRecord:
        record = self.runtime.wait(arn, timeout=20)
        assert record.status != "RUNNING", "the execution did not finish within 20 s"
        return record

    def close(self) -> None:
        for coordinator in self.coordinators:
            coordinator.request_stop()
        for coordinator in self.coordinators:
            coordinator.stop()
        self.transport.close()


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def distributed_store(request: pytest.FixtureRequest) -> Any:
    """Every test runs on both stores (the Redis one on its own flushed database)."""
    if request.param == "memory":
        return MemoryStore()
    return redis_store(request)


@pytest.fixture
def cluster(distributed_store: Any) -> Iterator[Cluster]:
    built = Cluster(distributed_store)
    yield built
    built.close()


WORKFLOW = {
    "StartAt": "Double",
    "States": {
        "Double": {
            "Type": "Task",
            "Resource": function("double"),
            "InputPath": "$.n",
            "ResultPath": "$.doubled",
            "Next": "Pause",
        },
        "Pause": {"Type": "Wait", "Seconds": 0, "Next": "Both"},
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": "Each",
                    "States": {
                        "Each": {
                            "Type": "Map",
                            "ItemsPath": "$.items",
                            "MaxConcurrency": 3,
                            "ItemProcessor": {
                                "StartAt": "D",
                                "States": {
                                    "D": {"Type": "Task", "Resource": function("double"), "End": True}
                                },
                            },
                            "End": True,
                        }
                    },
                },
                {
                    "StartAt": "Sum",
                    "States": {"Sum": {"Type": "Pass", "Parameters": {"n.$": "$.doubled"}, "End": True}},
                },
            ],
            "End": True,
        },
    },
}


def workflow_input(size: int) -> dict[str, Any]:
    return {"items": list(range(size)), "n": size}


def test_a_coordinator_runs_a_workflow_to_the_same_result_as_the_embedded_engine(cluster: Cluster) -> None:
    definition = {
        "StartAt": "Add",
        "States": {
            "Add": {"Type": "Task", "Resource": function("add"), "ResultPath": "$.sum", "Next": "Wait"},
            "Wait": {"Type": "Wait", "Seconds": 0, "End": True},
        },
    }
    cluster.coordinator().start()
    arn = cluster.start(definition, {"a": 2, "b": 3})

    record = cluster.finished(arn)

    assert record.status == "SUCCEEDED"
    assert json.loads(record.output or "null") == {"a": 2, "b": 3, "sum": 5}
    types = [event["type"] for event in cluster.store.history(arn)]
    assert types == [
        "ExecutionStarted",
        "TaskStateEntered",
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionSucceeded",
        "TaskStateExited",
        "WaitStateEntered",
        "WaitStateExited",
        "ExecutionSucceeded",
    ]


def test_several_coordinators_share_executions_and_write_each_event_once(cluster: Cluster) -> None:
    for _ in range(3):
        cluster.coordinator().start()
    arns = [cluster.start(WORKFLOW, workflow_input(12)) for _ in range(6)]

    records = [cluster.finished(arn) for arn in arns]

    assert {record.status for record in records} == {"SUCCEEDED"}
    for arn in arns:
        ids = [event["id"] for event in cluster.store.history(arn)]
        assert ids == list(range(1, len(ids) + 1))


def test_timers_fire_through_the_store(cluster: Cluster) -> None:
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": True}}}
    cluster.coordinator().start()
    arn = cluster.start(definition)

    assert cluster.finished(arn).status == "SUCCEEDED"


class _CrashAfterCommit(Coordinator):
    """Commits, then dies before carrying out its outbox or releasing its lease."""

    crashed = False

    def _carry_out(self, arn: str, commands: list[Any], notices: Any = None) -> Any:
        if not self.crashed and commands:
            self.crashed = True
            raise SystemExit("coordinator killed")
        return super()._carry_out(arn, commands, notices)

    def release(self, arn: str, version: int | None = None, posts: Any = None) -> None:
        pass


def test_a_dead_coordinators_execution_is_taken_over_and_nothing_is_lost(cluster: Cluster) -> None:
    doomed = _CrashAfterCommit(cluster.store, cluster.transport, owner="doomed", lease_seconds=0.2)
    arn = cluster.start(WORKFLOW, workflow_input(4))
    with pytest.raises(SystemExit):
        doomed.tick(timeout=1.0)  # holds the lease and commits, then dies: outbox and lease left behind
    assert not cluster.store.acquire(arn, "survivor", 1.0)  # the dead one's lease still holds
    survivor = cluster.coordinator(owner="survivor", orphan_scan_seconds=0.1)
    survivor.start()

    record = cluster.finished(arn)

    assert record.status == "SUCCEEDED"
    output = json.loads(record.output or "null")
    assert output == [[0, 2, 4, 6], {"n": 8}]
    ids = [event["id"] for event in cluster.store.history(arn)]
    assert ids == list(range(1, len(ids) + 1))


def test_a_task_carried_out_from_a_dead_coordinators_outbox_still_sees_the_execution_input(
    cluster: Cluster,
) -> None:
    definition = {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": function("input_size"), "End": True}},
    }
    doomed = _CrashAfterCommit(cluster.store, cluster.transport, owner="doomed", lease_seconds=0.2)
    arn = cluster.start(definition, [1, 2, 3])
    with pytest.raises(SystemExit):
        doomed.tick(timeout=1.0)
    assert "Input" not in cluster.store.outbox(arn)[0]["context"]["Execution"]  # stored once, in the state
    cluster.coordinator(owner="survivor", orphan_scan_seconds=0.1).start()

    assert cluster.finished(arn).output == "3"


class _DuplicatingTransport(InlineTransport):
    """Delivers every task twice (a worker died after running it, and the broker redelivered)."""

    def dispatch(self, execution_arn: str, command: RunTask) -> None:
        super().dispatch(execution_arn, command)
        super().dispatch(execution_arn, command)


def test_a_task_result_delivered_twice_is_applied_once(cluster: Cluster) -> None:
    cluster.transport = _DuplicatingTransport(cluster.store, cluster.resolver)
    cluster.coordinator().start()
    arn = cluster.start(WORKFLOW, workflow_input(5))

    record = cluster.finished(arn)

    assert record.status == "SUCCEEDED"
    types = [event["type"] for event in cluster.store.history(arn)]
    assert types.count("LambdaFunctionSucceeded") == 6


def test_stop_execution_aborts_through_the_inbox(cluster: Cluster) -> None:
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}
    cluster.coordinator().start()
    arn = cluster.start(definition)

    record = cluster.runtime.stop(arn, "Stopped", "by the test")

    assert record.status == "ABORTED"
    assert cluster.store.history(arn)[-1]["type"] == "ExecutionAborted"
    assert cluster.store.next_timer_due() is None
