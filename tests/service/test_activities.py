"""Activities end to end in embedded mode: the activity API, a worker taking tasks with GetActivityTask
(long poll), heartbeats, and the Activity* history AWS records."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from orchestrator.errors import ApiError
from orchestrator.service.embedded import embedded_service
from orchestrator.service.stepfunctions import StepFunctionsService

ROLE = "arn:aws:iam::123456789012:role/r"


@pytest.fixture
def service() -> Iterator[StepFunctionsService]:
    built = embedded_service()
    built.activity_poll_seconds = 2.0  # type: ignore[misc]
    try:
        yield built
    finally:
        built.close()


def start(service: StepFunctionsService, activity_arn: str, value: Any, **task_fields: Any) -> str:
    definition = {
        "StartAt": "Review",
        "States": {"Review": {"Type": "Task", "Resource": activity_arn, "End": True, **task_fields}},
    }
    machine = service.create_state_machine(
        {"name": f"m{time.monotonic_ns()}", "definition": json.dumps(definition), "roleArn": ROLE}
    )["stateMachineArn"]
    return str(
        service.start_execution({"stateMachineArn": machine, "input": json.dumps(value)})["executionArn"]
    )


def finished(service: StepFunctionsService, arn: str) -> dict[str, Any]:
    deadline = time.monotonic() + 15
    while (described := service.describe_execution({"executionArn": arn}))["status"] == "RUNNING":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return described


def history(service: StepFunctionsService, arn: str) -> list[dict[str, Any]]:
    return list(service.get_execution_history({"executionArn": arn})["events"])


def test_the_activity_api_creates_describes_lists_and_deletes(service: StepFunctionsService) -> None:
    created = service.create_activity({"name": "review"})
    arn = created["activityArn"]
    assert arn == "arn:aws:states:us-east-1:123456789012:activity:review"
    assert service.create_activity({"name": "review"})["activityArn"] == arn  # idempotent
    service.create_activity({"name": "approve"})

    described = service.describe_activity({"activityArn": arn})
    listed = service.list_activities({"maxResults": 1})

    assert (described["name"], described["creationDate"]) == ("review", created["creationDate"])
    assert [a["name"] for a in listed["activities"]] == ["approve"]
    assert [a["name"] for a in service.list_activities({"nextToken": listed["nextToken"]})["activities"]] == [
        "review"
    ]
    assert service.delete_activity({"activityArn": arn}) == {}
    with pytest.raises(ApiError) as gone:
        service.describe_activity({"activityArn": arn})
    assert gone.value.code == "ActivityDoesNotExist"
    with pytest.raises(ApiError) as wrong:
        service.describe_activity({"activityArn": "arn:aws:states:us-east-1:123456789012:stateMachine:x"})
    assert wrong.value.code == "InvalidArn"


def test_a_worker_takes_the_task_and_its_answer_is_the_output(service: StepFunctionsService) -> None:
    activity = service.create_activity({"name": "review"})["activityArn"]
    arn = start(service, activity, {"Value1": "HelloWorld"}, TimeoutSeconds=60, HeartbeatSeconds=10)

    task = service.get_activity_task({"activityArn": activity, "workerName": "reviewer-1"})
    service.send_task_heartbeat({"taskToken": task["taskToken"]})
    service.send_task_success({"taskToken": task["taskToken"], "output": task["input"]})

    described = finished(service, arn)
    assert (described["status"], json.loads(described["output"])) == ("SUCCEEDED", {"Value1": "HelloWorld"})
    events = history(service, arn)
    assert [e["type"] for e in events] == [
        "ExecutionStarted",
        "TaskStateEntered",
        "ActivityScheduled",
        "ActivityStarted",
        "ActivitySucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    assert events[2]["activityScheduledEventDetails"] == {
        "resource": activity,
        "input": '{"Value1":"HelloWorld"}',
        "inputDetails": {"truncated": False},
        "timeoutInSeconds": 60,
        "heartbeatInSeconds": 10,
    }
    assert events[3]["activityStartedEventDetails"] == {"workerName": "reviewer-1"}


def test_get_activity_task_waits_for_a_task_and_returns_nothing_after_the_poll(
    service: StepFunctionsService,
) -> None:
    activity = service.create_activity({"name": "review"})["activityArn"]
    taken: list[dict[str, Any]] = []
    worker = threading.Thread(
        target=lambda: taken.append(service.get_activity_task({"activityArn": activity}))
    )
    worker.start()
    time.sleep(0.2)  # the worker is polling before the task exists
    arn = start(service, activity, {"n": 1})
    worker.join(5)

    assert json.loads(taken[0]["input"]) == {"n": 1}
    assert service.get_activity_task({"activityArn": activity}) == {}  # nothing left: empty after the poll
    service.send_task_failure({"taskToken": taken[0]["taskToken"], "error": "Nope", "cause": "why"})
    described = finished(service, arn)
    assert (described["status"], described["error"], described["cause"]) == ("FAILED", "Nope", "why")
    assert [e["type"] for e in history(service, arn)][-2:] == ["ActivityFailed", "ExecutionFailed"]


def test_an_activity_started_but_unanswered_times_out(service: StepFunctionsService) -> None:
    activity = service.create_activity({"name": "slow"})["activityArn"]
    arn = start(service, activity, {}, TimeoutSeconds=1)
    task = service.get_activity_task({"activityArn": activity, "workerName": "w"})

    described = finished(service, arn)

    assert (described["status"], described["error"]) == ("FAILED", "States.Timeout")
    types = [e["type"] for e in history(service, arn)]
    assert types[-3:] == ["ActivityStarted", "ActivityTimedOut", "ExecutionFailed"]
    with pytest.raises(ApiError) as late:
        service.send_task_success({"taskToken": task["taskToken"], "output": "{}"})
    assert late.value.code == "TaskTimedOut"


def test_a_task_whose_execution_timed_out_before_a_worker_came_is_skipped(
    service: StepFunctionsService,
) -> None:
    activity = service.create_activity({"name": "nobody"})["activityArn"]
    arn = start(service, activity, {}, TimeoutSeconds=1)
    assert finished(service, arn)["status"] == "FAILED"

    assert service.get_activity_task({"activityArn": activity}) == {}


def test_activities_are_tagged_like_state_machines(service: StepFunctionsService) -> None:
    arn = service.create_activity({"name": "review", "tags": [{"key": "team", "value": "ops"}]})[
        "activityArn"
    ]

    service.tag_resource({"resourceArn": arn, "tags": [{"key": "tier", "value": "1"}]})
    service.untag_resource({"resourceArn": arn, "tagKeys": ["team"]})

    assert service.list_tags_for_resource({"resourceArn": arn}) == {"tags": [{"key": "tier", "value": "1"}]}
    with pytest.raises(ApiError) as taken:
        service.create_activity({"name": "review", "tags": [{"key": "other", "value": "x"}]})
    assert taken.value.code == "ActivityAlreadyExists"
