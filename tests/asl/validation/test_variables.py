"""Workflow variables at definition time: Assign names, where Assign may appear, ``$states.result`` and
``$states.errorOutput`` availability, variable paths in JSONPath fields, and the query-language mix."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator.asl.validate import validate_state_definition
from orchestrator.asl.validation.variables import referenced_states_fields, variable_name_problem
from tests.asl.validation.builders import machine, messages, pass_state

LAMBDA = "arn:aws:states:::lambda:invoke"
SCHEMA = "SCHEMA_VALIDATION_FAILED: "


def jsonata(*states: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    return machine(*states, QueryLanguage="JSONata")


def task(**fields: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": LAMBDA, "End": True, **fields}


def then(state: dict[str, Any], target: str) -> dict[str, Any]:
    """``state`` moving on to ``target`` instead of ending."""
    return {**{key: value for key, value in state.items() if key != "End"}, "Next": target}


# -- Assign names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["x", "_x", "camelCase", "snake_case_2", "ünïcode", "a" * 80])
def test_identifiers_up_to_80_characters_are_assignable(name: str) -> None:
    assert variable_name_problem(name) is None
    assert messages(machine(("P", pass_state(Assign={name: 1})))) == []


def test_every_bad_name_of_an_assign_is_reported_at_the_assign_object() -> None:
    definition = machine(("P", pass_state(Assign={"1st": 1, "with space": 2, "states": 3, "b" * 81: 4})))

    assert messages(definition) == [
        f"{SCHEMA}The variable name '1st' is not valid: it must start with a letter or '_' and contain only "
        "letters, digits and '_' at /States/P/Assign",
        f"{SCHEMA}The variable name 'with space' is not valid: it must start with a letter or '_' and contain "
        "only letters, digits and '_' at /States/P/Assign",
        f"{SCHEMA}The variable name 'states' is reserved and cannot be assigned at /States/P/Assign",
        f"{SCHEMA}The variable name '{'b' * 81}' exceeds the maximum length of 80 characters at /States/P/Assign",
    ]


def test_a_jsonpath_dollar_key_names_the_variable_without_its_suffix(paths: None) -> None:
    assert messages(machine(("P", pass_state(Assign={"ok.$": "$.a", "states.$": "$.b"})))) == [
        f"{SCHEMA}The variable name 'states' is reserved and cannot be assigned at /States/P/Assign"
    ]


def test_in_jsonata_a_dollar_suffix_is_part_of_the_name() -> None:
    assert messages(jsonata(("P", pass_state(Assign={"x.$": 1})))) == [
        f"{SCHEMA}The variable name 'x.$' is not valid: it must start with a letter or '_' and contain only "
        "letters, digits and '_' at /States/P/Assign"
    ]


def test_an_assign_must_be_an_object() -> None:
    assert messages(jsonata(("P", pass_state(Assign="{% {'a': 1} %}")))) == [
        f"{SCHEMA}Expected value of type [OBJECT] at /States/P/Assign"
    ]


def test_names_are_checked_in_choice_rules_and_catchers() -> None:
    choice = {
        "Type": "Choice",
        "Choices": [{"Condition": "{% true %}", "Next": "T", "Assign": {"states": 1}}],
        "Default": "T",
    }
    catcher = {"ErrorEquals": ["States.ALL"], "Next": "T", "Assign": {"9": 1}}
    definition = jsonata(("C", choice), ("T", task(Catch=[catcher])))

    assert messages(definition) == [
        f"{SCHEMA}The variable name 'states' is reserved and cannot be assigned at /States/C/Choices[0]/Assign",
        f"{SCHEMA}The variable name '9' is not valid: it must start with a letter or '_' and contain only "
        "letters, digits and '_' at /States/T/Catch[0]/Assign",
    ]


@pytest.mark.parametrize("state_type", ["Succeed", "Fail"])
def test_terminal_states_cannot_assign(state_type: str) -> None:
    definition = machine(("S", {"Type": state_type, "Assign": {"x": 1}}))

    assert messages(definition) == [f"{SCHEMA}Field 'Assign' is not supported at /States/S"]


@pytest.mark.parametrize(
    "state",
    [
        pass_state(Assign={"x": 1}),
        task(Assign={"x": 1}),
        {"Type": "Wait", "Seconds": 0, "End": True, "Assign": {"x": 1}},
        {"Type": "Parallel", "Branches": [machine(("B", pass_state()))], "End": True, "Assign": {"x": 1}},
        {"Type": "Map", "ItemProcessor": machine(("I", pass_state())), "End": True, "Assign": {"x": 1}},
    ],
    ids=["Pass", "Task", "Wait", "Parallel", "Map"],
)
def test_other_states_can_assign(state: dict[str, Any]) -> None:
    assert messages(jsonata(("S", state))) == []


# -- $states.result and $states.errorOutput -----------------------------------------------------------------


@pytest.mark.parametrize("state_type", ["Task", "Map", "Parallel"])
def test_a_result_state_reads_its_result_in_output_and_assign(state_type: str) -> None:
    bodies = {
        "Task": task(),
        "Map": {"Type": "Map", "ItemProcessor": machine(("I", pass_state())), "End": True},
        "Parallel": {"Type": "Parallel", "Branches": [machine(("B", pass_state()))], "End": True},
    }
    state = {
        **bodies[state_type],
        "Output": "{% $states.result %}",
        "Assign": {"r": "{% $states.result.a %}"},
    }

    assert messages(jsonata(("S", state))) == []


def test_result_is_not_available_before_the_task_runs_or_in_states_without_one() -> None:
    definition = jsonata(
        ("T", then(task(Arguments={"p": "{% $states.result.x %}"}), "P")),
        ("P", then(pass_state(Output="{% $states.result %}"), "W")),
        ("W", {"Type": "Wait", "Seconds": 1, "Assign": {"a": "{% $states.result %}"}, "End": True}),
    )

    assert messages(definition) == [
        f"{SCHEMA}The JSONata expression '$states.result.x' references '$states.result', which is not "
        "available in the field 'Arguments' at /States/T/Arguments/p",
        f"{SCHEMA}The JSONata expression '$states.result' references '$states.result', which is not available "
        "in the field 'Output' at /States/P/Output",
        f"{SCHEMA}The JSONata expression '$states.result' references '$states.result', which is not available "
        "in the field 'Assign' at /States/W/Assign/a",
    ]


def test_error_output_exists_only_in_a_catcher_output_and_assign() -> None:
    catcher = {
        "ErrorEquals": ["States.ALL"],
        "Next": "F",
        "Output": "{% $states.errorOutput %}",
        "Assign": {"e": "{% $states.errorOutput.Error %}", "r": "{% $states.result %}"},
    }
    definition = jsonata(
        ("T", task(Output="{% $states.errorOutput %}", Catch=[catcher])),
        ("F", {"Type": "Fail", "Error": "{% $states.errorOutput.Error %}"}),
    )

    assert messages(definition) == [
        f"{SCHEMA}The JSONata expression '$states.errorOutput' references '$states.errorOutput', which is not "
        "available in the field 'Output' at /States/T/Output",
        f"{SCHEMA}The JSONata expression '$states.result' references '$states.result', which is not available "
        "in the field 'Assign' at /States/T/Catch[0]/Assign/r",
        f"{SCHEMA}The JSONata expression '$states.errorOutput.Error' references '$states.errorOutput', which is "
        "not available in the field 'Error' at /States/F/Error",
    ]


def test_a_choice_condition_cannot_read_a_result() -> None:
    choice = {
        "Type": "Choice",
        "Choices": [{"Condition": "{% $states.result %}", "Next": "D"}],
        "Default": "D",
    }

    assert messages(jsonata(("C", choice), ("D", {"Type": "Succeed"}))) == [
        f"{SCHEMA}The JSONata expression '$states.result' references '$states.result', which is not available "
        "in the field 'Condition' at /States/C/Choices[0]/Condition"
    ]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("$states.result", ["result"]),
        ("$states . errorOutput.Cause", ["errorOutput"]),
        ("$states.input.result & $mystates.result", []),
        ("'$states.result' & \"$states.errorOutput\"", []),
        ("$states.resultOf", []),
        ("$states", []),
    ],
)
def test_references_are_read_outside_string_literals(expression: str, expected: list[str]) -> None:
    assert referenced_states_fields(expression) == expected


def test_a_tested_state_is_checked_on_its_own() -> None:
    state = pass_state(QueryLanguage="JSONata", Output="{% $states.result %}")

    assert [d.render() for d in validate_state_definition(state)] == [
        f"{SCHEMA}The JSONata expression '$states.result' references '$states.result', which is not available "
        "in the field 'Output' at /Output"
    ]


# -- query languages and fields --------------------------------------------------------------------------------


def test_a_jsonata_machine_cannot_have_jsonpath_states_but_the_reverse_is_allowed() -> None:
    downgraded = jsonata(("P", pass_state(QueryLanguage="JSONPath")))
    upgraded = machine(("P", pass_state(QueryLanguage="JSONata", Output={"a": "{% 1 %}"})))

    assert messages(downgraded) == [
        f"{SCHEMA}'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine at /States/P"
    ]
    assert messages(upgraded) == []


def test_output_on_a_fail_state_and_arguments_on_a_pass_state_are_not_supported() -> None:
    definition = jsonata(
        ("P", then(pass_state(Arguments={"a": 1}), "F")), ("F", {"Type": "Fail", "Output": 1})
    )

    assert messages(definition) == [
        f"{SCHEMA}Field 'Arguments' is not supported at /States/P",
        f"{SCHEMA}Field 'Output' is not supported at /States/F",
    ]


# -- variable paths in JSONPath fields ----------------------------------------------------------------------------


def test_variables_and_the_context_are_valid_path_roots(paths: None) -> None:
    choice = {
        "Type": "Choice",
        "Choices": [{"Variable": "$limit.max", "NumericGreaterThanPath": "$var.x", "Next": "D"}],
        "Default": "D",
    }
    mapper = {
        "Type": "Map",
        "ItemsPath": "$items",
        "ItemProcessor": machine(("I", pass_state())),
        "Parameters": {"v.$": "$var.a[0]", "c.$": "$$.Execution.Id", "i.$": "$"},
        "Next": "C",
    }
    definition = machine(("M", mapper), ("C", choice), ("D", pass_state(InputPath="$var", OutputPath="$")))

    assert messages(definition) == []


def test_a_variable_path_with_a_bad_name_is_not_a_path(paths: None) -> None:
    choice = {
        "Type": "Choice",
        "Choices": [{"Variable": "$1x.a", "IsNull": True, "Next": "D"}],
        "Default": "D",
    }
    definition = machine(
        ("P", then(pass_state(InputPath="$a-b.c", Parameters={"v.$": "$x y"}), "C")),
        ("C", choice),
        ("D", {"Type": "Succeed"}),
    )

    assert messages(definition) == [
        f"{SCHEMA}The value for the field 'InputPath' must be a valid JSONPath at /States/P/InputPath",
        f"{SCHEMA}The value for the field 'v.$' must be a valid JSONPath or a valid intrinsic function call "
        "at /States/P/Parameters",
        f"{SCHEMA}The value for the field 'Variable' must be a valid JSONPath at /States/C/Choices[0]/Variable",
    ]
