"""Metrics counted by coordinators on a shared store: two coordinators advance the same executions, and
each history event is still counted once (after a successful, version-checked commit)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from prometheus_client import REGISTRY

from tests.runtime.records import function
from tests.runtime.test_coordinator import Cluster

_names = itertools.count()


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    from orchestrator.store.memory import MemoryStore

    running = Cluster(MemoryStore())
    yield running
    running.close()


def test_two_coordinators_count_each_execution_and_task_once(cluster: Cluster) -> None:
    # given two coordinators and a task state reached through a short Wait
    name = f"triple_{next(_names)}"
    cluster.registry.register(name, lambda value: value * 3)
    for _ in range(2):
        cluster.coordinator().start()
    definition: dict[str, Any] = {
        "StartAt": "Pause",
        "States": {
            "Pause": {"Type": "Wait", "Seconds": 0, "Next": "Triple"},
            "Triple": {"Type": "Task", "Resource": function(name), "End": True},
        },
    }

    # when five executions run
    arns = [cluster.start(definition, n) for n in range(5)]
    records = [cluster.finished(arn) for arn in arns]

    # expect five of everything, labelled by the machine (one each here) and the function
    assert [record.status for record in records] == ["SUCCEEDED"] * 5
    machines = {arn.split(":")[6] for arn in arns}
    started = sum(value("sfn_executions_started_total", state_machine=m) for m in machines)
    succeeded = sum(value("sfn_executions_succeeded_total", state_machine=m) for m in machines)
    waits = sum(value("sfn_state_transitions_total", state_machine=m, state_type="Wait") for m in machines)
    assert (started, succeeded, waits) == (5, 5, 5)
    assert value("sfn_tasks_scheduled_total", resource=name) == 5
    assert value("sfn_tasks_succeeded_total", resource=name) == 5
    assert value("sfn_tasks_retried_total", resource=name) == 0
    owners = [coordinator.owner for coordinator in cluster.coordinators]
    assert sum(value("sfn_coordinator_rounds_total", coordinator=o) for o in owners) >= 5
    assert all(value("sfn_coordinator_leases_held", coordinator=o) == 0 for o in owners)
    assert (value("sfn_redis_roundtrip_seconds_count", operation="commit") or 0) > 0
