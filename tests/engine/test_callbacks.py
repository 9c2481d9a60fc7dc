"""Tasks that wait for their token: ``.waitForTaskToken`` (submit, then the callback), activities, and
``Credentials`` in the scheduled event — the interpreter's side, driven event by event."""

from __future__ import annotations

from typing import Any

from orchestrator.engine.model import (
    ActivityStarted,
    CallbackFailed,
    CallbackSucceeded,
    TaskHeartbeat,
    TaskSucceeded,
)
from orchestrator.engine.tokens import is_genuine, parse_task_token, task_token
from tests.engine.driver import EXECUTION_ARN, LAMBDA, T0, Driver, machine

CALLBACK = "arn:aws:states:::lambda:invoke.waitForTaskToken"
ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:review"


def waiting(resource: str = CALLBACK, **fields: Any) -> dict[str, Any]:
    task: dict[str, Any] = {"Type": "Task", "Resource": resource, "End": True, **fields}
    if resource == CALLBACK:
        task.setdefault("Parameters", {"FunctionName": "f", "Payload": {"token.$": "$$.Task.Token"}})
    return machine(("Wait", task))


def test_the_token_is_in_the_context_the_parameters_and_the_command() -> None:
    driver = Driver.start(waiting())
    task = driver.pending_task()

    assert task.task_token is not None
    assert task.parameters == {"FunctionName": "f", "Payload": {"token": task.task_token}}
    assert task.context["Task"] == {"Token": task.task_token}
    assert parse_task_token(task.task_token) == (EXECUTION_ARN, task.task_id)


def test_the_submit_result_is_task_submitted_and_the_callback_ends_the_task() -> None:
    driver = Driver.start(waiting())
    task = driver.pending_task()

    driver.send(TaskSucceeded(task.task_id, {"StatusCode": 200}))
    assert driver.status == "RUNNING"
    driver.send(CallbackSucceeded(task.task_id, {"approved": True}))

    assert (driver.status, driver.output) == ("SUCCEEDED", {"approved": True})
    assert driver.types()[2:6] == ["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded"]


def test_a_callback_failure_fails_the_state_and_later_callbacks_are_ignored() -> None:
    driver = Driver.start(waiting())
    task = driver.pending_task()
    driver.send(TaskSucceeded(task.task_id, {}))

    driver.send(CallbackFailed(task.task_id, "Rejected", "no"))
    driver.send(CallbackSucceeded(task.task_id, "late"))

    assert (driver.status, driver.error_and_cause) == ("FAILED", ("Rejected", "no"))


def test_a_callback_heartbeat_timeout_is_states_timeout_as_recorded() -> None:
    driver = Driver.start(waiting(HeartbeatSeconds=5))
    task = driver.pending_task()
    driver.send(TaskSucceeded(task.task_id, {}))
    driver.send(TaskHeartbeat(task.task_id), at=T0 + 4)

    driver.fire_next_timer()

    assert driver.error_and_cause == ("States.Timeout", None)
    assert driver.events("TaskTimedOut")[0]["taskTimedOutEventDetails"]["error"] == "States.Timeout"


def test_an_activity_is_scheduled_started_by_a_worker_and_ended_by_its_callback() -> None:
    driver = Driver.start(waiting(ACTIVITY, HeartbeatSeconds=10, TimeoutSeconds=60), {"n": 1})
    task = driver.pending_task()
    assert sorted(driver.timers.values()) == [T0 + 60]  # heartbeats count from the worker's start

    driver.send(ActivityStarted(task.task_id, "w1"), at=T0 + 5)
    assert sorted(driver.timers.values()) == [T0 + 15, T0 + 60]
    driver.send(CallbackSucceeded(task.task_id, {"done": 1}), at=T0 + 6)

    assert driver.types() == [
        "ExecutionStarted",
        "TaskStateEntered",
        "ActivityScheduled",
        "ActivityStarted",
        "ActivitySucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    assert driver.events("ActivityStarted")[0]["activityStartedEventDetails"] == {"workerName": "w1"}


def test_credentials_are_evaluated_and_shown_in_the_scheduled_event() -> None:
    definition = machine(
        ("Work", {"Type": "Task", "Resource": LAMBDA, "Credentials": {"RoleArn.$": "$.role"}, "End": True})
    )
    driver = Driver.start(definition, {"role": "arn:aws:iam::1:role/r"})

    details = driver.events("LambdaFunctionScheduled")[0]["lambdaFunctionScheduledEventDetails"]

    assert details["taskCredentials"] == {"roleArn": "arn:aws:iam::1:role/r"}
    assert driver.pending_task().credentials == {"RoleArn": "arn:aws:iam::1:role/r"}


def test_tokens_verify_under_their_secret_only() -> None:
    token = task_token("secret", EXECUTION_ARN, "task-1")

    assert is_genuine(token, "secret")
    assert not is_genuine(token, "other")
    assert not is_genuine(token, "")
    assert parse_task_token("garbage") is None
