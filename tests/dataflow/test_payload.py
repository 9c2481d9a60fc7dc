"""Payload templates (Parameters, ResultSelector, ItemSelector)."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator.dataflow.payload import evaluate_payload
from orchestrator.errors import StatesError

CONTEXT: dict[str, Any] = {
    "Execution": {"Name": "ex", "Input": {"int-literal": 0}},
    "Map": {"Item": {"Index": 2}},
}


def test_keys_ending_in_dollar_are_evaluated_and_renamed() -> None:
    template = {
        "constant": "HelloWorld",
        "from_input.$": "$.delivery-partner",
        "original.$": "$",
        "index.$": "$$.Map.Item.Index",
        "nested": {"list": [{"deep.$": "$.n"}, 1, "x.$"]},
        "call.$": "States.Format('{}-{}', $.n, $$.Execution.Name)",
        "var.$": "$answer.value",
    }
    state_input = {"delivery-partner": "UQS", "n": 7}

    payload = evaluate_payload(template, state_input, CONTEXT, variables={"answer": {"value": 42}})

    assert payload == {
        "constant": "HelloWorld",
        "from_input": "UQS",
        "original": state_input,
        "index": 2,
        "nested": {"list": [{"deep": 7}, 1, "x.$"]},
        "call": "7-ex",
        "var": 42,
    }


def test_a_template_without_expressions_is_copied() -> None:
    template = {"a": {"b": [1, {"c": None}]}}

    payload = evaluate_payload(template, {}, CONTEXT)

    assert payload == template
    assert payload is not template and payload["a"] is not template["a"]


def test_a_non_container_template_is_itself() -> None:
    assert evaluate_payload("text", {}, CONTEXT) == "text"


def test_an_index_past_the_end_reads_null() -> None:
    assert evaluate_payload({"v.$": "$.items[5]"}, {"items": [1, 2]}, CONTEXT) == {"v": None}


def test_a_filter_reads_a_list() -> None:
    # Recorded: test_state_pass_regex_json_path_base.
    state_input = {"users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}]}

    payload = evaluate_payload({"FromInput.$": "$.users[?(@.status == 0)]"}, state_input, CONTEXT)

    assert payload == {"FromInput": [{"year": 1997, "status": 0}]}


@pytest.mark.parametrize(
    ("template", "cause"),
    [
        # Recorded: test_invalid_jsonpath[INVALID_JSONPATH_IN_STRING_EXPR_JSONPATH] (input normalised there).
        (
            {"value.$": "$.no_such_jsonpath"},
            "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input "
            "'{\"int-literal\":0}'",
        ),
        # Recorded: ...[INVALID_JSONPATH_IN_STRING_EXPR_CONTEXTPATH]; the input shown is the context object.
        (
            {"value.$": "$$.Execution.Input.no_such_jsonpath"},
            "The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field 'value.$' could not be "
            'found in the input \'{"Execution":{"Name":"ex","Input":{"int-literal":0}},"Map":{"Item":{"Index":2}}}\'',
        ),
        (
            {"a": {"b.$": "$.x.y"}},
            "The JSONPath '$.x.y' specified for the field 'b.$' could not be found in the input '{\"int-literal\":0}'",
        ),
        (
            {"v.$": "$missing"},
            "The JSONPath '$missing' specified for the field 'v.$' could not be found in the input '{\"int-literal\":0}'",
        ),
        (
            {"v.$": "not a path"},
            "The value for the field 'v.$' must be a valid JSONPath or a valid intrinsic function call",
        ),
        (
            {"v.$": 5},
            "The value for the field 'v.$' must be a valid JSONPath or a valid intrinsic function call",
        ),
        (
            {"v.$": "States.Nope()"},
            "The value for the field 'v.$' must be a valid JSONPath or a valid intrinsic function call",
        ),
    ],
)
def test_failures_are_runtime_errors(template: dict[str, Any], cause: str) -> None:
    with pytest.raises(StatesError) as raised:
        evaluate_payload(template, {"int-literal": 0}, CONTEXT)

    assert raised.value.error == "States.Runtime"
    assert raised.value.cause == cause


def test_intrinsic_failures_propagate() -> None:
    with pytest.raises(StatesError) as raised:
        evaluate_payload({"v.$": "States.MathAdd($.a, 1)"}, {"a": "x"}, CONTEXT)

    assert raised.value.cause.endswith("Invalid arguments in States.MathAdd")
