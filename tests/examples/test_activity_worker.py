"""examples/activity_worker: ``start.py`` starts executions, ``worker.py`` (plain boto3) does their tasks."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from orchestrator.client import boto3_client
from tests.examples.conftest import EXAMPLES, run_script

pytestmark = pytest.mark.slow

EXAMPLE = EXAMPLES / "activity_worker"


def finished(sfn: Any, arn: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while (described := sfn.describe_execution(executionArn=arn))["status"] == "RUNNING":
        assert time.monotonic() < deadline, "execution did not finish"
        time.sleep(0.05)
    return described  # type: ignore[no-any-return]


def test_given_two_documents_when_the_worker_runs_expect_one_counted_and_one_caught(
    sfn_server: Callable[..., str],
) -> None:
    url = sfn_server()
    started = json.loads(run_script(EXAMPLE / "start.py", "--endpoint-url", url, "documents.json"))
    done = run_script(
        EXAMPLE / "worker.py",
        "--endpoint-url",
        url,
        "--activity-arn",
        started["activityArn"],
        "--max-tasks",
        "2",
    )
    sfn = boto3_client(url)
    counted, empty = (json.loads(finished(sfn, arn)["output"]) for arn in started["executions"])
    assert done.strip() == "2 task(s) done"
    assert counted == {"title": "ASL", "words": 9, "paragraphs": [3, 6]}
    assert empty["failure"] == {"Error": "ValueError", "Cause": "the document has no paragraphs"}
    history = sfn.get_execution_history(executionArn=started["executions"][0])["events"]
    types = [e["type"] for e in history]
    assert types[:5] == [
        "ExecutionStarted",
        "TaskStateEntered",
        "ActivityScheduled",
        "ActivityStarted",
        "ActivitySucceeded",
    ]
