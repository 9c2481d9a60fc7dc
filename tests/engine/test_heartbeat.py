"""HeartbeatSeconds: a task must report at least that often, or the state fails with
States.HeartbeatTimeout (which a States.Timeout retrier or catcher also handles)."""

from __future__ import annotations

from typing import Any

from orchestrator.engine.model import TaskHeartbeat, TaskSucceeded
from tests.engine.driver import LAMBDA, T0, Driver, machine


def beating(**fields: Any) -> dict[str, Any]:
    return machine(
        ("Work", {"Type": "Task", "Resource": LAMBDA, "HeartbeatSeconds": 10, "End": True, **fields})
    )


def test_a_task_without_heartbeats_times_out_after_heartbeat_seconds() -> None:
    driver = Driver.start(beating())
    assert sorted(driver.timers.values()) == [T0 + 10]

    driver.fire_next_timer()

    assert driver.status == "FAILED"
    assert driver.error_and_cause == ("States.HeartbeatTimeout", None)
    assert driver.events("LambdaFunctionTimedOut")[0]["lambdaFunctionTimedOutEventDetails"] == {
        "error": "States.HeartbeatTimeout"
    }


def test_each_heartbeat_starts_the_period_again() -> None:
    driver = Driver.start(beating())
    task = driver.pending_task()

    driver.send(TaskHeartbeat(task.task_id), at=T0 + 8)
    driver.send(TaskHeartbeat(task.task_id), at=T0 + 16)
    assert sorted(driver.timers.values()) == [T0 + 26]
    driver.send(TaskSucceeded(task.task_id, "done"), at=T0 + 20)

    assert (driver.status, driver.output) == ("SUCCEEDED", "done")
    assert driver.timers == {}


def test_a_heartbeat_for_a_finished_task_is_ignored() -> None:
    driver = Driver.start(beating())
    task = driver.pending_task()
    driver.send(TaskSucceeded(task.task_id, 1))

    driver.send(TaskHeartbeat(task.task_id))

    assert driver.status == "SUCCEEDED"


def test_a_states_timeout_catcher_handles_a_heartbeat_timeout() -> None:
    definition = machine(
        (
            "Work",
            {
                "Type": "Task",
                "Resource": LAMBDA,
                "HeartbeatSeconds": 5,
                "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Late"}],
                "End": True,
            },
        ),
        ("Late", {"Type": "Pass", "End": True}),
    )
    driver = Driver.start(definition)
    driver.fire_next_timer()

    assert driver.status == "SUCCEEDED"
    assert driver.output == {"Error": "States.HeartbeatTimeout", "Cause": ""}


def test_heartbeat_and_timeout_run_side_by_side() -> None:
    driver = Driver.start(beating(TimeoutSeconds=30))
    assert sorted(driver.timers.values()) == [T0 + 10, T0 + 30]
    task = driver.pending_task()
    for beat in (9, 18, 27):
        driver.send(TaskHeartbeat(task.task_id), at=T0 + beat)

    driver.fire_next_timer()

    assert driver.error_and_cause == ("States.Timeout", None)
