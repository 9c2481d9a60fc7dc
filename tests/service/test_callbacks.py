"""The callback pattern end to end in embedded mode: ``.waitForTaskToken`` tasks, ``$$.Task.Token``, and
SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat with AWS's errors."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from orchestrator.errors import ApiError
from orchestrator.service.embedded import embedded_service
from orchestrator.service.stepfunctions import StepFunctionsService

TASKS = """
from pathlib import Path

from workers import task


@task
def hand_out(event):
    Path(event["inbox"]).write_text(event["token"])
    return {"queued": True}
"""

ROLE = "arn:aws:iam::123456789012:role/r"


def callback_machine(**task_fields: Any) -> dict[str, Any]:
    return {
        "StartAt": "Wait for approval",
        "States": {
            "Wait for approval": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {
                    "FunctionName": "hand_out",
                    "Payload": {"inbox.$": "$.inbox", "token.$": "$$.Task.Token"},
                },
                "End": True,
                **task_fields,
            }
        },
    }


@pytest.fixture
def service(tmp_path: Path) -> Iterator[StepFunctionsService]:
    module = tmp_path / "callback_tasks.py"
    module.write_text(TASKS)
    built = embedded_service(task_modules=[str(module)])
    try:
        yield built
    finally:
        built.close()


def start(service: StepFunctionsService, definition: dict[str, Any], inbox: Path) -> str:
    machine = service.create_state_machine(
        {"name": f"m{time.monotonic_ns()}", "definition": json.dumps(definition), "roleArn": ROLE}
    )["stateMachineArn"]
    return str(
        service.start_execution({"stateMachineArn": machine, "input": json.dumps({"inbox": str(inbox)})})[
            "executionArn"
        ]
    )


def token_from(inbox: Path) -> str:
    deadline = time.monotonic() + 10
    while not inbox.exists() or not inbox.read_text():
        assert time.monotonic() < deadline, "the task never ran"
        time.sleep(0.01)
    return inbox.read_text()


def history_types(service: StepFunctionsService, arn: str) -> list[str]:
    return [e["type"] for e in service.get_execution_history({"executionArn": arn})["events"]]


def wait_for(service: StepFunctionsService, arn: str, event_type: str) -> None:
    deadline = time.monotonic() + 10
    while event_type not in history_types(service, arn):
        assert time.monotonic() < deadline, f"no {event_type} in {history_types(service, arn)}"
        time.sleep(0.01)


def finished(service: StepFunctionsService, arn: str) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while (described := service.describe_execution({"executionArn": arn}))["status"] == "RUNNING":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return described


def test_a_task_waits_for_its_token_and_succeeds_with_the_callback_output(
    service: StepFunctionsService, tmp_path: Path
) -> None:
    arn = start(service, callback_machine(), tmp_path / "inbox")
    token = token_from(tmp_path / "inbox")
    wait_for(service, arn, "TaskSubmitted")
    assert service.describe_execution({"executionArn": arn})["status"] == "RUNNING"

    assert service.send_task_success({"taskToken": token, "output": '{"approved": true}'}) == {}

    described = finished(service, arn)
    assert (described["status"], json.loads(described["output"])) == ("SUCCEEDED", {"approved": True})
    assert history_types(service, arn) == [
        "ExecutionStarted",
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskSubmitted",
        "TaskSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    events = service.get_execution_history({"executionArn": arn})["events"]
    scheduled = next(e for e in events if e["type"] == "TaskScheduled")
    assert scheduled["taskScheduledEventDetails"]["resource"] == "invoke.waitForTaskToken"
    assert json.loads(scheduled["taskScheduledEventDetails"]["parameters"])["Payload"]["token"] == token


def test_a_used_token_is_refused_as_timed_out(service: StepFunctionsService, tmp_path: Path) -> None:
    arn = start(service, callback_machine(), tmp_path / "inbox")
    token = token_from(tmp_path / "inbox")
    wait_for(service, arn, "TaskSubmitted")
    service.send_task_failure({"taskToken": token, "error": "Rejected", "cause": "no budget"})
    described = finished(service, arn)
    assert (described["status"], described["error"], described["cause"]) == (
        "FAILED",
        "Rejected",
        "no budget",
    )

    with pytest.raises(ApiError) as refused:
        service.send_task_success({"taskToken": token, "output": "{}"})

    assert refused.value.code == "TaskTimedOut"


def test_forged_and_malformed_tokens_are_invalid(service: StepFunctionsService, tmp_path: Path) -> None:
    arn = start(service, callback_machine(), tmp_path / "inbox")
    token = token_from(tmp_path / "inbox")
    wait_for(service, arn, "TaskSubmitted")
    name, mac = token.split(".")
    forged = f"{name}.{'0' * len(mac)}"

    for bad in (forged, "not-a-token", "a.b"):
        with pytest.raises(ApiError) as refused:
            service.send_task_success({"taskToken": bad, "output": "{}"})
        assert refused.value.code == "InvalidToken"
    with pytest.raises(ApiError) as invalid:
        service.send_task_success({"taskToken": token, "output": "{not json"})
    assert invalid.value.code == "InvalidOutput"
    assert service.describe_execution({"executionArn": arn})["status"] == "RUNNING"
    service.stop_execution({"executionArn": arn})


def test_heartbeats_keep_a_task_alive_and_their_absence_times_it_out(
    service: StepFunctionsService, tmp_path: Path
) -> None:
    arn = start(service, callback_machine(HeartbeatSeconds=1), tmp_path / "inbox")
    token = token_from(tmp_path / "inbox")
    for _ in range(3):  # 1.5 s of heartbeats every half second: longer than HeartbeatSeconds
        time.sleep(0.5)
        assert service.send_task_heartbeat({"taskToken": token}) == {}
    assert service.describe_execution({"executionArn": arn})["status"] == "RUNNING"

    described = finished(service, arn)  # no more heartbeats

    assert (described["status"], described["error"]) == ("FAILED", "States.Timeout")
    assert history_types(service, arn)[-2:] == ["TaskTimedOut", "ExecutionFailed"]
    with pytest.raises(ApiError) as late:
        service.send_task_heartbeat({"taskToken": token})
    assert late.value.code == "TaskTimedOut"
