"""Map states: processor and ProcessorConfig, concurrency and failure tolerance, Label."""

from __future__ import annotations

import json
from typing import Any

import pytest

from orchestrator.asl.validate import check_definition, validate_definition
from orchestrator.errors import DefinitionError
from tests.asl.validation.builders import machine, messages, pass_state


def processor(**config: Any) -> dict[str, Any]:
    return {"ProcessorConfig": config, "StartAt": "Inner", "States": {"Inner": pass_state()}}


def map_state(**fields: Any) -> dict[str, Any]:
    state = {"Type": "Map", "ItemProcessor": processor(Mode="INLINE"), "End": True, **fields}
    return machine(("M", state))


def test_a_map_needs_an_item_processor() -> None:
    assert messages(machine(("M", {"Type": "Map", "End": True}))) == [
        "SCHEMA_VALIDATION_FAILED: These fields are required: [ItemProcessor] at /States/M"
    ]


def test_the_legacy_iterator_is_accepted_but_not_with_an_item_processor() -> None:
    assert (
        validate_definition(
            map_state(ItemProcessor=None)
            | {"States": {"M": {"Type": "Map", "End": True, "Iterator": processor()}}}
        )
        == []
    )
    assert messages(map_state(Iterator=processor())) == [
        "SCHEMA_VALIDATION_FAILED: Only one of the fields 'ItemProcessor' or 'Iterator' can be set at /States/M"
    ]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (
            {"Mode": "INLINE", "ExecutionType": "STANDARD"},
            "Field 'ExecutionType' is not supported at /States/M/ItemProcessor/ProcessorConfig",
        ),
        (
            {"Mode": "DISTRIBUTED"},
            "These fields are required: [ExecutionType] at /States/M/ItemProcessor/ProcessorConfig",
        ),
        (
            {"Mode": "DISTRIBUTED", "ExecutionType": "FAST"},
            "Value should be one of the following: [STANDARD, EXPRESS] at /States/M/ItemProcessor/ProcessorConfig/ExecutionType",
        ),
        (
            {"Mode": "PARALLEL"},
            "Value should be one of the following: [INLINE, DISTRIBUTED] at /States/M/ItemProcessor/ProcessorConfig/Mode",
        ),
    ],
)
def test_processor_config(config: dict[str, Any], expected: str) -> None:
    assert messages(map_state(ItemProcessor=processor(**config))) == [f"SCHEMA_VALIDATION_FAILED: {expected}"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"MaxConcurrency": -1},
            "The value for the field 'MaxConcurrency' must be greater than or equal to 0 at /States/M/MaxConcurrency",
        ),
        (
            {"MaxConcurrency": 1, "MaxConcurrencyPath": "$.c"},
            "Only one of the fields 'MaxConcurrency' or 'MaxConcurrencyPath' can be set at /States/M",
        ),
        (
            {"ToleratedFailureCount": -1},
            "The value for the field 'ToleratedFailureCount' must be greater than or equal to 0",
        ),
        (
            {"ToleratedFailurePercentage": 101},
            "The value for the field 'ToleratedFailurePercentage' must be smaller than or equal to 100",
        ),
        (
            {"ToleratedFailurePercentage": 5, "ToleratedFailurePercentagePath": "$.p"},
            "Only one of the fields 'ToleratedFailurePercentage' or",
        ),
        (
            {"ItemSelector": {}, "Parameters": {}},
            "Only one of the fields 'ItemSelector' or 'Parameters' can be set",
        ),
    ],
)
def test_concurrency_and_tolerated_failures(paths: None, fields: dict[str, Any], expected: str) -> None:
    found = messages(map_state(**fields))

    assert any(expected in message for message in found), found


def test_jsonata_maps_may_compute_their_numbers() -> None:
    fields = {"QueryLanguage": "JSONata", "Items": "{% $states.input.xs %}", "MaxConcurrency": "{% 1 %}"}

    assert validate_definition(map_state(**fields, ToleratedFailurePercentage="{% 5 %}")) == []


@pytest.mark.parametrize(
    ("label", "problem"),
    [
        ("", "Label cannot be empty"),
        ("1" * 41, "Label cannot exceed 40 characters"),
        ("a b", "Label contains invalid character: ' '"),
        ("a\\b", "Label contains invalid character: '\\\\'"),
        ("a\nb", "Label contains invalid character: '\\n'"),
    ],
)
def test_a_bad_label_is_reported_in_the_parser_form_with_the_definition_text(
    label: str, problem: str
) -> None:
    text = json.dumps(
        machine(
            (
                "M",
                {
                    "Type": "Map",
                    "ItemProcessor": processor(Mode="DISTRIBUTED", ExecutionType="STANDARD"),
                    "Label": label,
                    "End": True,
                },
            )
        )
    )

    with pytest.raises(DefinitionError) as raised:
        check_definition(text)

    assert raised.value.message == f"Error=ValueError Args={[problem]!r} in definition '{text}'."
    assert raised.value.code == "SCHEMA_VALIDATION_FAILED"


def test_the_recorded_empty_label_message_is_reproduced() -> None:
    text = (
        '{"Comment": "MAP_STATE_LABEL_JSON", "StartAt": "MapState", "States": {"MapState": {"Type": "Map", '
        '"ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": '
        '"IteratorInner", "States": {"IteratorInner": {"Type": "Pass", "End": true}}}, "Label": "", "End": true}}}'
    )

    with pytest.raises(DefinitionError) as raised:
        check_definition(text)

    assert raised.value.message == f"Error=ValueError Args=['Label cannot be empty'] in definition '{text}'."
