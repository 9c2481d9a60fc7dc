"""Evaluating calls: argument sources, nesting, and the failures AWS reports."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator.dataflow.intrinsics import evaluate
from orchestrator.errors import StatesError


def failure(text: str, state_input: Any, context: Any = None, **kwargs: Any) -> StatesError:
    with pytest.raises(StatesError) as raised:
        evaluate(text, state_input, context, **kwargs)
    return raised.value


def test_arguments_come_from_the_input_the_context_and_variables(context: dict[str, Any]) -> None:
    result = evaluate(
        "States.Array($.a, $$.Execution.Name, $v.x, $)", {"a": 1}, context, variables={"v": {"x": 2}}
    )

    assert result == [1, "ex", 2, {"a": 1}]


def test_nested_calls_evaluate_inside_out(context: dict[str, Any]) -> None:
    # The LocalStack template NESTED_CALLS_2, on a state machine named "a-b-c".
    context["StateMachine"]["Name"] = "a-b-c"
    text = (
        "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), "
        "States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))"
    )

    assert evaluate(text, {}, context) == "c"


def test_a_missing_path_argument_names_the_whole_expression() -> None:
    # Captured from AWS (us-east-1) by the Floci project.
    error = failure("States.Format('{}', States.Format('{}', $.nope))", {"other": 1})

    assert error.error == "States.Runtime"
    assert error.cause == (
        "The function 'States.Format('{}', States.Format('{}', $.nope))' had the following error: "
        "The JsonPath argument for the field '$.nope' could not be found in the input '{\"other\":1}'"
    )


def test_an_index_past_the_end_is_a_missing_argument() -> None:
    error = failure("States.Format('{}', $.items[5])", {"items": [1, 2]})

    assert "The JsonPath argument for the field '$.items[5]' could not be found" in error.cause


def test_an_explicit_null_argument_is_a_value() -> None:
    assert evaluate("States.Format('{}', $.n)", {"n": None}, None) == "null"


def test_a_missing_context_argument_names_the_rewritten_path_and_the_state_input(
    context: dict[str, Any],
) -> None:
    error = failure("States.Format('{}', $$.Nope.Deep)", {"other": 1}, context)

    assert error.cause.endswith(
        "The JsonPath argument for the field '$.Nope.Deep' could not be found in the input '{\"other\":1}'"
    )


def test_an_unknown_variable_is_a_missing_argument() -> None:
    error = failure("States.Array($nope)", {}, None, variables={})

    assert "The JsonPath argument for the field '$nope' could not be found" in error.cause


@pytest.mark.parametrize(
    "text",
    [
        "States.Hash()",
        "States.Hash('a')",
        "States.Hash('a', 'MD5', 'x')",
        "States.UUID(1)",
        "States.Format()",
    ],
)
def test_a_wrong_argument_count_fails_at_run_time(text: str) -> None:
    error = failure(text, {})

    assert error.error == "States.Runtime"
    name = text.split("(")[0]
    assert error.cause == f"The function '{text}' had the following error: Invalid arguments in {name}"


def test_the_recorded_pokemon_format_with_a_variable_template(context: dict[str, Any]) -> None:
    # Recorded: test_reference_in_map_state[MAP_STATE_REFERENCE_IN_INTRINSIC_FUNCTION].
    context["Map"] = {"Item": {"Value": "Pikachu", "Index": 1}}

    result = evaluate(
        "States.Format($AnswerTemplate, $$.Map.Item.Value)",
        {},
        context,
        variables={"AnswerTemplate": "It's {}!"},
    )

    assert result == "It's Pikachu!"
