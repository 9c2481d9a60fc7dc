"""State types, the fields each may carry per query language, Next/End, Task timers, Wait, Fail, Parallel."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator.asl.validate import validate_definition
from tests.asl.validation.builders import machine, messages, pass_state

TASK = "arn:aws:states:::lambda:invoke"


def one(state: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return machine(("S", state), **fields)


def task(**fields: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": TASK, "End": True, **fields}


def test_a_state_needs_a_known_type() -> None:
    definition = machine(("A", {"Type": "Pass", "Next": "B"}), ("B", {"End": True}), ("C", {"Type": "Sleep"}))

    assert messages(definition)[:2] == [
        "SCHEMA_VALIDATION_FAILED: These fields are required: [Type] at /States/B",
        "SCHEMA_VALIDATION_FAILED: Value should be one of the following: "
        "[Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map] at /States/C/Type",
    ]


def test_fields_outside_the_state_type_are_not_supported() -> None:
    definition = one({"Type": "Succeed", "Next": "X", "Message.$": "$.m"})

    assert messages(definition) == [
        "SCHEMA_VALIDATION_FAILED: Field 'Next' is not supported at /States/S",
        "SCHEMA_VALIDATION_FAILED: Field 'Message.$' is not supported at /States/S",
    ]


def test_jsonpath_fields_in_a_jsonata_state_use_the_query_language_wording() -> None:
    definition = one(pass_state(QueryLanguage="JSONata", InputPath="$", Output={"a": 1}))

    assert messages(definition) == [
        "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field 'InputPath' is only "
        "supported for the 'JSONPath' QueryLanguage at /States/S",
    ]


def test_jsonata_fields_in_a_jsonpath_state_use_the_query_language_wording() -> None:
    definition = one(task(Arguments={"FunctionName": "f"}))

    assert messages(definition) == [
        "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONPath', but field 'Arguments' is only "
        "supported for the 'JSONata' QueryLanguage at /States/S",
    ]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"Type": "Pass"}, "These fields are required: [Next, End] at /States/S"),
        (
            {"Type": "Pass", "Next": "S", "End": True},
            "Only one of the fields 'Next' or 'End' can be set at /States/S",
        ),
        ({"Type": "Pass", "End": False}, "The value for the field 'End' must be true at /States/S/End"),
        ({"Type": "Pass", "End": "yes"}, "Expected value of type [BOOLEAN] at /States/S/End"),
    ],
)
def test_non_terminal_states_need_exactly_one_of_next_and_end(state: dict[str, Any], expected: str) -> None:
    definition = machine(("S", state), ("Done", {"Type": "Succeed"}))

    assert f"SCHEMA_VALIDATION_FAILED: {expected}" in messages(definition)


def test_a_task_needs_a_resource_arn() -> None:
    assert messages(one({"Type": "Task", "End": True})) == [
        "SCHEMA_VALIDATION_FAILED: These fields are required: [Resource] at /States/S"
    ]
    assert messages(one(task(Resource="lambda"))) == [
        "SCHEMA_VALIDATION_FAILED: The resource provided lambda is not recognized. The value is not a valid "
        "resource ARN, or the resource is not available in this region. at /States/S/Resource"
    ]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"TimeoutSeconds": 0},
            "The value for the field 'TimeoutSeconds' must be greater than or equal to 1",
        ),
        ({"TimeoutSeconds": 1.5}, "Expected value of type [INTEGER]"),
        (
            {"HeartbeatSeconds": 100000000},
            "The value for the field 'HeartbeatSeconds' must be smaller than or equal",
        ),
        (
            {"TimeoutSeconds": 5, "HeartbeatSeconds": 5},
            "HeartbeatSeconds must be smaller than TimeoutSeconds",
        ),
        ({"TimeoutSeconds": 5, "TimeoutSecondsPath": "$.t"}, "Only one of the fields 'TimeoutSeconds' or"),
    ],
)
def test_task_timeouts_and_heartbeats(fields: dict[str, Any], expected: str) -> None:
    found = messages(one(task(**fields)))

    assert any(expected in message for message in found), found


def test_jsonata_tasks_may_compute_their_timeouts() -> None:
    state = task(
        QueryLanguage="JSONata", TimeoutSeconds="{% $states.input.t %}", Arguments="{% $states.input %}"
    )

    assert validate_definition(one(state)) == []


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {},
            "Exactly one of the fields [Seconds, SecondsPath, Timestamp, TimestampPath] must be set at /States/S",
        ),
        ({"Seconds": 1, "Timestamp": "2016-03-14T01:59:00Z"}, "Exactly one of the fields"),
        (
            {"Seconds": -1},
            "The value for the field 'Seconds' must be greater than or equal to 0 at /States/S/Seconds",
        ),
        ({"Timestamp": "2016-03-14 01:59:00"}, "must be a valid timestamp at /States/S/Timestamp"),
        ({"Timestamp": "2016-13-14T01:59:00Z"}, "must be a valid timestamp at /States/S/Timestamp"),
    ],
)
def test_wait_states(fields: dict[str, Any], expected: str) -> None:
    found = messages(one({"Type": "Wait", "End": True, **fields}))

    assert any(expected in message for message in found), found


@pytest.mark.parametrize("timestamp", ["2016-03-14T01:59:00Z", "2016-03-14T01:59:00.123+02:00"])
def test_wait_timestamps_may_carry_fractions_and_offsets(timestamp: str) -> None:
    assert validate_definition(one({"Type": "Wait", "End": True, "Timestamp": timestamp})) == []


def test_fail_error_and_cause_exclude_their_paths(intrinsics: None) -> None:
    state = {
        "Type": "Fail",
        "Error": "E",
        "ErrorPath": "$.e",
        "Cause": "C",
        "CausePath": "States.Format('{}', $.c)",
    }

    assert messages(one(state)) == [
        "SCHEMA_VALIDATION_FAILED: Only one of the fields 'Error' or 'ErrorPath' can be set at /States/S",
        "SCHEMA_VALIDATION_FAILED: Only one of the fields 'Cause' or 'CausePath' can be set at /States/S",
    ]


def test_parallel_branches_are_programs() -> None:
    definition = one(
        {"Type": "Parallel", "End": True, "Branches": [{"StartAt": "X"}, {"States": {}, "Foo": 1}]}
    )

    assert messages(definition) == [
        "SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /States/S/Branches[0]",
        "SCHEMA_VALIDATION_FAILED: These fields are required: [StartAt] at /States/S/Branches[1]",
        "SCHEMA_VALIDATION_FAILED: Field 'Foo' is not supported at /States/S/Branches[1]",
    ]


def test_parallel_needs_branches() -> None:
    assert messages(one({"Type": "Parallel", "End": True, "Branches": []})) == [
        "SCHEMA_VALIDATION_FAILED: The field 'Branches' must contain at least one branch at /States/S/Branches"
    ]


def test_jsonata_expressions_must_parse() -> None:
    state = pass_state(QueryLanguage="JSONata", Output={"a": "{% $states.input.x + %}", "b": "{% 1 %}"})

    assert messages(one(state)) == [
        "SCHEMA_VALIDATION_FAILED: The JSONata expression '$states.input.x +' is not valid: Unexpected end of "
        "expression at /States/S/Output/a"
    ]


def test_jsonata_state_names_and_comments_are_not_expressions() -> None:
    choice = {"Type": "Choice", "QueryLanguage": "JSONata", "Comment": "{% not parsed", "Default": "S"}
    choice["Choices"] = [{"Condition": "{% true %}", "Next": "S", "Comment": "{% ( %}"}]

    assert validate_definition(machine(("C", choice), ("S", {"Type": "Succeed"}))) == []
