"""Redrive on the runtimes: a finished execution revived from its saved state, on coordinators over the
memory and the Redis store (whose finished keys turn persistent again) and on the embedded runtime."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from orchestrator.runtime.coordinator import Coordinator
from orchestrator.runtime.distributed import DistributedRuntime
from orchestrator.runtime.embedded import EmbeddedRuntime
from orchestrator.store.memory import MemoryStore
from orchestrator.store.records import ExecutionRecord
from orchestrator.store.redis import RedisStore
from orchestrator.transport.inline import InlineTransport
from tests.runtime.records import ACCOUNT, REGION, function, new_execution
from tests.store.conftest import redis_store
from workers.registry import TaskRegistry
from workers.resources import ResourceResolver


class Healing:
    """Registered tasks: ``fragile`` fails until ``healed``, ``steady`` counts its calls."""

    def __init__(self) -> None:
        self.healed = False
        self.steady_calls = 0
        self.registry = TaskRegistry()
        self.registry.register("fragile", self.fragile)
        self.registry.register("steady", self.steady)
        self.resolver = ResourceResolver(self.registry, region=REGION, account_id=ACCOUNT)

    def fragile(self, value: Any) -> Any:
        if not self.healed:
            raise RuntimeError("not yet")
        return "fixed"

    def steady(self, value: Any) -> Any:
        self.steady_calls += 1
        return "steady"


DEFINITION = {
    "StartAt": "Both",
    "States": {
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": "S",
                    "States": {"S": {"Type": "Task", "Resource": function("steady"), "End": True}},
                },
                {
                    "StartAt": "Later",  # the steady branch ends first
                    "States": {
                        "Later": {"Type": "Wait", "Seconds": 1, "Next": "F"},
                        "F": {"Type": "Task", "Resource": function("fragile"), "End": True},
                    },
                },
            ],
            "End": True,
        }
    },
}


def redriven(record: ExecutionRecord) -> ExecutionRecord:
    """The record as RedriveExecution writes it."""
    return replace(
        record,
        status="RUNNING",
        stop_date=None,
        error=None,
        cause=None,
        redrive_count=record.redrive_count + 1,
        redrive_date=datetime.now(tz=UTC),
    )


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def distributed_store(request: pytest.FixtureRequest) -> Any:
    return MemoryStore() if request.param == "memory" else redis_store(request)


@pytest.fixture
def healing() -> Healing:
    return Healing()


@pytest.fixture
def transport(distributed_store: Any, healing: Healing) -> Iterator[InlineTransport]:
    built = InlineTransport(distributed_store, healing.resolver)
    yield built
    built.close()


def test_coordinators_resume_a_redriven_execution(
    distributed_store: Any, healing: Healing, transport: InlineTransport
) -> None:
    # given an execution that failed on a coordinator
    runtime = DistributedRuntime(distributed_store, healing.resolver)
    coordinator = Coordinator(distributed_store, transport, poll_seconds=0.1).start()
    try:
        machine, execution = new_execution(DEFINITION)
        distributed_store.put_state_machine(machine)
        assert distributed_store.create_execution(execution, None)
        runtime.launch(machine, execution)
        failed = runtime.wait(execution.arn, timeout=20)
        assert failed.status == "FAILED" and healing.steady_calls == 1
        coordinator.stop()
        # when it is redriven (no coordinator running yet)
        healing.healed = True
        runtime.redrive(redriven(failed))
        if isinstance(distributed_store, RedisStore):  # its keys no longer expire
            keys = distributed_store.keys.of_execution(execution.arn)
            assert distributed_store._redis.pttl(keys.execution) == -1
            assert distributed_store._redis.pttl(keys.history) == -1
        coordinator = Coordinator(distributed_store, transport, poll_seconds=0.1).start()
        done = runtime.wait(execution.arn, timeout=20)
    finally:
        coordinator.stop()
    # expect the failed branch only to run again, and the redrive in the record and the history
    assert done.status == "SUCCEEDED"
    assert json.loads(done.output or "null") == ["steady", "fixed"]
    assert healing.steady_calls == 1
    assert done.redrive_count == 1 and done.redrive_date is not None
    types = [event["type"] for event in distributed_store.history(execution.arn)]
    assert types.count("ExecutionRedriven") == 1 and types[-1] == "ExecutionSucceeded"


def test_the_embedded_runtime_revives_a_finished_execution(healing: Healing) -> None:
    # given an execution that failed on the embedded runtime
    store = MemoryStore()
    runtime = EmbeddedRuntime(store, healing.resolver, time_skipping=True)
    try:
        machine, execution = new_execution(DEFINITION)
        store.put_state_machine(machine)
        assert store.create_execution(execution, None)
        runtime.launch(machine, execution)
        failed = runtime.wait(execution.arn, timeout=20)
        assert failed.status == "FAILED"
        # when it is redriven
        healing.healed = True
        runtime.redrive(redriven(failed))
        deadline = time.monotonic() + 20
        while (record := store.get_execution(execution.arn)) is not None and record.status == "RUNNING":
            assert time.monotonic() < deadline
            time.sleep(0.01)
    finally:
        runtime.close()
    # expect it to succeed with the steady branch's first output
    assert record is not None and record.status == "SUCCEEDED"
    assert json.loads(record.output or "null") == ["steady", "fixed"]
    assert healing.steady_calls == 1 and record.redrive_count == 1
