"""Metrics counted by the embedded runtime: each committed history event once, task run and queue wait
in its thread pool, timer lag. Labels are unique per test (fresh machine and function names), so counts
start at zero in this process's registry."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from prometheus_client import REGISTRY

from orchestrator.runtime.embedded import EmbeddedRuntime
from orchestrator.store.memory import MemoryStore
from tests.runtime.records import ACCOUNT, REGION, function, new_execution
from workers.registry import TaskRegistry
from workers.resources import ResourceResolver

_names = itertools.count()


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def registry() -> TaskRegistry:
    return TaskRegistry()


@pytest.fixture
def runtime(registry: TaskRegistry) -> Iterator[EmbeddedRuntime]:
    resolver = ResourceResolver(registry, region=REGION, account_id=ACCOUNT)
    running = EmbeddedRuntime(MemoryStore(), resolver, time_skipping=True)
    yield running
    running.close()


def run(runtime: EmbeddedRuntime, definition: dict[str, Any], value_: Any = None) -> tuple[str, str]:
    """Run to the end; the machine's name and the final status."""
    machine, execution = new_execution(definition, value_)
    runtime.store.put_state_machine(machine)
    assert runtime.store.create_execution(execution, None)
    runtime.launch(machine, execution)
    record = runtime.wait(execution.arn, timeout=20)
    return machine.name, record.status


def test_executions_transitions_and_tasks_are_counted_once_per_event(
    runtime: EmbeddedRuntime, registry: TaskRegistry
) -> None:
    # given a task that fails once, retried after an interval, then a Pass
    name = f"flaky_{next(_names)}"
    attempts: list[int] = []

    def flaky(event: Any) -> Any:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("once")
        return event

    registry.register(name, flaky)
    definition = {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": function(name),
                "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 5}],
                "Next": "Done",
            },
            "Done": {"Type": "Pass", "End": True},
        },
    }

    # when it runs
    machine, status = run(runtime, definition, {"n": 1})

    # expect the execution, its two states and both attempts counted, the retry among them
    assert status == "SUCCEEDED"
    assert value("sfn_executions_started_total", state_machine=machine) == 1
    assert value("sfn_executions_succeeded_total", state_machine=machine) == 1
    assert value("sfn_execution_duration_seconds_count", state_machine=machine, status="SUCCEEDED") == 1
    assert value("sfn_state_transitions_total", state_machine=machine, state_type="Task") == 1
    assert value("sfn_state_transitions_total", state_machine=machine, state_type="Pass") == 1
    assert value("sfn_tasks_scheduled_total", resource=name) == 2
    assert value("sfn_tasks_started_total", resource=name) == 2
    assert value("sfn_tasks_failed_total", resource=name) == 1
    assert value("sfn_tasks_succeeded_total", resource=name) == 1
    assert value("sfn_tasks_retried_total", resource=name) == 1
    assert value("sfn_task_run_seconds_count", resource=name) == 2


def test_a_failed_execution_and_its_service_integration_are_labelled(
    runtime: EmbeddedRuntime, registry: TaskRegistry
) -> None:
    # given a lambda:invoke of a function that raises, uncaught
    name = f"broken_{next(_names)}"

    def broken(event: Any) -> Any:
        raise ValueError("no")

    registry.register(name, broken)
    definition = {
        "StartAt": "Invoke",
        "States": {
            "Invoke": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": name, "Payload.$": "$"},
                "End": True,
            }
        },
    }
    before = value("sfn_tasks_failed_total", resource="arn:aws:states:::lambda:invoke")

    # when it runs
    machine, status = run(runtime, definition, {})

    # expect a failed execution and a failed task of the integration, not retried
    assert status == "FAILED"
    assert value("sfn_executions_failed_total", state_machine=machine) == 1
    assert value("sfn_execution_duration_seconds_count", state_machine=machine, status="FAILED") == 1
    assert value("sfn_tasks_failed_total", resource="arn:aws:states:::lambda:invoke") == before + 1
    assert value("sfn_executions_succeeded_total", state_machine=machine) == 0
