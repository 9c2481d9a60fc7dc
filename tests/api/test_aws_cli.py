"""A transcript of AWS CLI commands (``aws stepfunctions ... --endpoint-url``) against ``sfn server``.

The server runs as its own process (``python -m orchestrator.cli server``); each command runs the CLI
(``python -m awscli``) as a user would, with placeholder credentials and no AWS configuration files.
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

import httpx
import pytest

from tests.api.conftest import free_port

pytest.importorskip("awscli")
pytestmark = pytest.mark.slow

ROLE = "arn:aws:iam::123456789012:role/cli"
TASKS = """
from workers import task


@task
def hand_out(event):
    return {"handed_out": True}
"""
CALLBACK = {
    "StartAt": "Approve",
    "States": {
        "Approve": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "hand_out", "Payload": {"token.$": "$$.Task.Token"}},
            "ResultPath": "$.approval",
            "Next": "Done",
        },
        "Done": {"Type": "Succeed"},
    },
}
GREET = {"StartAt": "Hi", "States": {"Hi": {"Type": "Pass", "Parameters": {"hi.$": "$.name"}, "End": True}}}


class Aws:
    """``aws stepfunctions <command> ...`` against one endpoint; answers are parsed JSON."""

    def __init__(self, endpoint_url: str, home: Path) -> None:
        self.endpoint_url = endpoint_url
        self.env = {
            **os.environ,
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": str(home / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
            "AWS_PAGER": "",
            # start-sync-execution and test-state go to "sync-<host>" otherwise (see the README)
            "AWS_DISABLE_HOST_PREFIX_INJECTION": "true",
        }

    def run(self, command: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "awscli",
                "stepfunctions",
                command,
                *args,
                "--endpoint-url",
                self.endpoint_url,
                "--output",
                "json",
            ],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def __call__(self, command: str, *args: str) -> Any:
        done = self.run(command, *args)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if done.stdout.strip() else {}


@pytest.fixture(scope="module")
def aws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Aws]:
    home = tmp_path_factory.mktemp("cli")
    (home / "cli_tasks.py").write_text(TASKS)
    port = free_port()
    with (home / "server.log").open("wb") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "orchestrator.cli",
                "server",
                "--port",
                str(port),
                "--tasks",
                str(home / "cli_tasks.py"),
                "--log-level",
                "warning",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(url + "/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, (home / "server.log").read_text()
            time.sleep(0.1)
        yield Aws(url, home)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)


def finished(aws: Aws, arn: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while (described := aws("describe-execution", "--execution-arn", arn))["status"] == "RUNNING":
        assert time.monotonic() < deadline, "execution did not finish"
        time.sleep(0.1)
    return described  # type: ignore[no-any-return]


def test_given_a_machine_when_driven_by_the_cli_expect_aws_shaped_answers(aws: Aws) -> None:
    created = aws(
        "create-state-machine", "--name", "greet", "--role-arn", ROLE, "--definition", json.dumps(GREET)
    )
    arn = created["stateMachineArn"]
    started = aws(
        "start-execution", "--state-machine-arn", arn, "--name", "first", "--input", '{"name": "cli"}'
    )
    described = finished(aws, started["executionArn"])
    history = aws("get-execution-history", "--execution-arn", started["executionArn"])
    listed = aws("list-executions", "--state-machine-arn", arn, "--status-filter", "SUCCEEDED")
    machines = aws("list-state-machines")
    assert arn == "arn:aws:states:us-east-1:123456789012:stateMachine:greet"
    assert started["executionArn"] == "arn:aws:states:us-east-1:123456789012:execution:greet:first"
    assert (described["status"], json.loads(described["output"])) == ("SUCCEEDED", {"hi": "cli"})
    assert [e["type"] for e in history["events"]] == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    assert [e["name"] for e in listed["executions"]] == ["first"]
    assert "greet" in [m["name"] for m in machines["stateMachines"]]
    assert aws("describe-state-machine", "--state-machine-arn", arn)["definition"] == json.dumps(GREET)


def test_given_a_callback_task_expect_send_task_success_to_finish_it(aws: Aws) -> None:
    arn = aws(
        "create-state-machine", "--name", "approve", "--role-arn", ROLE, "--definition", json.dumps(CALLBACK)
    )["stateMachineArn"]
    execution = aws("start-execution", "--state-machine-arn", arn, "--input", "{}")["executionArn"]
    deadline = time.monotonic() + 30
    while not (
        scheduled := [
            e
            for e in aws("get-execution-history", "--execution-arn", execution)["events"]
            if e["type"] == "TaskScheduled"
        ]
    ):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    token = json.loads(scheduled[0]["taskScheduledEventDetails"]["parameters"])["Payload"]["token"]
    aws("send-task-heartbeat", "--task-token", token)
    aws("send-task-success", "--task-token", token, "--task-output", '{"approved": true}')
    described = finished(aws, execution)
    assert json.loads(described["output"]) == {"approval": {"approved": True}}
    refused = aws.run("send-task-success", "--task-token", token, "--task-output", "{}")
    assert refused.returncode != 0 and "(TaskTimedOut)" in refused.stderr


def test_given_an_express_machine_expect_a_sync_result_and_a_missing_execution_error(aws: Aws) -> None:
    arn = aws(
        "create-state-machine",
        "--name", "quick", "--type", "EXPRESS", "--role-arn", ROLE, "--definition", json.dumps(GREET),
    )["stateMachineArn"]  # fmt: skip
    result = aws("start-sync-execution", "--state-machine-arn", arn, "--input", '{"name": "sync"}')
    assert (result["status"], json.loads(result["output"])) == ("SUCCEEDED", {"hi": "sync"})
    missing = aws.run(
        "describe-execution", "--execution-arn", arn.replace("stateMachine", "execution") + ":x"
    )
    assert missing.returncode != 0 and "ExecutionDoesNotExist" in missing.stderr


def test_given_an_invalid_definition_expect_the_cli_to_show_aws_error(aws: Aws) -> None:
    refused = aws.run("create-state-machine", "--name", "bad", "--role-arn", ROLE, "--definition", "{}")
    assert refused.returncode != 0
    assert "(InvalidDefinition) when calling the CreateStateMachine operation" in refused.stderr


def test_given_an_activity_expect_the_worker_commands(aws: Aws) -> None:
    activity = aws("create-activity", "--name", "review")["activityArn"]
    machine = {"StartAt": "Review", "States": {"Review": {"Type": "Task", "Resource": activity, "End": True}}}
    arn = aws(
        "create-state-machine", "--name", "reviewed", "--role-arn", ROLE, "--definition", json.dumps(machine)
    )["stateMachineArn"]
    execution = aws("start-execution", "--state-machine-arn", arn, "--input", '{"doc": 7}')["executionArn"]
    work = aws("get-activity-task", "--activity-arn", activity, "--worker-name", "cli")
    aws("send-task-success", "--task-token", work["taskToken"], "--task-output", '{"ok": 1}')
    assert json.loads(work["input"]) == {"doc": 7}
    assert json.loads(finished(aws, execution)["output"]) == {"ok": 1}
    assert activity in [a["activityArn"] for a in aws("list-activities")["activities"]]
