"""States.MathAdd and States.MathRandom."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator.dataflow.intrinsics import evaluate
from orchestrator.errors import StatesError


def call(text: str, **state_input: Any) -> Any:
    return evaluate(text, state_input, {})


@pytest.mark.parametrize(
    ("fst", "snd", "expected"),
    [
        # Recorded: test_math_operations test_math_add_0 .. test_math_add_20.
        (-9, 3, -6),
        (1.49, 1.5, 3),
        (1.5, 1.51, 4),
        (-1.49, -1.5, -2),
        (-1.5, -1.51, -3),
        (1.49, 0, 1),
        (1.49, -1.49, 0),
        (1.5, 0, 2),
        (1.51, 0, 2),
        (-1.49, 0, -1),
        (-1.5, 0, -1),
        (-1.51, 0, -2),
        (0.5, 0, 1),
        (2.5, 0, 3),
        (3.5, 0, 4),
        (-0.5, 0.5, 1),
        (-0.5, 0, 0),
        (-2.5, 0, -2),
        (-3.5, 0, -3),
    ],
)
def test_math_add_rounds_each_operand(fst: float, snd: float, expected: int) -> None:
    result = call("States.MathAdd($.fst, $.snd)", fst=fst, snd=snd)

    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize(
    ("fst", "snd"), [(1, "NOT A NUMBER"), (True, 1), (2**31, 0), (2**31 - 1, 1), (None, 1)]
)
def test_math_add_rejects(fst: Any, snd: Any) -> None:
    with pytest.raises(StatesError) as raised:
        call("States.MathAdd($.fst, $.snd)", fst=fst, snd=snd)

    assert raised.value.cause.endswith("Invalid arguments in States.MathAdd")


def test_math_random_is_in_the_half_open_range() -> None:
    values = {call("States.MathRandom(1, 4)") for _ in range(200)}

    assert values == {1, 2, 3}


def test_math_random_truncates_its_bounds() -> None:
    assert {call("States.MathRandom(1.6, 2.4)") for _ in range(20)} == {1}


def test_math_random_with_a_seed_is_java_util_random() -> None:
    # new java.util.Random(42).nextInt(10) == 0; new Random(3).nextInt(999) is the same every time.
    assert call("States.MathRandom(0, 10, 42)") == 0
    assert call("States.MathRandom(0, 999, 3)") == call("States.MathRandom(0, 999, 3)")


@pytest.mark.parametrize(
    "arguments", ["1, 1", "10, 5", "1.4, 1.6", "'a', 10", "1, 10, 'seed'", "1, 10, null"]
)
def test_math_random_rejects(arguments: str) -> None:
    with pytest.raises(StatesError):
        call(f"States.MathRandom({arguments})")
