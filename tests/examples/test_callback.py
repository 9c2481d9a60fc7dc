"""examples/callback: a ``.waitForTaskToken`` task completed by ``approve.py`` with boto3."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from orchestrator.client import boto3_client
from tests.examples.conftest import EXAMPLES, run_script

pytestmark = pytest.mark.slow

EXAMPLE = EXAMPLES / "callback"
ROLE = "arn:aws:iam::123456789012:role/any"


def finished(sfn: Any, arn: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while (described := sfn.describe_execution(executionArn=arn))["status"] == "RUNNING":
        assert time.monotonic() < deadline, "execution did not finish"
        time.sleep(0.05)
    return described  # type: ignore[no-any-return]


def test_given_waiting_orders_when_approved_and_rejected_expect_shipped_and_cancelled(
    sfn_server: Callable[..., str], tmp_path: Path
) -> None:
    url = sfn_server("--tasks", str(EXAMPLE / "tasks.py"))
    sfn = boto3_client(url)
    machine = sfn.create_state_machine(
        name="approval", roleArn=ROLE, definition=(EXAMPLE / "machine.asl.json").read_text()
    )["stateMachineArn"]
    outbox = str(tmp_path / "approvals")
    started = {
        order: sfn.start_execution(
            stateMachineArn=machine, input=json.dumps({"order": order, "outbox": outbox})
        )["executionArn"]
        for order in ("42", "43")
    }
    answer = [EXAMPLE / "approve.py", "--endpoint-url", url, "--outbox", outbox, "--order"]
    approved = run_script(*answer, "42", "--approver", "ana")
    rejected = run_script(*answer, "43", "--reject", "out of stock")
    assert approved.strip() == "order 42 approved by ana" and rejected.strip() == "order 43 rejected"
    shipped, cancelled = (finished(sfn, started[order]) for order in ("42", "43"))
    assert json.loads(shipped["output"]) == {"order": "42", "shipped": True, "approvedBy": "ana"}
    assert json.loads(cancelled["output"]) == {"order": "43", "shipped": False, "reason": "out of stock"}
    history = sfn.get_execution_history(executionArn=started["42"])["events"]
    assert "TaskSubmitted" in [e["type"] for e in history]
