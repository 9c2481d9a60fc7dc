"""Shared helpers: bindings like the engine builds for a JSONata state, and a one-call evaluator."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from orchestrator.dataflow.jsonata import Bindings, evaluate_expression
from orchestrator.errors import StatesError

NOW = 1_700_000_000.123
"""2023-11-14T22:13:20.123Z, the virtual time the tests evaluate at."""


def make_bindings(
    state_input: Any = None, variables: Mapping[str, Any] | None = None, **states: Any
) -> Bindings:
    return Bindings(
        states={"input": state_input, "context": {"State": {"Name": "S"}}, **states},
        variables=dict(variables or {}),
        now=NOW,
    )


Evaluate = Callable[..., Any]


@pytest.fixture
def evaluate() -> Evaluate:
    """``evaluate("{% ... %}", input, variables, expected=...)`` -> the JSON value."""

    def run(
        expression: str,
        state_input: Any = None,
        variables: Mapping[str, Any] | None = None,
        *,
        expected: str | None = None,
    ) -> Any:
        return evaluate_expression(
            expression, make_bindings(state_input, variables), "Output", expected=expected
        )

    return run


@pytest.fixture
def cause_of() -> Callable[..., str]:
    """``cause_of("{% ... %}", ...)`` -> the States.QueryEvaluationError cause it fails with."""

    def run(
        expression: str,
        state_input: Any = None,
        variables: Mapping[str, Any] | None = None,
        *,
        field: str = "Output",
        expected: str | None = None,
    ) -> str:
        with pytest.raises(StatesError) as raised:
            evaluate_expression(expression, make_bindings(state_input, variables), field, expected=expected)
        assert raised.value.error == "States.QueryEvaluationError"
        assert raised.value.prefixed
        return raised.value.cause

    return run
