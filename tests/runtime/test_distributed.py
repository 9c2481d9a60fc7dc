"""The distributed runtime for real: a Redis server, coordinators, and Celery workers (in threads here;
``tests/test_processes.py`` runs them as separate ``sfn`` processes and kills them).

No assertion is on elapsed time; tests wait for executions to end and read their records and history.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import before_task_publish

from orchestrator.errors import ApiError
from orchestrator.runtime.coordinator import Coordinator
from orchestrator.runtime.distributed import DistributedRuntime
from orchestrator.service.stepfunctions import StepFunctionsService
from orchestrator.store.records import ExecutionRecord
from orchestrator.store.redis import RedisStore
from orchestrator.transport.celery import CeleryTransport
from tests.runtime.records import function, new_execution
from workers.celery_app import create_app

TASKS = str(Path(__file__).with_name("sample_tasks.py"))


class Deployment:
    """Redis + two coordinators + a Celery worker (threads pool) consuming tasks and timers."""

    def __init__(self, redis_url: str) -> None:
        self.store = RedisStore(redis_url)
        self.app = create_app(redis_url, task_modules=[TASKS])
        self.runtime = DistributedRuntime(self.store, None)
        transport = CeleryTransport(self.app)
        self.coordinators = [
            Coordinator(self.store, transport, poll_seconds=0.1, orphan_scan_seconds=0.5).start()
            for _ in range(2)
        ]

    def start(self, definition: dict[str, Any], value: Any = None) -> str:
        machine, execution = new_execution(definition, value)
        self.store.put_state_machine(machine)
        assert self.store.create_execution(execution, None)
        self.runtime.launch(machine, execution)
        return execution.arn

    def finished(self, arn: str, timeout: float = 60) -> ExecutionRecord:
        record = self.runtime.wait(arn, timeout=timeout)
        assert record.status != "RUNNING", f"the execution did not finish within {timeout} s"
        return record

    def close(self) -> None:
        for coordinator in self.coordinators:
            coordinator.request_stop()
        for coordinator in self.coordinators:
            coordinator.stop()


@pytest.fixture
def deployment(redis_url: str) -> Iterator[Deployment]:
    built = Deployment(redis_url)
    try:
        with start_worker(
            built.app,
            pool="threads",
            concurrency=4,
            perform_ping_check=False,
            queues=["sfn-tasks", "sfn-timers"],
            loglevel="WARNING",
        ):
            yield built
    finally:
        built.close()


def test_tasks_run_on_celery_workers_and_the_result_is_aws_shaped(deployment: Deployment) -> None:
    definition = {
        "StartAt": "Add",
        "States": {
            "Add": {"Type": "Task", "Resource": function("add"), "ResultPath": "$.sum", "Next": "Double"},
            "Double": {"Type": "Task", "Resource": function("double"), "InputPath": "$.sum", "End": True},
        },
    }
    arn = deployment.start(definition, {"a": 2, "b": 3})

    record = deployment.finished(arn)

    assert (record.status, record.output) == ("SUCCEEDED", "10")
    types = [event["type"] for event in deployment.store.history(arn)]
    assert types.count("LambdaFunctionSucceeded") == 2
    assert types[-1] == "ExecutionSucceeded"


def test_a_retry_interval_fires_and_the_retried_task_succeeds(deployment: Deployment, tmp_path: Path) -> None:
    definition = {
        "StartAt": "Flaky",
        "States": {
            "Flaky": {
                "Type": "Task",
                "Resource": function("flaky"),
                "Retry": [{"ErrorEquals": ["RuntimeError"], "IntervalSeconds": 1, "MaxAttempts": 2}],
                "End": True,
            }
        },
    }
    published: list[tuple[str, Any, Any]] = []

    def spy(sender: str, headers: dict[str, Any], body: Any, **_: Any) -> None:
        published.append((sender, headers.get("retries"), body[1]))

    before_task_publish.connect(spy, weak=False)
    try:
        arn = deployment.start(definition, {"marker": str(tmp_path / "marker")})
        record = deployment.finished(arn)
    finally:
        before_task_publish.disconnect(spy)

    assert (record.status, json.loads(record.output or "null")) == ("SUCCEEDED", {"attempts": "retried"})
    types = [event["type"] for event in deployment.store.history(arn)]
    assert types.count("LambdaFunctionFailed") == 1
    assert types.count("LambdaFunctionScheduled") == 2
    # The interval was re-dispatched with the failed task's own Task.retry(countdown=...), not a new task.
    retries = [(retried, kwargs) for name, retried, kwargs in published if name == "sfn.run_task" and retried]
    assert [retried for retried, _ in retries] == [1]
    assert set(retries[0][1]) == {"timer_id"}


def test_a_distributed_map_runs_child_executions_on_the_workers(deployment: Deployment) -> None:
    items = list(range(300))
    definition = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "MaxConcurrency": 50,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "Input",
                    "States": {
                        "Input": {"Type": "Task", "Resource": function("execution_input"), "End": True}
                    },
                },
                "End": True,
            }
        },
    }
    arn = deployment.start(definition, {"items": items})

    record = deployment.finished(arn, timeout=120)

    assert record.status == "SUCCEEDED"
    assert json.loads(record.output or "null") == items  # each child execution's input is its item
    children = [e for e in deployment.store.list_executions() if e.map_run_arn is not None]
    assert len(children) == 300
    assert {child.status for child in children} == {"SUCCEEDED"}


def test_callbacks_and_activities_reach_distributed_executions(
    deployment: Deployment, tmp_path: Path
) -> None:
    service = StepFunctionsService(deployment.store, deployment.runtime)
    activity = service.create_activity({"name": "review"})["activityArn"]
    inbox = tmp_path / "inbox"
    definition = {
        "StartAt": "Approve",
        "States": {
            "Approve": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {
                    "FunctionName": "hand_out",
                    "Payload": {"inbox": str(inbox), "token.$": "$$.Task.Token"},
                },
                "ResultPath": "$.approval",
                "Next": "Review",
            },
            "Review": {"Type": "Task", "Resource": activity, "HeartbeatSeconds": 30, "End": True},
        },
    }
    arn = deployment.start(definition, {"doc": 7})
    deadline = time.monotonic() + 30
    while not inbox.exists() or not inbox.read_text():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    while "TaskSubmitted" not in [e["type"] for e in deployment.store.history(arn)]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    service.send_task_success({"taskToken": inbox.read_text(), "output": '"yes"'})

    task = service.get_activity_task({"activityArn": activity, "workerName": "w1"})
    assert json.loads(task["input"]) == {"doc": 7, "approval": "yes"}
    service.send_task_heartbeat({"taskToken": task["taskToken"]})
    service.send_task_success({"taskToken": task["taskToken"], "output": '{"reviewed": true}'})

    record = deployment.finished(arn)
    assert (record.status, json.loads(record.output or "null")) == ("SUCCEEDED", {"reviewed": True})
    types = [event["type"] for event in deployment.store.history(arn)]
    assert types.count("TaskSubmitted") == 1
    assert types[-5:] == [
        "ActivityScheduled",
        "ActivityStarted",
        "ActivitySucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    with pytest.raises(ApiError) as used:
        service.send_task_success({"taskToken": task["taskToken"], "output": "{}"})
    assert used.value.code == "TaskTimedOut"
