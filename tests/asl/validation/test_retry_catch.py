"""Retriers and catchers: ErrorEquals, States.ALL alone and last, number ranges, JitterStrategy."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator.asl.validate import validate_definition
from tests.asl.validation.builders import machine, messages


def task(**fields: Any) -> dict[str, Any]:
    state = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True, **fields}
    handler = [("Handler", {"Type": "Succeed"})] if "Catch" in fields else []
    return machine(("T", state), *handler)


def retry(**fields: Any) -> dict[str, Any]:
    return task(Retry=[{"ErrorEquals": ["States.ALL"], **fields}])


def test_a_full_retrier_is_valid() -> None:
    retrier = {
        "IntervalSeconds": 1,
        "MaxAttempts": 0,
        "BackoffRate": 1.0,
        "MaxDelaySeconds": 5,
        "JitterStrategy": "FULL",
    }
    retriers = [{"ErrorEquals": ["Custom"], **retrier}, {"ErrorEquals": ["States.ALL"]}]
    definition = task(Retry=retriers, Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Handler"}])

    assert validate_definition(definition) == []


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"MaxAttempts": -1},
            "The value of 'MaxAttempts' must be between 0 and 99999999 at /States/T/Retry[0]/MaxAttempts",
        ),
        ({"MaxAttempts": 100000000}, "The value of 'MaxAttempts' must be between 0 and 99999999"),
        ({"IntervalSeconds": 0}, "The value of 'IntervalSeconds' must be between 1 and 99999999"),
        ({"MaxDelaySeconds": 0}, "The value of 'MaxDelaySeconds' must be between 1 and 31622401"),
        ({"BackoffRate": 0.5}, "The value of 'BackoffRate' must be greater than or equal to 1.0"),
        ({"JitterStrategy": "HALF"}, "Value should be one of the following: [FULL, NONE]"),
        ({"MaxAttempts": "3"}, "Expected value of type [INTEGER] at /States/T/Retry[0]/MaxAttempts"),
        ({"Next": "Handler"}, "Field 'Next' is not supported at /States/T/Retry[0]"),
    ],
)
def test_retrier_values(fields: dict[str, Any], expected: str) -> None:
    found = messages(retry(**fields))

    assert any(expected in message for message in found), found


def test_error_equals_is_required_and_not_empty() -> None:
    assert messages(task(Retry=[{}, {"ErrorEquals": []}])) == [
        "SCHEMA_VALIDATION_FAILED: These fields are required: [ErrorEquals] at /States/T/Retry[0]",
        "SCHEMA_VALIDATION_FAILED: The field 'ErrorEquals' must contain at least one error name at "
        "/States/T/Retry[1]/ErrorEquals",
    ]


def test_states_all_must_be_alone_and_last() -> None:
    retriers = [{"ErrorEquals": ["States.ALL", "Custom"]}, {"ErrorEquals": ["Other"]}]

    assert messages(task(Retry=retriers)) == [
        "SCHEMA_VALIDATION_FAILED: 'States.ALL' must appear alone in an 'ErrorEquals' array at "
        "/States/T/Retry[0]/ErrorEquals",
        "SCHEMA_VALIDATION_FAILED: A Retrier with 'States.ALL' in its 'ErrorEquals' must be the last one at "
        "/States/T/Retry[0]",
    ]


def test_a_catcher_needs_error_equals_and_next() -> None:
    found = messages(task(Catch=[{"ResultPath": None, "Foo": 1}]))

    assert found[:2] == [
        "SCHEMA_VALIDATION_FAILED: These fields are required: [ErrorEquals, Next] at /States/T/Catch[0]",
        "SCHEMA_VALIDATION_FAILED: Field 'Foo' is not supported at /States/T/Catch[0]",
    ]


def test_a_catcher_result_path_must_be_a_reference_path(paths: None) -> None:
    catcher = {"ErrorEquals": ["States.ALL"], "Next": "Handler", "ResultPath": "$..error"}

    assert messages(task(Catch=[catcher])) == [
        "SCHEMA_VALIDATION_FAILED: The value for the field 'ResultPath' must be a valid ReferencePath at "
        "/States/T/Catch[0]/ResultPath"
    ]
