"""Metrics of a distributed deployment as an operator runs it: ``sfn server --redis``, ``sfn coordinator
--metrics-port`` and ``sfn worker --pool prefork --metrics-port`` as separate processes; every process's
``/metrics`` is scraped during a workflow run and parsed with prometheus-client's own parser.

Counts are checked against the executions run: summed over the processes (a step is committed by a
coordinator or by the worker pool process that ran its task, once), and under the prefork pool (its pool
processes' counts reach the worker's ``/metrics`` through the multiprocess directory).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
import redis
from botocore.config import Config
from prometheus_client.parser import text_string_to_metric_families

from tests.api.conftest import free_port
from tests.redis_server import database_url
from tests.test_processes import ROLE, TASKS, Processes, function

pytestmark = [pytest.mark.redis, pytest.mark.slow, pytest.mark.timeout(180)]

METRICS_TESTS_DB = 4
EXECUTIONS = 4

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


class Deployment:
    def __init__(self, processes: Processes, sfn: Any, ports: dict[str, int]) -> None:
        self.processes = processes
        self.sfn = sfn
        self.ports = ports

    def get(self, process: str, path: str) -> httpx.Response:
        return httpx.get(f"http://127.0.0.1:{self.ports[process]}{path}", timeout=5)

    def scrape(self, process: str) -> Samples:
        """Every sample of one process's /metrics, by (name, sorted labels)."""
        text = self.get(process, "/metrics").text
        return {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
        }

    def total(self, name: str, **labels: str) -> float:
        """A metric summed over the processes and over the labels not given."""
        return sum(
            value
            for process in self.ports
            for (sample, sample_labels), value in self.scrape(process).items()
            if sample == name and set(labels.items()) <= set(sample_labels)
        )


@pytest.fixture
def deployment(redis_url: str, tmp_path: Path) -> Iterator[Deployment]:
    url = database_url(redis_url, METRICS_TESTS_DB)
    with redis.Redis.from_url(url) as client:
        client.flushdb()
    processes = Processes(url, tmp_path)
    ports = {name: free_port() for name in ("server", "coordinator", "worker")}
    try:
        processes.start("server", "server", "--redis", url, "--port", str(ports["server"]), "--tasks", TASKS)
        processes.start(
            "coordinator", "coordinator", "--redis", url, "--metrics-port", str(ports["coordinator"])
        )
        processes.start(
            "worker",
            "worker",
            "--redis",
            url,
            "--tasks",
            TASKS,
            "--pool",
            "prefork",
            "--concurrency",
            "2",
            "--metrics-port",
            str(ports["worker"]),
        )
        sfn = boto3.client(
            "stepfunctions",
            endpoint_url=f"http://127.0.0.1:{ports['server']}",
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
            config=Config(retries={"max_attempts": 1}),
        )
        running = Deployment(processes, sfn, ports)
        _wait_until(lambda: _all_answer(running), 30, "the processes did not start serving")
        yield running
    finally:
        processes.stop_all()


def _all_answer(deployment: Deployment) -> bool:
    try:
        deployment.sfn.list_state_machines()
        return all(deployment.get(name, "/healthz").status_code == 200 for name in ("coordinator", "worker"))
    except Exception:
        return False


def _wait_until(condition: Callable[[], bool], timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.2)


def _finished(sfn: Any, arn: str, timeout: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        described: dict[str, Any] = sfn.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING" or time.monotonic() > deadline:
            return described
        time.sleep(0.2)


def _machine(sfn: Any, name: str, definition: dict[str, Any]) -> str:
    created = sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)
    return str(created["stateMachineArn"])


RETRYING = {
    "StartAt": "Add",
    "States": {
        "Add": {"Type": "Task", "Resource": function("add"), "ResultPath": "$.sum", "Next": "Flaky"},
        "Flaky": {
            "Type": "Task",
            "Resource": function("flaky"),
            "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 2}],
            "End": True,
        },
    },
}
FAILING = {"StartAt": "Fail", "States": {"Fail": {"Type": "Fail", "Error": "Boom", "Cause": "on purpose"}}}


