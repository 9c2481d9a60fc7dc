"""RedriveExecution through the service, on the embedded runtime: a failed execution runs again from
the state it failed in; DescribeExecution / ListExecutions show the redrive; refusals are AWS's."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from orchestrator.errors import ApiError
from orchestrator.service import StepFunctionsService
from orchestrator.service.embedded import embedded_service

TASKS = """
from pathlib import Path

from workers import task


@task
def fragile(event):
    if not Path(event["healed"]).exists():
        raise RuntimeError("not yet")
    return {"count": event["count"]}
"""
ROLE = "arn:aws:iam::123456789012:role/r"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[StepFunctionsService]:
    module = tmp_path / "fragile_tasks.py"
    module.write_text(TASKS)
    service = embedded_service(task_modules=[str(module)], time_skipping=True)
    yield service
    service.close()


def definition(tmp_path: Path) -> dict[str, Any]:
    """Pass (runs once), then a task that fails until ``healed`` exists, reading $$.Execution.RedriveCount."""
    return {
        "StartAt": "Prepare",
        "States": {
            "Prepare": {
                "Type": "Pass",
                "Result": str(tmp_path / "healed"),
                "ResultPath": "$.healed",
                "Next": "Work",
            },
            "Work": {
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:fragile",
                "Parameters": {"healed.$": "$.healed", "count.$": "$$.Execution.RedriveCount"},
                "End": True,
            },
        },
    }


def finished(service: StepFunctionsService, arn: str) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while (described := service.describe_execution({"executionArn": arn}))["status"] == "RUNNING":
        assert time.monotonic() < deadline, "the execution did not end"
        time.sleep(0.01)
    return described


def failed_execution(service: StepFunctionsService, tmp_path: Path) -> tuple[str, str]:
    machine = service.create_state_machine(
        {"name": "fragile", "definition": json.dumps(definition(tmp_path)), "roleArn": ROLE}
    )["stateMachineArn"]
    arn = service.start_execution({"stateMachineArn": machine, "input": "{}"})["executionArn"]
    assert finished(service, arn)["status"] == "FAILED"
    return machine, arn


def refusal(service: StepFunctionsService, request: dict[str, Any]) -> ApiError:
    with pytest.raises(ApiError) as caught:
        service.redrive_execution(request)
    return caught.value


def test_a_failed_execution_is_redrivable_and_runs_again_from_its_failed_state(
    service: StepFunctionsService, tmp_path: Path
) -> None:
    # given a failed execution
    machine, arn = failed_execution(service, tmp_path)
    described = service.describe_execution({"executionArn": arn})
    assert (described["redriveStatus"], described["redriveCount"]) == ("REDRIVABLE", 0)
    assert "redriveStatusReason" not in described
    # when its task is healed and it is redriven
    (tmp_path / "healed").touch()
    answer = service.dispatch("RedriveExecution", {"executionArn": arn})
    # expect it to succeed from Work, counted, with ExecutionRedriven in the same history
    done = finished(service, arn)
    assert done["status"] == "SUCCEEDED"
    assert json.loads(done["output"]) == {"count": 1}
    assert done["redriveCount"] == 1 and done["redriveDate"] == answer["redriveDate"]
    assert done["redriveStatusReason"] == "Execution is SUCCEEDED and cannot be redriven"
    types = [e["type"] for e in service.get_execution_history({"executionArn": arn})["events"]]
    assert types.count("ExecutionStarted") == 1 and types.count("PassStateEntered") == 1
    assert types[types.index("ExecutionFailed") + 1 :][:2] == ["ExecutionRedriven", "TaskStateEntered"]
    listed = service.list_executions({"stateMachineArn": machine, "redriveFilter": "REDRIVEN"})
    assert [e["executionArn"] for e in listed["executions"]] == [arn]
    assert listed["executions"][0]["redriveCount"] == 1
    assert (
        service.list_executions({"stateMachineArn": machine, "redriveFilter": "NOT_REDRIVEN"})["executions"]
        == []
    )


def test_the_same_client_token_answers_the_same_redrive(
    service: StepFunctionsService, tmp_path: Path
) -> None:
    # given a failed execution redriven with a client token (still failing)
    _, arn = failed_execution(service, tmp_path)
    first = service.redrive_execution({"executionArn": arn, "clientToken": "t-1"})
    finished(service, arn)
    # when the same token is sent again
    again = service.redrive_execution({"executionArn": arn, "clientToken": "t-1"})
    # expect the same answer and one redrive only
    assert again == first
    assert service.describe_execution({"executionArn": arn})["redriveCount"] == 1


def test_a_succeeded_execution_is_not_redrivable(service: StepFunctionsService, tmp_path: Path) -> None:
    machine = service.create_state_machine(
        {
            "name": "ok",
            "definition": json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}),
            "roleArn": ROLE,
        }
    )["stateMachineArn"]
    arn = service.start_execution({"stateMachineArn": machine})["executionArn"]
    finished(service, arn)
    error = refusal(service, {"executionArn": arn})
    assert (error.code, error.message) == (
        "ExecutionNotRedrivable",
        "Execution is SUCCEEDED and cannot be redriven",
    )


def test_an_unknown_execution_does_not_exist(service: StepFunctionsService) -> None:
    arn = "arn:aws:states:us-east-1:123456789012:execution:none:e"
    assert refusal(service, {"executionArn": arn}).code == "ExecutionDoesNotExist"


def test_the_redrive_keeps_the_definition_the_execution_ran_with(
    service: StepFunctionsService, tmp_path: Path
) -> None:
    # given a failed execution whose machine is then updated
    machine, arn = failed_execution(service, tmp_path)
    changed = {"StartAt": "Other", "States": {"Other": {"Type": "Pass", "End": True}}}
    service.update_state_machine({"stateMachineArn": machine, "definition": json.dumps(changed)})
    # when it is redriven
    (tmp_path / "healed").touch()
    service.redrive_execution({"executionArn": arn})
    # expect it to run Work from its own definition
    assert json.loads(finished(service, arn)["output"]) == {"count": 1}
