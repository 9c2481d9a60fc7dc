"""Nested executions (``states:startExecution``, ``.sync``, ``.sync:2``, ``.waitForTaskToken``) through the
embedded service: the child runs as an execution of its own and the parent's task reports it as AWS
does."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from orchestrator.service.embedded import embedded_service
from orchestrator.service.stepfunctions import StepFunctionsService

ROLE = "arn:aws:iam::123456789012:role/r"
CHILD_OK = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"Arg1": "argument1"}, "End": True}}}
CHILD_FAILS = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "SomeFailure", "Cause": "it broke"}}}


@pytest.fixture
def service() -> Iterator[StepFunctionsService]:
    built = embedded_service()
    try:
        yield built
    finally:
        built.close()


def machine(service: StepFunctionsService, name: str, definition: dict[str, Any]) -> str:
    return str(
        service.create_state_machine({"name": name, "definition": json.dumps(definition), "roleArn": ROLE})[
            "stateMachineArn"
        ]
    )


def parent(resource: str) -> dict[str, Any]:
    return {
        "StartAt": "Start",
        "States": {
            "Start": {
                "Type": "Task",
                "Resource": resource,
                "Parameters": {"StateMachineArn.$": "$.target", "Input.$": "$.input", "Name": "TheChild"},
                "End": True,
            }
        },
    }


def run(service: StepFunctionsService, resource: str, target: str, value: Any = None) -> dict[str, Any]:
    arn = machine(service, f"parent{time.monotonic_ns()}", parent(resource))
    execution = service.start_execution(
        {"stateMachineArn": arn, "input": json.dumps({"target": target, "input": value})}
    )["executionArn"]
    deadline = time.monotonic() + 10
    while (described := service.describe_execution({"executionArn": execution}))["status"] == "RUNNING":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    described["types"] = [
        e["type"] for e in service.get_execution_history({"executionArn": execution})["events"]
    ]
    return described


def test_start_execution_starts_the_child_and_answers_at_once(service: StepFunctionsService) -> None:
    child = machine(service, "child", CHILD_OK)

    described = run(service, "arn:aws:states:::states:startExecution", child, {"k": 1})

    output = json.loads(described["output"])
    child_arn = "arn:aws:states:us-east-1:123456789012:execution:child:TheChild"
    assert output["ExecutionArn"] == child_arn
    assert isinstance(output["StartDate"], int) and output["SdkHttpMetadata"]["HttpStatusCode"] == 200
    assert "TaskSubmitted" not in described["types"]
    child_described = service.describe_execution({"executionArn": child_arn})
    assert json.loads(child_described["input"]) == {"k": 1}


def test_sync_waits_for_the_child_and_returns_its_description(service: StepFunctionsService) -> None:
    child = machine(service, "child", CHILD_OK)

    described = run(service, "arn:aws:states:::states:startExecution.sync", child)

    output = json.loads(described["output"])
    assert (output["Status"], output["Output"], output["Input"]) == (
        "SUCCEEDED",
        '{"Arg1":"argument1"}',
        "{}",
    )
    assert output["OutputDetails"] == {"Included": True}
    assert described["types"][-5:] == [
        "TaskStarted",
        "TaskSubmitted",
        "TaskSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]


def test_sync_2_parses_the_child_input_and_output(service: StepFunctionsService) -> None:
    child = machine(service, "child", CHILD_OK)

    output = json.loads(
        run(service, "arn:aws:states:::states:startExecution.sync:2", child, {"a": 1})["output"]
    )

    assert (output["Input"], output["Output"]) == ({"a": 1}, {"Arg1": "argument1"})


def test_a_failed_child_fails_the_task_with_its_description_as_cause(service: StepFunctionsService) -> None:
    child = machine(service, "child", CHILD_FAILS)

    described = run(service, "arn:aws:states:::states:startExecution.sync", child)

    assert (described["status"], described["error"]) == ("FAILED", "States.TaskFailed")
    cause = json.loads(described["cause"])
    assert (cause["Error"], cause["Cause"], cause["Status"]) == ("SomeFailure", "it broke", "FAILED")
    assert "Output" not in cause


def test_an_unknown_state_machine_fails_the_task_as_aws_does(service: StepFunctionsService) -> None:
    missing = "arn:aws:states:us-east-1:123456789012:stateMachine:nope"

    described = run(service, "arn:aws:states:::states:startExecution", missing)

    assert described["error"] == "StepFunctions.StateMachineDoesNotExistException"
    assert described["cause"].startswith(
        f"State Machine Does Not Exist: '{missing}' (Service: AWSStepFunctions;"
    )
