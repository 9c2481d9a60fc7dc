"""The embedded runtime end to end: memory store, registered Python tasks, real and skipping clocks.

No assertion here is on elapsed real time; time skipping is checked through the virtual timestamps
the history records.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from orchestrator.runtime.embedded import EmbeddedRuntime
from orchestrator.store.memory import MemoryStore
from orchestrator.store.records import ExecutionRecord
from tests.runtime.records import ACCOUNT, REGION, function, new_execution
from workers.registry import TaskRegistry
from workers.resources import ResourceResolver

DAY = 86_400


@pytest.fixture
def registry() -> TaskRegistry:
    return TaskRegistry()


def make_runtime(registry: TaskRegistry, *, time_skipping: bool) -> EmbeddedRuntime:
    return EmbeddedRuntime(
        MemoryStore(),
        ResourceResolver(registry, region=REGION, account_id=ACCOUNT),
        time_skipping=time_skipping,
    )


@pytest.fixture
def skipping(registry: TaskRegistry) -> Iterator[EmbeddedRuntime]:
    runtime = make_runtime(registry, time_skipping=True)
    yield runtime
    runtime.close()


@pytest.fixture
def real(registry: TaskRegistry) -> Iterator[EmbeddedRuntime]:
    runtime = make_runtime(registry, time_skipping=False)
    yield runtime
    runtime.close()


def start(runtime: EmbeddedRuntime, definition: dict[str, Any], value: Any = None) -> str:
    """Create a state machine and an execution of it in the runtime's store, and launch it."""
    machine, execution = new_execution(definition, value)
    runtime.store.put_state_machine(machine)
    assert runtime.store.create_execution(execution, None)
    runtime.launch(machine, execution)
    return execution.arn


def finished(runtime: EmbeddedRuntime, arn: str) -> ExecutionRecord:
    record = runtime.wait(arn, timeout=10)
    assert record.status != "RUNNING", "the execution did not finish within 10 s"
    return record


def history_types(runtime: EmbeddedRuntime, arn: str) -> list[str]:
    return [event["type"] for event in runtime.store.history(arn)]


def timestamp_of(runtime: EmbeddedRuntime, arn: str, event_type: str) -> float:
    return float(next(e["timestamp"] for e in runtime.store.history(arn) if e["type"] == event_type))


# ---- time skipping ------------------------------------------------------------------------------


def test_a_one_day_wait_finishes_at_once_on_virtual_time(skipping: EmbeddedRuntime) -> None:
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": DAY, "End": True}}}

    arn = start(skipping, definition, {"k": 1})
    record = finished(skipping, arn)

    assert (record.status, json.loads(record.output or "null")) == ("SUCCEEDED", {"k": 1})
    gap = timestamp_of(skipping, arn, "WaitStateExited") - timestamp_of(skipping, arn, "WaitStateEntered")
    assert gap == pytest.approx(DAY, abs=5)
    assert (
        record.stop_date is not None
        and record.stop_date.timestamp() - record.start_date.timestamp() > DAY - 5
    )


def test_retry_intervals_are_skipped_too(skipping: EmbeddedRuntime, registry: TaskRegistry) -> None:
    calls = itertools.count()

    def flaky(event: Any) -> Any:
        if next(calls) < 2:
            raise ConnectionError("try again")
        return "done"

    registry.register("flaky", flaky)
    retry = [{"ErrorEquals": ["ConnectionError"], "IntervalSeconds": 3600, "BackoffRate": 2}]
    definition = {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": function("flaky"), "Retry": retry, "End": True}},
    }

    arn = start(skipping, definition)
    record = finished(skipping, arn)

    assert (record.status, record.output) == ("SUCCEEDED", '"done"')
    gap = timestamp_of(skipping, arn, "ExecutionSucceeded") - timestamp_of(skipping, arn, "ExecutionStarted")
    assert gap == pytest.approx(3600 + 7200, abs=5)


# ---- tasks --------------------------------------------------------------------------------------


def test_a_registered_function_runs_as_a_lambda_task(
    skipping: EmbeddedRuntime, registry: TaskRegistry
) -> None:
    registry.register(
        "greet",
        lambda event, context: {"greeting": f"Hello, {event['name']}!", "state": context["State"]["Name"]},
    )
    definition = {
        "StartAt": "Greet",
        "States": {"Greet": {"Type": "Task", "Resource": function("greet"), "End": True}},
    }

    record = finished(skipping, start(skipping, definition, {"name": "Ada"}))

    assert record.status == "SUCCEEDED"
    assert json.loads(record.output or "null") == {"greeting": "Hello, Ada!", "state": "Greet"}


def test_a_task_that_raises_fails_with_the_exception_class_name(
    skipping: EmbeddedRuntime, registry: TaskRegistry
) -> None:
    class InvoiceRejected(Exception):
        pass

    def reject(event: Any) -> Any:
        raise InvoiceRejected("amount must be positive")

    registry.register("reject", reject)
    definition = {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": function("reject"), "End": True}},
    }

    arn = start(skipping, definition)
    record = finished(skipping, arn)

    assert (record.status, record.error, record.cause) == (
        "FAILED",
        "InvoiceRejected",
        "amount must be positive",
    )
    assert history_types(skipping, arn)[-2:] == ["LambdaFunctionFailed", "ExecutionFailed"]


