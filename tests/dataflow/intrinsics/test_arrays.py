"""Array intrinsics, with results recorded against AWS (v2 intrinsic_functions test_array cases)."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator.dataflow.intrinsics import evaluate
from orchestrator.errors import StatesError


def call(text: str, **state_input: Any) -> Any:
    return evaluate(text, state_input, {})


def invalid(text: str, **state_input: Any) -> str:
    with pytest.raises(StatesError) as raised:
        call(text, **state_input)
    assert raised.value.error == "States.Runtime"
    return raised.value.cause


@pytest.mark.parametrize(
    "value", ["", " ", "HelloWorld", None, 1, 1.1, '{"Arg1": 1, "Arg2": []}', {"Arg1": 1}]
)
def test_array_collects_its_arguments(value: Any) -> None:
    assert call("States.Array($.fst, $.snd)", fst=value, snd=value) == [value, value]


@pytest.mark.parametrize(
    ("items", "size", "expected"),
    [
        ([], 1, []),
        ([0], 5, [[0]]),
        ([0, 1, 2], 2, [[0, 1], [2]]),
        ([0, 1, 2, 3], 3, [[0, 1, 2], [3]]),
        ([0, 1, 2, 3], 2.9, [[0, 1], [2, 3]]),
    ],
)
def test_array_partition(items: list[int], size: float, expected: list[list[int]]) -> None:
    assert call("States.ArrayPartition($.a, $.n)", a=items, n=size) == expected


@pytest.mark.parametrize(
    ("items", "size"), [([1], 0), ([1], -1), ([1], 0.49), ("x", 1), ([1], "1"), ([1], True)]
)
def test_array_partition_rejects(items: Any, size: Any) -> None:
    assert invalid("States.ArrayPartition($.a, $.n)", a=items, n=size).endswith(
        "Invalid arguments in States.ArrayPartition"
    )


@pytest.mark.parametrize(
    ("items", "value", "expected"),
    [
        ([], None, False),
        ([[1, 2, 3], 2], [1, 2, 3], True),
        ([{"1": 2, "2": []}], {"2": [], "1": 2}, True),
        ([True, False], False, True),
        ([1, 2], 1.0, False),
        ([1, 2], True, False),
    ],
)
def test_array_contains_compares_json_values(items: list[Any], value: Any, expected: bool) -> None:
    assert call("States.ArrayContains($.a, $.v)", a=items, v=value) is expected


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ((0, 9, 3), [0, 3, 6, 9]),
        ((0, 10, 3), [0, 3, 6, 9]),
        ((1, 9, 9), [1]),
        ((1, 9, 2), [1, 3, 5, 7, 9]),
        ((5, 1, -2), [5, 3, 1]),
        ((5, 1, 1), []),
        ((1.6, 1.4, 1), [1]),
        ((5.4, -0.6, -2.4), [5, 3, 1]),
    ],
)
def test_array_range(arguments: tuple[float, float, float], expected: list[int]) -> None:
    assert (
        call("States.ArrayRange($.a, $.b, $.c)", a=arguments[0], b=arguments[1], c=arguments[2]) == expected
    )


def test_array_range_allows_at_most_1000_items() -> None:
    assert len(call("States.ArrayRange(1, 1000, 1)")) == 1000
    invalid("States.ArrayRange(1, 1001, 1)")
    invalid("States.ArrayRange(1, 10, 0)")
    invalid("States.ArrayRange('a', 10, 1)")


def test_array_get_item() -> None:
    assert call("States.ArrayGetItem($.a, $.i)", a=[1, 2, 3, 4, 5, 6, 7, 8, 9], i=5) == 6
    assert call("States.ArrayGetItem($.a, 1.2)", a=[10, 20, 30]) == 20
    assert call("States.ArrayGetItem($.a, 999)", a=[]) is None
    invalid("States.ArrayGetItem($.a, 3)", a=[10, 20, 30])
    invalid("States.ArrayGetItem($.a, -1)", a=[10, 20, 30])
    invalid("States.ArrayGetItem('x', 0)")
    invalid("States.ArrayGetItem($.a, '1')", a=[1, 2])


def test_array_length() -> None:
    assert call("States.ArrayLength($.a)", a=[1, 2, 3, 4, 5, 6, 7, 8, 9]) == 9
    invalid("States.ArrayLength($.a)", a={"x": 1})


def test_array_unique_keeps_the_first_of_json_equal_items() -> None:
    items = [
        None,
        None,
        True,
        True,
        1,
        1,
        1.0,
        0,
        "a",
        "a",
        [],
        [],
        [None],
        [None],
        {"a": 1, "b": 2},
        {"b": 2, "a": 1},
    ]

    assert call("States.ArrayUnique($.a)", a=items) == [
        None,
        True,
        1,
        1.0,
        0,
        "a",
        [],
        [None],
        {"a": 1, "b": 2},
    ]
