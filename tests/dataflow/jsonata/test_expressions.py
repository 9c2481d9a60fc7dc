"""Evaluating one {% %} expression: bindings, results as JSON, AWS's failure messages, type checks."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from orchestrator.dataflow.jsonata import QUERY_EVALUATION_ERROR, expression_text, is_expression
from tests.dataflow.jsonata.conftest import Evaluate

ITEMS_WRONG_TYPE = (
    "The JSONata expression '{}' specified for the field 'Items' returned an unexpected result type. "
    "Expected 'array', but was '{}' for value: {}"
)


def test_the_error_name() -> None:
    assert QUERY_EVALUATION_ERROR == "States.QueryEvaluationError"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("{% $x %}", True),
        ("{%$x%}", True),
        ("{%%}", True),
        (" {% states.input %} ", False),  # recorded: test_base_cases[BASE_LAMBDA_LITERALS] keeps it as text
        ("{% $x", False),
        ("$states.input", False),
        ("{%}", False),
        (1, False),
        (None, False),
    ],
)
def test_is_expression(value: object, expected: bool) -> None:
    assert is_expression(value) is expected


def test_expression_text_is_trimmed() -> None:
    assert expression_text("{%   $fn := function($x){$x}\n %}") == "$fn := function($x){$x}"


def test_states_and_variables_are_visible(evaluate: Evaluate) -> None:
    result = evaluate(
        "{% {'input': $states.input.a, 'state': $states.context.State.Name, 'var': $theAnswer} %}",
        {"a": 1},
        {"theAnswer": 42},
    )

    assert result == {"input": 1, "state": "S", "var": 42}


def test_there_is_no_context_document(cause_of: Callable[..., str]) -> None:
    assert cause_of("{% states.input %}", {"x": 1}).endswith("returned nothing (undefined).")


@pytest.mark.parametrize(
    ("expression", "variables"),
    [
        ("{% $v %}", {"v": None}),
        ("{% $states.input.n %}", {}),
        ("{% $states.input.list[1] %}", {}),
        ("{% null %}", {}),
    ],
)
def test_json_null_is_null_not_undefined(
    evaluate: Evaluate, expression: str, variables: dict[str, Any]
) -> None:
    assert evaluate(expression, {"n": None, "list": [1, None]}, variables) is None


def test_a_null_variable_exists(evaluate: Evaluate) -> None:
    assert evaluate("{% $exists($v) %}", None, {"v": None}) is True


def test_undefined_is_an_error(cause_of: Callable[..., str]) -> None:
    # Recorded: test_map_catch_error[MAP_CATCH_ERROR_OUTPUT_WITH_RETRY].
    cause = cause_of("{% $stateError %}", field="Output/error")

    assert cause == (
        "The JSONata expression '$stateError' specified for the field 'Output/error' returned nothing (undefined)."
    )


def test_integral_numbers_are_integers(evaluate: Evaluate) -> None:
    result = evaluate("{% [7.0, 1.5 * 2, 10 / 4, $sum([0.5, 0.5])] %}")

    assert result == [7, 3, 2.5, 1]
    assert [type(item) for item in result] == [int, int, float, int]


def test_sequences_and_ranges_are_plain_lists(evaluate: Evaluate) -> None:
    result = evaluate(
        "{% {'range': [1..3], 'mapped': $states.input.items.v} %}", {"items": [{"v": 1}, {"v": 2}]}
    )

    assert result == {"range": [1, 2, 3], "mapped": [1, 2]}
    assert type(result["range"]) is list
    assert type(result["mapped"]) is list


def test_a_singleton_sequence_is_its_value(evaluate: Evaluate) -> None:
    assert evaluate("{% $states.input.items.v %}", {"items": [{"v": 1}]}) == 1


def test_the_input_is_never_changed(evaluate: Evaluate) -> None:
    state_input = {"items": [{"v": [3, 1, 2]}], "n": None}
    snapshot = copy.deepcopy(state_input)

    result = evaluate(
        "{% ($s := $states.input; {'same': $s, 'sorted': $sort($s.items[0].v), 'items': $s.items}) %}",
        state_input,
    )
    result["same"]["items"][0]["v"].append(4)
    result["items"][0]["v"] = None

    assert state_input == snapshot


def test_a_function_is_an_unsupported_result(cause_of: Callable[..., str]) -> None:
    # Recorded: test_map_state_items_eval_jsonata_fail[function].
    cause = cause_of("{% $fn := function($x){$x} %}", field="Items", expected="array")

    assert cause == (
        "The JSONata expression '$fn := function($x){$x}' specified for the field 'Items' returned an "
        "unsupported result type."
    )


def test_a_function_inside_a_value_is_unsupported(cause_of: Callable[..., str]) -> None:
    assert cause_of("{% {'f': $uppercase} %}").endswith("returned an unsupported result type.")


@pytest.mark.parametrize(
    ("expression", "type_name", "value_text"),
    [
        # Recorded: test_map_state_items_eval_jsonata_fail[*] (literals in Items).
        ("{'foo': 'bar'}", "object", '{"foo":"bar"}'),
        ("true", "boolean", "true"),
        ("null", "null", "null"),
        ("1", "number", "1"),
        ("'string'", "string", '"string"'),
    ],
)
def test_items_of_the_wrong_type(
    cause_of: Callable[..., str], expression: str, type_name: str, value_text: str
) -> None:
    cause = cause_of(f"{{% {expression} %}}", field="Items", expected="array")

    assert cause == ITEMS_WRONG_TYPE.format(expression, type_name, value_text)


@pytest.mark.parametrize(
    ("value", "type_name", "value_text"),
    [
        # Recorded: test_map_state_items_eval_jsonata_variable_sampling_fail[*] (a variable in Items).
        ({"foo": "bar"}, "object", '{"foo":"bar"}'),
        (True, "boolean", "true"),
        (None, "null", "null"),
        (1, "number", "1"),
        ("string", "string", '"string"'),
    ],
)
def test_items_variable_of_the_wrong_type(
    cause_of: Callable[..., str], value: Any, type_name: str, value_text: str
) -> None:
    cause = cause_of("{% $ItemsVar %}", None, {"ItemsVar": value}, field="Items", expected="array")

    assert cause == ITEMS_WRONG_TYPE.format("$ItemsVar", type_name, value_text)


@pytest.mark.parametrize(
    ("expected", "expression", "result"),
    [
        ("array", "{% [] %}", []),
        ("array", "{% [0] %}", [0]),
        ("object", "{% {} %}", {}),
        ("string", "{% 'a' %}", "a"),
        ("number", "{% 1.5 %}", 1.5),
        ("integer", "{% 3.0 %}", 3),
        ("boolean", "{% $states.input.cost < 10 %}", True),
        ("null", "{% null %}", None),
    ],
)
def test_a_result_of_the_expected_type_passes(
    evaluate: Evaluate, expected: str, expression: str, result: Any
) -> None:
    assert evaluate(expression, {"cost": 5}, expected=expected) == result


@pytest.mark.parametrize(
    ("expected", "expression", "tail"),
    [
        ("integer", "{% 1.5 %}", "Expected 'integer', but was 'number' for value: 1.5"),
        ("integer", "{% true %}", "Expected 'integer', but was 'boolean' for value: true"),
        ("number", "{% '5' %}", "Expected 'number', but was 'string' for value: \"5\""),
        ("boolean", "{% 1 %}", "Expected 'boolean', but was 'number' for value: 1"),
        ("string", "{% [1, 'a'] %}", "Expected 'string', but was 'array' for value: [1,\"a\"]"),
    ],
)
def test_a_result_of_another_type_fails(
    cause_of: Callable[..., str], expected: str, expression: str, tail: str
) -> None:
    assert cause_of(expression, field="TimeoutSeconds", expected=expected).endswith(
        f"specified for the field 'TimeoutSeconds' returned an unexpected result type. {tail}"
    )
