"""Payload templates: every {% %} string evaluated, the rest copied; errors name the nested field."""

from __future__ import annotations

import copy

import pytest

from orchestrator.dataflow.jsonata import evaluate_template
from orchestrator.errors import StatesError
from tests.dataflow.jsonata.conftest import make_bindings


def test_expressions_are_evaluated_and_literals_copied() -> None:
    template = {
        "constant_null": None,
        "constant_float": 0.1,
        "constant_not_jsonata": " {% states.input %} ",
        "constant_varpath": "$states.input",
        "list": [None, 0, True, [], {"constant": 0}, "{% $states.input.a %}"],
        "nested": {"value": "{% $states.input.a + 1 %}", "var": "{% $v %}"},
        "whole": "{% $states.input %}",
    }

    result = evaluate_template(template, make_bindings({"a": 1}, {"v": "x"}), "Arguments")

    assert result == {
        "constant_null": None,
        "constant_float": 0.1,
        "constant_not_jsonata": " {% states.input %} ",
        "constant_varpath": "$states.input",
        "list": [None, 0, True, [], {"constant": 0}, 1],
        "nested": {"value": 2, "var": "x"},
        "whole": {"a": 1},
    }


@pytest.mark.parametrize("template", ["plain", 3, None, True, "{% 'only' %}"])
def test_a_scalar_template(template: object) -> None:
    expected = "only" if template == "{% 'only' %}" else template

    assert evaluate_template(template, make_bindings(), "Output") == expected


def test_the_template_and_input_are_not_changed() -> None:
    template = {"a": ["{% $states.input %}", {"b": 1}]}
    state_input = {"k": [1]}
    template_before, input_before = copy.deepcopy(template), copy.deepcopy(state_input)

    result = evaluate_template(template, make_bindings(state_input), "Output")
    result["a"][0]["k"].append(2)
    result["a"][1]["b"] = 2

    assert (template, state_input) == (template_before, input_before)


def test_an_error_names_the_object_key_path() -> None:
    # Recorded: test_math_operations_jsonata test_math_random_seeded ('Output/FunctionResult').
    with pytest.raises(StatesError) as raised:
        evaluate_template({"outer": {"error": "{% $stateError %}"}}, make_bindings(), "Output")

    assert raised.value.cause == (
        "The JSONata expression '$stateError' specified for the field 'Output/outer/error' returned nothing "
        "(undefined)."
    )


def test_an_error_names_array_indexes() -> None:
    with pytest.raises(StatesError) as raised:
        evaluate_template({"list": [1, "{% $missing %}"]}, make_bindings(), "Arguments")

    assert "specified for the field 'Arguments/list/1' returned nothing" in raised.value.cause