def test_a_caught_task_failure_continues(skipping: EmbeddedRuntime, registry: TaskRegistry) -> None:
    def divide(event: Any) -> Any:
        return 1 / event["d"]

    registry.register("divide", divide)
    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": function("divide"),
                "Catch": [{"ErrorEquals": ["ZeroDivisionError"], "ResultPath": "$.error", "Next": "Handled"}],
                "End": True,
            },
            "Handled": {"Type": "Pass", "End": True},
        },
    }

    record = finished(skipping, start(skipping, definition, {"d": 0}))

    assert json.loads(record.output or "null") == {
        "d": 0,
        "error": {"Error": "ZeroDivisionError", "Cause": "division by zero"},
    }


def test_a_map_over_100_items_runs_every_item_through_its_task(
    skipping: EmbeddedRuntime, registry: TaskRegistry
) -> None:
    registry.register("square", lambda event: event["n"] * event["n"])
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemSelector": {"n.$": "$$.Map.Item.Value"},
                "ItemProcessor": {
                    "StartAt": "T",
                    "States": {"T": {"Type": "Task", "Resource": function("square"), "End": True}},
                },
                "End": True,
            }
        },
    }

    arn = start(skipping, definition, {"items": list(range(100))})
    record = finished(skipping, arn)

    assert (record.status, json.loads(record.output or "null")) == ("SUCCEEDED", [n * n for n in range(100)])
    types = history_types(skipping, arn)
    assert (types.count("MapIterationSucceeded"), types.count("LambdaFunctionSucceeded")) == (100, 100)
    assert [e["id"] for e in skipping.store.history(arn)] == list(range(1, len(types) + 1))


def test_a_task_timeout_still_fires_while_the_task_runs(
    skipping: EmbeddedRuntime, registry: TaskRegistry
) -> None:
    release = threading.Event()
    registry.register("hang", lambda event: release.wait(10))
    definition = {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": function("hang"), "TimeoutSeconds": 1, "End": True}},
    }

    try:
        arn = start(skipping, definition)
        record = finished(skipping, arn)
    finally:
        release.set()

    assert (record.status, record.error) == ("FAILED", "States.Timeout")
    assert "LambdaFunctionTimedOut" in history_types(skipping, arn)


# ---- stop and wait ------------------------------------------------------------------------------

LONG_WAIT = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}


def test_wait_returns_the_running_record_when_its_timeout_passes(real: EmbeddedRuntime) -> None:
    arn = start(real, LONG_WAIT)

    record = real.wait(arn, timeout=0.2)

    assert (record.status, record.stop_date) == ("RUNNING", None)
    real.stop(arn, None, None)


def test_stop_aborts_a_running_execution(real: EmbeddedRuntime) -> None:
    arn = start(real, LONG_WAIT)

    record = real.stop(arn, "Cancelled", "by the test")

    assert (record.status, record.error, record.cause) == ("ABORTED", "Cancelled", "by the test")
    assert record.stop_date is not None
    assert history_types(real, arn) == ["ExecutionStarted", "WaitStateEntered", "ExecutionAborted"]
    assert real.wait(arn, timeout=0).status == "ABORTED"


def test_stop_while_a_task_runs_ignores_its_late_result(
    real: EmbeddedRuntime, registry: TaskRegistry
) -> None:
    started, release = threading.Event(), threading.Event()

    def slow(event: Any) -> Any:
        started.set()
        release.wait(10)
        return "late"

    registry.register("slow", slow)
    definition = {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": function("slow"), "End": True}},
    }
    arn = start(real, definition)
    assert started.wait(5)

    record = real.stop(arn, None, None)
    release.set()

    assert record.status == "ABORTED"
    assert history_types(real, arn)[-1] == "ExecutionAborted"


def test_stop_of_a_finished_execution_returns_its_record(skipping: EmbeddedRuntime) -> None:
    arn = start(skipping, {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    finished(skipping, arn)

    assert skipping.stop(arn, None, None).status == "SUCCEEDED"


def test_the_history_is_committed_in_order_with_contiguous_ids(skipping: EmbeddedRuntime) -> None:
    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Next": "W"},
            "W": {"Type": "Wait", "Seconds": 60, "Next": "B"},
            "B": {"Type": "Pass", "End": True},
        },
    }

    arn = start(skipping, definition)
    finished(skipping, arn)

    events = skipping.store.history(arn)
    assert [e["id"] for e in events] == list(range(1, 9))
    assert [e["timestamp"] for e in events] == sorted(e["timestamp"] for e in events)


# ---- heartbeats ---------------------------------------------------------------------------------


def test_a_python_task_that_heartbeats_outlives_heartbeat_seconds(
    real: EmbeddedRuntime, registry: TaskRegistry
) -> None:
    from workers import heartbeat

    def patient(value: Any) -> str:
        for _ in range(6):
            threading.Event().wait(0.2)
            heartbeat()
        return "finished"

    registry.register("patient", patient)
    definition = {
        "StartAt": "T",
        "States": {
            "T": {"Type": "Task", "Resource": function("patient"), "HeartbeatSeconds": 1, "End": True}
        },
    }
    record = finished(real, start(real, definition))

    assert (record.status, record.output) == ("SUCCEEDED", '"finished"')


def test_a_silent_python_task_times_out_on_heartbeat_seconds(
    real: EmbeddedRuntime, registry: TaskRegistry
) -> None:
    registry.register("silent", lambda value: threading.Event().wait(2.5))
    definition = {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": function("silent"), "HeartbeatSeconds": 1, "End": True}},
    }
    record = finished(real, start(real, definition))

    assert (record.status, record.error) == ("FAILED", "States.HeartbeatTimeout")
