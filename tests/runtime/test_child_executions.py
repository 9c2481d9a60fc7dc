"""A DISTRIBUTED Map's iterations are child executions: each has its own ARN under the map run, its own
history and record (``mapRunArn``), and is listed by ``ListExecutions(mapRunArn=...)``; embedded here
(the distributed runtime runs the same commands: ``test_distributed.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from orchestrator import Client


@pytest.fixture
def client() -> Iterator[Client]:
    with Client() as embedded:
        yield embedded


def distributed_map(processor_states: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": next(iter(processor_states)),
                    "States": processor_states,
                },
                "Label": "each",
                "End": True,
                **fields,
            }
        },
    }


def map_run_arn(client: Client, arn: str) -> str:
    started = next(e for e in client.history(arn) if e["type"] == "MapRunStarted")
    return str(started["mapRunStartedEventDetails"]["mapRunArn"])


def running_children(client: Client, arn: str, count: int) -> list[dict[str, Any]]:
    """The execution's map run children once ``count`` of them exist."""
    for _ in range(200):
        history = client.history(arn)
        if any(e["type"] == "MapRunStarted" for e in history):
            found = client.call("ListExecutions", {"mapRunArn": map_run_arn(client, arn)})["executions"]
            if len(found) == count:
                return list(found)
        client.wait(arn, timeout=0.02)
    raise AssertionError(f"{count} child executions did not start")


def test_each_item_runs_as_a_child_execution_with_its_own_history(client: Client) -> None:
    machine = client.create_state_machine(
        "children", distributed_map({"P": {"Type": "Pass", "Parameters": {"item.$": "$"}, "End": True}})
    )
    arn = client.start_execution(machine, [1, 2, 3])

    assert client.result(arn, timeout=10) == [{"item": 1}, {"item": 2}, {"item": 3}]
    run = map_run_arn(client, arn)
    children = client.call("ListExecutions", {"mapRunArn": run})["executions"]
    assert len(children) == 3
    for child in children:
        assert child["executionArn"].startswith(machine.replace(":stateMachine:", ":execution:") + "/each:")
        assert child["mapRunArn"] == run
        described = client.describe_execution(child["executionArn"])
        assert described["status"] == "SUCCEEDED"
        assert [e["type"] for e in client.history(child["executionArn"])] == [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded",
        ]
    parent_types = [e["type"] for e in client.history(arn)]
    assert "PassStateEntered" not in parent_types


def test_children_do_not_see_the_parents_variables_or_context(client: Client) -> None:
    definition = distributed_map(
        {
            "P": {
                "Type": "Pass",
                "Parameters": {"input.$": "$$.Execution.Input", "sm.$": "$$.StateMachine.Name"},
                "End": True,
            }
        }
    )
    machine = client.create_state_machine("scoped", definition)
    arn = client.start_execution(machine, ["a"])

    assert client.result(arn, timeout=10) == [{"input": "a", "sm": "scoped/each"}]


def test_failed_children_beyond_the_tolerance_fail_the_map(client: Client) -> None:
    definition = distributed_map(
        {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$", "NumericGreaterThan": 1, "Next": "Boom"}],
                "Default": "Fine",
            },
            "Boom": {"Type": "Fail", "Error": "TooBig", "Cause": "item > 1"},
            "Fine": {"Type": "Pass", "End": True},
        },
        ToleratedFailureCount=1,
    )
    machine = client.create_state_machine("tolerant", definition)
    tolerated = client.start_execution(machine, [1, 2])
    failed = client.start_execution(machine, [1, 2, 3])

    assert client.result(tolerated, timeout=10) == [1, {"Error": "TooBig", "Cause": "item > 1"}]
    described = client.wait(failed, timeout=10)
    assert (described["status"], described["error"]) == ("FAILED", "States.ExceedToleratedFailureThreshold")


def test_stopping_the_parent_stops_its_running_children(client: Client) -> None:
    definition = distributed_map({"W": {"Type": "Wait", "Seconds": 3600, "End": True}})
    machine = client.create_state_machine("stoppable", definition)
    arn = client.start_execution(machine, [1, 2])
    children = running_children(client, arn, 2)

    client.stop(arn, error="Enough")

    for child in children:
        assert client.wait(child["executionArn"], timeout=10)["status"] == "ABORTED"