def test_scraped_counts_match_the_executions_run_under_the_prefork_pool(
    deployment: Deployment, tmp_path: Path
) -> None:
    # given a machine whose second task fails once and is retried, and one that fails
    sfn = deployment.sfn
    retrying = _machine(sfn, "metrics-retrying", RETRYING)
    failing = _machine(sfn, "metrics-failing", FAILING)

    # when both run a few times across the server, the coordinator and the prefork worker
    arns = [
        sfn.start_execution(
            stateMachineArn=retrying,
            input=json.dumps({"a": n, "b": 1, "marker": str(tmp_path / f"marker-{n}")}),
        )["executionArn"]
        for n in range(EXECUTIONS)
    ]
    failed = sfn.start_execution(stateMachineArn=failing)["executionArn"]
    assert [_finished(sfn, arn)["status"] for arn in arns] == ["SUCCEEDED"] * EXECUTIONS
    assert _finished(sfn, failed)["status"] == "FAILED"

    # expect every count, summed over the processes' /metrics, to match what ran
    expected = {
        ("sfn_executions_started_total", "metrics-retrying"): EXECUTIONS,
        ("sfn_executions_succeeded_total", "metrics-retrying"): EXECUTIONS,
        ("sfn_executions_started_total", "metrics-failing"): 1,
        ("sfn_executions_failed_total", "metrics-failing"): 1,
        ("sfn_execution_duration_seconds_count", "metrics-retrying"): EXECUTIONS,
    }

    def counted() -> dict[tuple[str, str], float]:
        return {key: deployment.total(key[0], state_machine=key[1]) for key in expected}

    _wait_until(lambda: counted() == expected, 30, f"counted {counted()}, expected {expected}")
    assert deployment.total("sfn_state_transitions_total", state_machine="metrics-retrying") == 2 * EXECUTIONS
    assert deployment.total("sfn_tasks_scheduled_total", resource="add") == EXECUTIONS
    assert deployment.total("sfn_tasks_scheduled_total", resource="flaky") == 2 * EXECUTIONS
    assert deployment.total("sfn_tasks_failed_total", resource="flaky") == EXECUTIONS
    assert deployment.total("sfn_tasks_retried_total", resource="flaky") == EXECUTIONS
    assert deployment.total("sfn_tasks_succeeded_total", resource="add") == EXECUTIONS
    assert deployment.total("sfn_tasks_succeeded_total", resource="flaky") == EXECUTIONS
    # run time and queue wait are observed by the pool processes, served by the worker's parent
    worker = deployment.scrape("worker")
    runs = sum(v for (name, _), v in worker.items() if name == "sfn_task_run_seconds_count")
    assert runs == 3 * EXECUTIONS
    waits = worker[("sfn_task_queue_wait_seconds_count", (("queue", "sfn-tasks"),))]
    assert waits == 3 * EXECUTIONS
    # the API server counts its requests; server and coordinator read the queues from Redis
    server = deployment.scrape("server")
    started = server[("sfn_api_requests_total", (("action", "StartExecution"), ("code", "200")))]
    assert started == EXECUTIONS + 1
    assert ("sfn_queue_depth", (("queue", "sfn-tasks"),)) in server
    assert ("sfn_queue_depth", (("queue", "sfn-timers"),)) in deployment.scrape("coordinator")
    assert deployment.total("sfn_coordinator_rounds_total") > 0


def test_probes_answer_on_the_metrics_port(deployment: Deployment) -> None:
    # given a running coordinator and worker; when probed; expect alive and ready (Redis answers)
    for process in ("coordinator", "worker"):
        assert deployment.get(process, "/healthz").status_code == 200
        assert deployment.get(process, "/readyz").status_code == 200
        assert deployment.get(process, "/nowhere").status_code == 404
