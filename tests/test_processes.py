"""The distributed deployment as an operator runs it: ``sfn server --redis``, two ``sfn coordinator`` and an
``sfn worker`` (prefork) as separate processes, driven with boto3; then parts of it are killed.

No assertion is on elapsed time: tests wait (with generous deadlines) for executions to end.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import redis
from botocore.config import Config

from tests.api.conftest import free_port
from tests.redis_server import database_url

pytestmark = [pytest.mark.redis, pytest.mark.slow]

PROCESS_TESTS_DB = 3
TASKS = str(Path(__file__).parent / "runtime" / "sample_tasks.py")
ROLE = "arn:aws:iam::123456789012:role/test"


def function(name: str) -> str:
    return f"arn:aws:lambda:us-east-1:123456789012:function:{name}"


class Processes:
    def __init__(self, url: str, log_dir: Path) -> None:
        self.url = url
        self.log_dir = log_dir
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        with (self.log_dir / f"{name}.log").open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "orchestrator.cli", *args], stdout=log, stderr=subprocess.STDOUT
            )
        self.running[name] = process
        return process

    def kill(self, name: str) -> None:
        process = self.running.pop(name)
        process.kill()
        process.wait(10)

    def stop_all(self) -> None:
        for process in self.running.values():
            process.send_signal(signal.SIGTERM)
        for process in self.running.values():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        self.running.clear()


@pytest.fixture
def deployment(redis_url: str, tmp_path: Path) -> Iterator[tuple[Processes, Any]]:
    url = database_url(redis_url, PROCESS_TESTS_DB)
    with redis.Redis.from_url(url) as client:
        client.flushdb()
    processes = Processes(url, tmp_path)
    port = free_port()
    try:
        processes.start("server", "server", "--redis", url, "--port", str(port), "--tasks", TASKS)
        for name in ("coordinator-a", "coordinator-b"):
            processes.start(name, "coordinator", "--redis", url, "--lease-seconds", "2")
        processes.start(
            "worker",
            "worker",
            "--redis",
            url,
            "--tasks",
            TASKS,
            "--concurrency",
            "2",
            "--visibility-timeout",
            "5",
        )
        sfn = boto3.client(
            "stepfunctions",
            endpoint_url=f"http://127.0.0.1:{port}",
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
            config=Config(retries={"max_attempts": 1}),
        )
        _wait_until(lambda: _answers(sfn), 30, "the server did not start")
        yield processes, sfn
    finally:
        processes.stop_all()
        for log in sorted(tmp_path.glob("*.log")):
            text = log.read_text(errors="replace")
            if "Traceback" in text:
                print(f"---- {log.name}\n{text[-4000:]}", file=sys.stderr)


def _answers(sfn: Any) -> bool:
    try:
        sfn.list_state_machines()
    except Exception:
        return False
    return True


def _wait_until(condition: Any, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.1)


def _run(sfn: Any, definition: dict[str, Any], value: Any) -> str:
    machine = sfn.create_state_machine(
        name=f"m{time.monotonic_ns()}", definition=json.dumps(definition), roleArn=ROLE
    )
    return str(
        sfn.start_execution(stateMachineArn=machine["stateMachineArn"], input=json.dumps(value))[
            "executionArn"
        ]
    )


def _finished(sfn: Any, arn: str, timeout: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        described: dict[str, Any] = sfn.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING" or time.monotonic() > deadline:
            return described
        time.sleep(0.2)


def test_boto3_runs_a_workflow_across_server_coordinators_and_workers(
    deployment: tuple[Processes, Any],
) -> None:
    _, sfn = deployment
    definition = {
        "StartAt": "Add",
        "States": {
            "Add": {"Type": "Task", "Resource": function("add"), "Next": "Wait"},
            "Wait": {"Type": "Wait", "Seconds": 1, "Next": "Double"},
            "Double": {"Type": "Task", "Resource": function("double"), "End": True},
        },
    }
    arn = _run(sfn, definition, {"a": 20, "b": 1})

    described = _finished(sfn, arn)

    assert (described["status"], described.get("output")) == ("SUCCEEDED", "42")
    events = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
    assert [event["id"] for event in events] == list(range(1, len(events) + 1))


def test_a_killed_worker_process_gets_its_task_delivered_again(
    deployment: tuple[Processes, Any], tmp_path: Path
) -> None:
    _, sfn = deployment
    pid_file = tmp_path / "pids"
    definition = {
        "StartAt": "Slow",
        "States": {"Slow": {"Type": "Task", "Resource": function("record_pid_then_sleep"), "End": True}},
    }
    arn = _run(sfn, definition, {"pid_file": str(pid_file), "seconds": 30})
    _wait_until(pid_file.exists, 60, "the task never started")

    os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)  # the pool process running the task dies
    described = _finished(sfn, arn)

    assert (described["status"], described.get("output")) == ("SUCCEEDED", '"done"')
    assert len(pid_file.read_text().split()) == 2  # ran twice: once killed, once to the end
    events = sfn.get_execution_history(executionArn=arn)["events"]
    assert [event["type"] for event in events].count("LambdaFunctionSucceeded") == 1


def test_the_executions_of_a_killed_coordinator_are_taken_over(deployment: tuple[Processes, Any]) -> None:
    processes, sfn = deployment
    definition = {
        "StartAt": "Wait",
        "States": {
            "Wait": {"Type": "Wait", "Seconds": 2, "Next": "Double"},
            "Double": {"Type": "Task", "Resource": function("double"), "End": True},
        },
    }
    arns = [_run(sfn, definition, n) for n in range(6)]
    processes.kill("coordinator-a")

    outcomes = [_finished(sfn, arn) for arn in arns]

    assert [(o["status"], o.get("output")) for o in outcomes] == [("SUCCEEDED", str(2 * n)) for n in range(6)]
