"""ResultPath: discard, replace, or write the result into a copy of the input."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator.dataflow.jsonpath import apply_result_path
from orchestrator.errors import StatesError


def test_null_keeps_the_input() -> None:
    state_input = {"a": 1}

    assert apply_result_path(state_input, None, "result") is state_input


def test_dollar_replaces_the_input() -> None:
    assert apply_result_path({"a": 1}, "$", [1, 2]) == [1, 2]


def test_a_path_writes_the_result_creating_objects_on_the_way() -> None:
    state_input = {"a": 1, "detail": {"x": 1}}

    output = apply_result_path(state_input, "$.detail.result.value", 42)

    assert output == {"a": 1, "detail": {"x": 1, "result": {"value": 42}}}
    assert state_input == {"a": 1, "detail": {"x": 1}}


def test_a_path_replaces_an_existing_member() -> None:
    assert apply_result_path({"a": {"b": 1}}, "$['a'].b", {"c": 2}) == {"a": {"b": {"c": 2}}}


def test_an_index_replaces_an_existing_element() -> None:
    assert apply_result_path({"a": [1, 2]}, "$.a[1]", "x") == {"a": [1, "x"]}


@pytest.mark.parametrize(
    ("state_input", "path", "cause"),
    [
        ("text", "$.x", 'Unable to apply ReferencePath $.x to input "text"'),
        ({"a": 1}, "$.a.b", 'Unable to apply ReferencePath $.a.b to input {"a":1}'),
        ({"a": [1]}, "$.a[3]", 'Unable to apply ReferencePath $.a[3] to input {"a":[1]}'),
        ([1, 2], "$.a", "Unable to apply ReferencePath $.a to input [1,2]"),
    ],
)
def test_a_path_that_cannot_be_applied_is_a_runtime_error(state_input: Any, path: str, cause: str) -> None:
    with pytest.raises(StatesError) as raised:
        apply_result_path(state_input, path, 1)

    assert raised.value.error == "States.Runtime"
    assert raised.value.cause == cause
