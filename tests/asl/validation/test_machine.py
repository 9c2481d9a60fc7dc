"""The machine object: required and unsupported top-level fields, QueryLanguage, ``check_definition``."""

from __future__ import annotations

import json

import pytest

from orchestrator.asl.validate import check_definition, validate_definition
from orchestrator.errors import DefinitionError
from tests.asl.validation.builders import machine, messages, pass_state, problems


def test_a_minimal_machine_is_valid() -> None:
    assert validate_definition(machine(("A", pass_state()))) == []


def test_an_empty_object_lacks_states_and_start_at() -> None:
    assert problems({}) == [("SCHEMA_VALIDATION_FAILED", "These fields are required: [States, StartAt]", "/")]


def test_a_missing_start_at_is_reported_alone() -> None:
    definition = {"States": {"StartState": pass_state()}}

    assert problems(definition) == [("SCHEMA_VALIDATION_FAILED", "These fields are required: [StartAt]", "/")]


def test_a_value_that_is_not_an_object_is_not_a_definition() -> None:
    assert problems([]) == [("SCHEMA_VALIDATION_FAILED", "Definition must be a valid JSON object", None)]


def test_unknown_top_level_fields_are_not_supported() -> None:
    definition = machine(("A", pass_state()), Coment="typo")

    assert messages(definition) == ["SCHEMA_VALIDATION_FAILED: Field 'Coment' is not supported at /"]


def test_top_level_values_have_their_types() -> None:
    definition = {"StartAt": 1, "States": [], "Comment": 2, "TimeoutSeconds": "x"}

    assert messages(definition) == [
        "SCHEMA_VALIDATION_FAILED: Expected value of type [STRING] at /Comment",
        "SCHEMA_VALIDATION_FAILED: Expected value of type [INTEGER] at /TimeoutSeconds",
        "SCHEMA_VALIDATION_FAILED: Expected value of type [STRING] at /StartAt",
        "SCHEMA_VALIDATION_FAILED: Expected value of type [OBJECT] at /States",
    ]


def test_a_jsonata_machine_cannot_downgrade_a_state_to_jsonpath() -> None:
    definition = machine(("Pass", pass_state(QueryLanguage="JSONPath")), QueryLanguage="JSONata")

    assert problems(definition) == [
        (
            "SCHEMA_VALIDATION_FAILED",
            "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
            "/States/Pass",
        )
    ]


def test_a_jsonpath_machine_may_upgrade_a_state_and_nest_jsonpath_inside_it() -> None:
    inner = {
        "ProcessorConfig": {"Mode": "INLINE"},
        "StartAt": "P",
        "States": {"P": pass_state(QueryLanguage="JSONPath")},
    }
    definition = machine(
        ("Map", {"Type": "Map", "QueryLanguage": "JSONata", "ItemProcessor": inner, "End": True})
    )

    assert validate_definition(definition, state_machine_type="EXPRESS") == []


def test_an_unknown_query_language_is_reported_at_the_field() -> None:
    definition = machine(("A", pass_state(QueryLanguage="XPath")), QueryLanguage="SQL")

    assert messages(definition) == [
        "SCHEMA_VALIDATION_FAILED: Value should be one of the following: [JSONPath, JSONata] at /QueryLanguage",
        "SCHEMA_VALIDATION_FAILED: Value should be one of the following: [JSONPath, JSONata] at /States/A/QueryLanguage",
    ]


def test_check_definition_returns_the_parsed_definition() -> None:
    definition = machine(("A", pass_state()))

    assert check_definition(json.dumps(definition)) == definition


def test_check_definition_raises_aws_invalid_definition_message() -> None:
    with pytest.raises(DefinitionError) as raised:
        check_definition(json.dumps({"Comment": "BASE_INVALID_DER", "StartAt": "State_1"}))

    assert raised.value.message == (
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'"
    )


def test_check_definition_reports_duplicate_state_names() -> None:
    text = '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "A": {"Type": "Succeed"}}}'

    with pytest.raises(DefinitionError) as raised:
        check_definition(text)

    assert [d.code for d in raised.value.diagnostics] == ["DUPLICATE_STATE_NAME"]


def test_a_single_state_is_validated_without_its_transitions() -> None:
    from orchestrator.asl.validate import validate_state_definition

    assert validate_state_definition({"Type": "Pass", "Next": "Elsewhere"}) == []
    assert [d.render() for d in validate_state_definition({"Type": "Task", "End": True})] == [
        "SCHEMA_VALIDATION_FAILED: These fields are required: [Resource] at /"
    ]
