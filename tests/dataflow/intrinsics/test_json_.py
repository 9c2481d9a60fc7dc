"""States.StringToJson, States.JsonToString and States.JsonMerge."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator.dataflow.intrinsics import evaluate
from orchestrator.errors import StatesError


def call(text: str, state_input: Any = None) -> Any:
    return evaluate(text, state_input, {})


@pytest.mark.parametrize(
    ("text", "expected"),
    [('{"a": [1, 2.0, null]}', {"a": [1, 2.0, None]}), ('"x"', "x"), ("1", 1), ("  ", None), ("", None)],
)
def test_string_to_json(text: str, expected: Any) -> None:
    assert call("States.StringToJson($.s)", {"s": text}) == expected


@pytest.mark.parametrize("text", ["{", "NaN", "{'a': 1}"])
def test_string_to_json_rejects_invalid_json(text: str) -> None:
    with pytest.raises(StatesError) as raised:
        call("States.StringToJson($.s)", {"s": text})

    assert raised.value.cause.endswith("Invalid arguments in States.StringToJson")


def test_json_to_string_is_compact() -> None:
    assert call("States.JsonToString($.o)", {"o": {"test": "object", "n": [1, 1.5], "é": None}}) == (
        '{"test":"object","n":[1,1.5],"é":null}'
    )


def test_json_merge_is_shallow() -> None:
    # Recorded: test_json_merge.
    state_input = {
        "fst": {"a": {"a1": 1, "a2": 2}, "b": 2, "d": 3},
        "snd": {"a": {"a3": 1, "a4": 2}, "c": 3, "d": 4},
    }

    assert call("States.JsonMerge($.fst, $.snd, false)", state_input) == {
        "a": {"a3": 1, "a4": 2},
        "b": 2,
        "c": 3,
        "d": 4,
    }


@pytest.mark.parametrize("arguments", ["$.o, $.o, true", "$.o, $.l, false", "$.o, $.o, 'false'"])
def test_json_merge_rejects(arguments: str) -> None:
    with pytest.raises(StatesError):
        call(f"States.JsonMerge({arguments})", {"o": {"a": 1}, "l": [1]})


def test_json_merge_of_a_parsed_literal() -> None:
    # The LocalStack template JSON_MERGE_ESCAPED_ARGUMENT.
    text = 'States.JsonMerge(States.StringToJson(\'{"constant_in_literal": "false"}\'), $.f, false)'

    assert call(text, {"f": {"x": 1}}) == {"constant_in_literal": "false", "x": 1}
