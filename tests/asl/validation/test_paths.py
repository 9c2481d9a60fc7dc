"""Path fields, payload templates (``.$`` keys) and intrinsic calls."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator.asl.validate import validate_definition
from tests.asl.validation.builders import machine, messages, pass_state


def one(**fields: Any) -> dict[str, Any]:
    return machine(("S", pass_state(**fields)))


@pytest.mark.parametrize(
    "fields",
    [
        {"InputPath": "$.a[0].b", "OutputPath": None, "ResultPath": "$.r"},
        {"InputPath": "$$", "OutputPath": "$..x"},
        {"InputPath": "$var.field", "ResultPath": None},
        {"Parameters": {"a.$": "$.a", "b": {"c.$": "$$.Execution.Id"}, "d": [{"e.$": "$x"}]}},
        {"Assign": {"v.$": "$.a", "w": "literal"}},
    ],
)
def test_valid_paths_and_templates(paths: None, fields: dict[str, Any]) -> None:
    assert validate_definition(one(**fields)) == []


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"InputPath": "a.b"},
            "The value for the field 'InputPath' must be a valid JSONPath at /States/S/InputPath",
        ),
        (
            {"OutputPath": 3},
            "The value for the field 'OutputPath' must be a valid JSONPath at /States/S/OutputPath",
        ),
        (
            {"ResultPath": "$.a[*]"},
            "The value for the field 'ResultPath' must be a valid ReferencePath at /States/S/ResultPath",
        ),
        (
            {"ResultPath": "$$.Execution"},
            "The value for the field 'ResultPath' must be a valid ReferencePath at /States/S/ResultPath",
        ),
        ({"Parameters": []}, "Expected value of type [OBJECT] at /States/S/Parameters"),
    ],
)
def test_invalid_paths(paths: None, fields: dict[str, Any], expected: str) -> None:
    assert messages(one(**fields)) == [f"SCHEMA_VALIDATION_FAILED: {expected}"]


def test_a_dollar_key_needs_a_path_or_an_intrinsic_and_is_reported_at_its_object(paths: None) -> None:
    definition = one(Parameters={"ok": {"bad.$": "not a path"}, "num.$": 1})

    assert messages(definition) == [
        "SCHEMA_VALIDATION_FAILED: The value for the field 'bad.$' must be a valid JSONPath or a valid intrinsic "
        "function call at /States/S/Parameters/ok",
        "SCHEMA_VALIDATION_FAILED: The value for the field 'num.$' must be a valid JSONPath or a valid intrinsic "
        "function call at /States/S/Parameters",
    ]


def test_intrinsic_calls_are_parsed(intrinsics: None) -> None:
    good = one(Parameters={"a.$": "States.Format('x {}', $.a)"})
    bad = one(Parameters={"parsed.$": 'States.StringToJson(\'{"text":"An \\"escaped\\" quote"}\')'})

    assert validate_definition(good) == []
    assert messages(bad) == [
        "SCHEMA_VALIDATION_FAILED: The value for the field 'parsed.$' must be a valid JSONPath or a valid intrinsic "
        "function call at /States/S/Parameters"
    ]
