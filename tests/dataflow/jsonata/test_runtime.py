"""Evaluation bounds, the virtual clock of $now()/$millis(), and thread safety."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from orchestrator.dataflow.jsonata import Bindings, evaluate_expression, runtime
from tests.dataflow.jsonata.conftest import Evaluate


def test_now_and_millis_are_the_bindings_time(evaluate: Evaluate) -> None:
    assert evaluate("{% $now() %}") == "2023-11-14T22:13:20.123Z"
    assert evaluate("{% $millis() %}") == 1_700_000_000_123


def test_now_is_the_same_on_every_evaluation(evaluate: Evaluate) -> None:
    first = evaluate("{% [$now(), $millis()] %}")
    time.sleep(0.01)

    assert evaluate("{% [$now(), $millis()] %}") == first


def test_now_follows_the_bindings_clock_across_threads() -> None:
    def millis_at(now: float) -> object:
        bindings = Bindings(states={"input": None}, variables={}, now=now)
        return evaluate_expression("{% $millis() %}", bindings, "Output")

    moments = [1_000.0 + index for index in range(200)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(millis_at, moments))

    assert results == [round(moment * 1000) for moment in moments]


def test_one_expression_evaluated_concurrently_keeps_each_input_apart() -> None:
    def double(value: int) -> object:
        bindings = Bindings(states={"input": {"v": value}}, variables={"k": value}, now=0)
        return evaluate_expression(
            "{% $map([1, 2], function($x){ $x * $states.input.v + $k }) %}", bindings, "O"
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(double, range(300)))

    assert results == [[2 * value, 3 * value] for value in range(300)]


def test_an_expression_is_compiled_once() -> None:
    text = "$states.input.compiled_once"

    assert runtime.compile_expression(text) is runtime.compile_expression(text)


def test_an_endless_loop_fails_within_the_time_limit(
    cause_of: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "TIME_LIMIT_SECONDS", 0.2)
    started = time.monotonic()

    cause = cause_of("{% ($f := function($n){ $f($n + 1) }; $f(0)) %}")

    assert time.monotonic() - started < 2
    assert cause.endswith("D1012: Evaluation timeout after 200 milliseconds. Check for infinite loop")


def test_the_time_limit_defaults_to_five_seconds() -> None:
    assert runtime.TIME_LIMIT_SECONDS == 5.0


def test_deep_recursion_fails_with_a_stack_overflow(cause_of: Callable[..., str]) -> None:
    started = time.monotonic()

    cause = cause_of("{% ($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000)) %}")

    assert time.monotonic() - started < 5
    assert cause.endswith(
        "D1011: Stack overflow. Check for non-terminating recursive function.  Consider rewriting as tail-recursive"
    )


def test_python_recursion_limit_is_a_stack_overflow_too(
    cause_of: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "MAX_DEPTH", 10**9)

    cause = cause_of("{% ($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000)) %}")

    assert "D1011: Stack overflow." in cause


def test_moderate_recursion_works(evaluate: Evaluate) -> None:
    assert evaluate("{% ($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(150)) %}") == 150


def test_tail_recursion_runs_deep(evaluate: Evaluate) -> None:
    assert (
        evaluate("{% ($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, $acc + 1) }; $f(5000, 0)) %}")
        == 5000
    )
