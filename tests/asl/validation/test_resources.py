"""EXPRESS machines refuse callbacks, ``.sync`` jobs and activities, nested states included."""

from __future__ import annotations

import pytest

from orchestrator.asl.validate import validate_definition
from tests.asl.validation.builders import machine, problems


def task(resource: str) -> dict[str, object]:
    return {"Type": "Task", "Resource": resource, "End": True}


@pytest.mark.parametrize(
    ("resource", "message"),
    [
        (
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Express state machine does not support '.waitForTaskToken' service integration ",
        ),
        (
            "arn:aws:states:::states:startExecution.sync:2",
            "Express state machine does not support '.sync' service integration ",
        ),
        (
            "arn:aws:states:us-east-1:111111111111:activity:work",
            "Express state machine does not support Activity ARN",
        ),
    ],
)
def test_express_machines_refuse_waiting_integrations(resource: str, message: str) -> None:
    definition = machine(("S", task(resource)))

    assert problems(definition, "EXPRESS") == [("SCHEMA_VALIDATION_FAILED", message, "/States/S/Resource")]
    assert validate_definition(definition, state_machine_type="STANDARD") == []


def test_nested_tasks_of_express_machines_are_checked_too() -> None:
    branch = {"StartAt": "T", "States": {"T": task("arn:aws:states:::lambda:invoke.waitForTaskToken")}}
    definition = machine(("P", {"Type": "Parallel", "Branches": [branch], "End": True}))

    assert [location for _, _, location in problems(definition, "EXPRESS")] == [
        "/States/P/Branches[0]/States/T/Resource"
    ]


def test_request_response_integrations_are_fine_on_express_machines() -> None:
    assert (
        validate_definition(
            machine(("S", task("arn:aws:states:::lambda:invoke"))), state_machine_type="EXPRESS"
        )
        == []
    )
