"""Choice rules: one operator per rule, operand types, Variable, nesting, JSONata Conditions."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator.asl.validate import validate_definition
from tests.asl.validation.builders import machine, messages


def choice(*rules: dict[str, Any], **fields: Any) -> dict[str, Any]:
    state = {"Type": "Choice", "Choices": list(rules), "Default": "Done", **fields}
    return machine(("C", state), ("Done", {"Type": "Succeed"}))


def rule(**fields: Any) -> dict[str, Any]:
    return {"Variable": "$.x", "Next": "Done", **fields}


def test_a_choice_needs_rules() -> None:
    assert messages(choice()) == [
        "SCHEMA_VALIDATION_FAILED: The field 'Choices' must contain at least one rule at /States/C/Choices"
    ]


@pytest.mark.parametrize(
    ("operator", "operand"),
    [
        ("StringEquals", "a"),
        ("NumericEquals", 1.5),
        ("NumericLessThan", 3),
        ("BooleanEquals", False),
        ("IsPresent", True),
        ("StringMatches", "a*"),
        ("TimestampEquals", "2012-10-09T19:00:55Z"),
        ("NumericEqualsPath", "$.y"),
        ("StringEqualsPath", "$$.Execution.Input.y"),
    ],
)
def test_operands_of_the_right_type_are_valid(paths: None, operator: str, operand: Any) -> None:
    assert validate_definition(choice(rule(**{operator: operand}))) == []


@pytest.mark.parametrize(
    ("operator", "operand", "expected"),
    [
        ("StringEquals", 1, "Expected value of type [STRING] at /States/C/Choices[0]/StringEquals"),
        ("NumericEquals", "1", "Expected value of type [NUMBER] at /States/C/Choices[0]/NumericEquals"),
        ("NumericEquals", True, "Expected value of type [NUMBER] at /States/C/Choices[0]/NumericEquals"),
        ("BooleanEquals", "true", "Expected value of type [BOOLEAN] at /States/C/Choices[0]/BooleanEquals"),
        ("IsNull", 1, "Expected value of type [BOOLEAN] at /States/C/Choices[0]/IsNull"),
        (
            "TimestampEquals",
            "yesterday",
            "The value for the field 'TimestampEquals' must be a valid timestamp at /States/C/Choices[0]/TimestampEquals",
        ),
        (
            "NumericEqualsPath",
            "y",
            "The value for the field 'NumericEqualsPath' must be a valid JSONPath at "
            "/States/C/Choices[0]/NumericEqualsPath",
        ),
    ],
)
def test_operands_of_the_wrong_type_are_reported(
    paths: None, operator: str, operand: Any, expected: str
) -> None:
    assert messages(choice(rule(**{operator: operand}))) == [f"SCHEMA_VALIDATION_FAILED: {expected}"]


def test_a_rule_needs_exactly_one_operator(paths: None) -> None:
    assert messages(choice(rule(), rule(IsNull=True, IsPresent=True))) == [
        "SCHEMA_VALIDATION_FAILED: A Choice rule must have exactly one comparison operator, 'And', 'Or' or 'Not' "
        "at /States/C/Choices[0]",
        "SCHEMA_VALIDATION_FAILED: A Choice rule must have exactly one comparison operator, found: [IsNull, "
        "IsPresent] at /States/C/Choices[1]",
    ]


def test_a_comparison_needs_a_variable_and_a_top_level_rule_a_next() -> None:
    assert messages(choice({"IsNull": True})) == [
        "SCHEMA_VALIDATION_FAILED: These fields are required: [Next] at /States/C/Choices[0]",
        "SCHEMA_VALIDATION_FAILED: These fields are required: [Variable] at /States/C/Choices[0]",
    ]


def test_nested_rules_may_not_carry_next(paths: None) -> None:
    nested = {"Variable": "$.x", "IsNull": True, "Next": "Done"}

    assert messages(
        choice(
            {"And": [nested], "Next": "Done"},
        )
    ) == ["SCHEMA_VALIDATION_FAILED: Field 'Next' is not supported at /States/C/Choices[0]/And[0]"]


def test_boolean_combinations_need_rules(paths: None) -> None:
    assert messages(choice({"Or": [], "Next": "Done"}, {"Not": [], "Next": "Done"})) == [
        "SCHEMA_VALIDATION_FAILED: The field 'Or' must contain at least one rule at /States/C/Choices[0]/Or",
        "SCHEMA_VALIDATION_FAILED: Expected value of type [OBJECT] at /States/C/Choices[1]/Not",
    ]


def test_jsonata_rules_use_a_condition() -> None:
    definition = choice({"Condition": "{% $states.input.x %}", "Next": "Done"}, QueryLanguage="JSONata")
    broken = choice({"Variable": "$.x", "IsNull": True, "Next": "Done"}, QueryLanguage="JSONata")

    assert validate_definition(definition) == []
    assert messages(broken) == [
        "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field 'Variable' is only supported "
        "for the 'JSONPath' QueryLanguage at /States/C/Choices[0]",
        "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field 'IsNull' is only supported "
        "for the 'JSONPath' QueryLanguage at /States/C/Choices[0]",
        "SCHEMA_VALIDATION_FAILED: These fields are required: [Condition] at /States/C/Choices[0]",
    ]
