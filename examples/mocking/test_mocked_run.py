"""A mocked test written for AWS Step Functions Local, run unchanged on the embedded engine.

Run it with ``python -m pytest examples/mocking``. Against Step Functions Local or ``sfn server
--mock-config MockConfigFile.json`` the same requests go through ``boto3.client("stepfunctions",
endpoint_url=...)``; here they go to the service in this process (``service.dispatch``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from orchestrator.service import StepFunctionsService
from orchestrator.service.embedded import embedded_service

HERE = Path(__file__).parent


@pytest.fixture
def service() -> Iterator[StepFunctionsService]:
    # time_skipping: the retries' waits (2 s, 4 s, 8 s) pass at once.
    service = embedded_service(mock_config=HERE / "MockConfigFile.json", time_skipping=True)
    yield service
    service.close()


@pytest.fixture
def machine_arn(service: StepFunctionsService) -> str:
    created = service.dispatch(
        "CreateStateMachine",
        {
            "name": "LambdaSQSIntegration",
            "definition": (HERE / "machine.asl.json").read_text(),
            "roleArn": "arn:aws:iam::123456789012:role/DummyRole",
        },
    )
    return str(created["stateMachineArn"])


def execute(
    service: StepFunctionsService, state_machine_arn: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    started = service.dispatch("StartExecution", {"stateMachineArn": state_machine_arn, "input": "{}"})
    service.runtime.wait(started["executionArn"], timeout=30)
    described = service.dispatch("DescribeExecution", {"executionArn": started["executionArn"]})
    history = service.dispatch("GetExecutionHistory", {"executionArn": started["executionArn"]})
    return described, history["events"]


def test_happy_path(service: StepFunctionsService, machine_arn: str) -> None:
    described, _ = execute(service, f"{machine_arn}#HappyPath")
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"])["MessageId"] == "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"


def test_retry_path(service: StepFunctionsService, machine_arn: str) -> None:
    described, events = execute(service, f"{machine_arn}#RetryPath")
    assert described["status"] == "SUCCEEDED"
    errors = [e["taskFailedEventDetails"]["error"] for e in events if e["type"] == "TaskFailed"]
    assert errors == [
        "Lambda.ResourceNotReadyException",
        "Lambda.TimeoutException",
        "Lambda.TimeoutException",
    ]
