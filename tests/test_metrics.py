"""Unit tests of orchestrator.metrics: labels, counting one commit's events, the Redis collector and the
metrics port (``/metrics``, ``/healthz``, ``/readyz``)."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest
import redis
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from orchestrator import metrics
from tests.api.conftest import free_port
from tests.redis_server import database_url

_numbers = itertools.count()
ARN = "arn:aws:states:us-east-1:123456789012:execution:{machine}:run"


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def unique(prefix: str) -> str:
    return f"{prefix}{next(_numbers)}"


def test_labels_are_bounded_names() -> None:
    assert metrics.state_machine_of(ARN.format(machine="Orders")) == "Orders"
    express = "arn:aws:states:us-east-1:1:express:Orders:run:4f0c"
    assert metrics.state_machine_of(express) == "Orders"
    assert metrics.resource_label("arn:aws:lambda:us-east-1:1:function:resize") == "resize"
    assert metrics.resource_label("arn:aws:states:::lambda:invoke") == "arn:aws:states:::lambda:invoke"
    assert metrics.resource_label("arn:aws:states:eu-west-1:1:activity:review") == (
        "arn:aws:states:::activity:review"
    )
    assert metrics.resource_label("whatever") == "unknown"


def test_a_retry_is_a_scheduled_event_after_a_failed_attempt() -> None:
    # given a commit that enters a task state, fails it, and schedules it again (interval 0)
    machine, function = unique("M"), unique("fn")
    resource = {"resource": f"arn:aws:lambda:us-east-1:1:function:{function}"}
    events: list[dict[str, Any]] = [
        {"id": 1, "previousEventId": 0, "type": "ExecutionStarted"},
        {"id": 2, "previousEventId": 0, "type": "TaskStateEntered"},
        {"id": 3, "previousEventId": 2, "type": "LambdaFunctionScheduled"}
        | {"lambdaFunctionScheduledEventDetails": resource},
        {"id": 4, "previousEventId": 3, "type": "LambdaFunctionStarted"},
        {"id": 5, "previousEventId": 4, "type": "LambdaFunctionFailed"},
        {"id": 6, "previousEventId": 5, "type": "LambdaFunctionScheduled"}
        | {"lambdaFunctionScheduledEventDetails": resource},
    ]

    # when it is counted
    metrics.record_committed(ARN.format(machine=machine), events)

    # expect two schedules, one of them a retry, and the unnamed events labelled through the chain
    assert value("sfn_executions_started_total", state_machine=machine) == 1
    assert value("sfn_state_transitions_total", state_machine=machine, state_type="Task") == 1
    assert value("sfn_tasks_scheduled_total", resource=function) == 2
    assert value("sfn_tasks_retried_total", resource=function) == 1
    assert value("sfn_tasks_started_total", resource=function) == 1
    assert value("sfn_tasks_failed_total", resource=function) == 1


def test_a_later_commit_of_the_same_process_resolves_the_resource() -> None:
    # given the scheduled and started events committed first, the outcome in a later commit
    machine, function = unique("M"), unique("fn")
    arn = ARN.format(machine=machine)
    scheduled = {"resource": f"arn:aws:lambda:us-east-1:1:function:{function}"}
    metrics.record_committed(
        arn,
        [
            {"id": 3, "previousEventId": 2, "type": "LambdaFunctionScheduled"}
            | {"lambdaFunctionScheduledEventDetails": scheduled},
            {"id": 4, "previousEventId": 3, "type": "LambdaFunctionStarted"},
        ],
    )

    # when the outcome is committed
    metrics.record_committed(arn, [{"id": 5, "previousEventId": 4, "type": "LambdaFunctionSucceeded"}])

    # expect it counted under the function
    assert value("sfn_tasks_succeeded_total", resource=function) == 1


def test_an_outcome_whose_task_another_process_scheduled_takes_the_waiting_tasks_resource() -> None:
    # given a coordinator applying an outcome posted by a worker: it knows the running task's resource
    machine, function = unique("M"), unique("fn")
    arn = ARN.format(machine=machine)

    metrics.record_committed(
        arn,
        [{"id": 9, "previousEventId": 8, "type": "LambdaFunctionSucceeded"}],
        waiting={8: f"arn:aws:lambda:us-east-1:1:function:{function}"},
    )

    assert value("sfn_tasks_succeeded_total", resource=function) == 1


def test_a_service_integration_event_names_its_resource() -> None:
    machine = unique("M")
    details = {"resourceType": "sqs", "resource": "sendMessage.waitForTaskToken"}
    before = value("sfn_tasks_timed_out_total", resource="arn:aws:states:::sqs:sendMessage.waitForTaskToken")

    metrics.record_committed(
        ARN.format(machine=machine),
        [{"id": 9, "previousEventId": 8, "type": "TaskTimedOut", "taskTimedOutEventDetails": details}],
    )

    after = value("sfn_tasks_timed_out_total", resource="arn:aws:states:::sqs:sendMessage.waitForTaskToken")
    assert after == before + 1


def test_counting_never_raises() -> None:
    metrics.record_committed(ARN.format(machine="M"), [{"id": "x"}], finished=object())


@pytest.mark.redis
def test_the_redis_collector_reads_queues_timers_and_activity_tasks(redis_url: str) -> None:
    # given two waiting messages, a due timer and one waiting activity task
    url = database_url(redis_url, 5)
    client = redis.Redis.from_url(url)
    client.flushdb()
    client.rpush("sfn-tasks", "a", "b")
    client.zadd("sfn:timers", {'["arn", "t1"]': 1.0, '["arn", "t2"]': 9e12})
    activity = "arn:aws:states:us-east-1:1:activity:review"
    client.hset("sfn:activities", activity, "{}")
    client.rpush(f"sfn:activity-tasks:{activity}", "{}")

    # when scraped
    collector = metrics.RedisCollector(url, ["sfn-tasks", "sfn-timers"])
    body, _ = metrics.exposition([collector])
    samples = {
        (s.name, tuple(s.labels.values())): s.value
        for family in text_string_to_metric_families(body.decode())
        for s in family.samples
    }

    # expect each read as a gauge
    assert samples[("sfn_queue_depth", ("sfn-tasks",))] == 2
    assert samples[("sfn_queue_depth", ("sfn-timers",))] == 0
    assert samples[("sfn_timers_due", ())] == 1
    assert samples[("sfn_activity_tasks_waiting", ("review",))] == 1
    assert collector.ping()
    client.close()


def test_the_metrics_port_serves_metrics_and_probes() -> None:
    # given a metrics port whose readiness check fails
    port = free_port()
    server = metrics.serve_metrics(port, host="127.0.0.1", ready=lambda: False)
    try:
        # when probed; expect metrics, alive, not ready
        scraped = httpx.get(f"http://127.0.0.1:{port}/metrics")
        assert scraped.status_code == 200 and "sfn_executions_started_total" in scraped.text
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 503
    finally:
        server.shutdown()
        server.server_close()


def test_an_unreachable_redis_is_not_ready() -> None:
    collector = metrics.RedisCollector(f"redis://127.0.0.1:{free_port()}/0", ["sfn-tasks"])
    assert not collector.ping()
    assert list(collector.collect()) == []


def test_a_process_that_exports_nothing_records_nothing() -> None:
    machine = unique("M")
    arn = ARN.format(machine=machine)
    metrics.set_recording(False)
    try:
        metrics.record_committed(arn, [{"id": 1, "previousEventId": 0, "type": "ExecutionStarted"}])
    finally:
        metrics.set_recording(True)

    assert value("sfn_executions_started_total", state_machine=machine) == 0
