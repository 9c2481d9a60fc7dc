"""Compiled JSONata expressions and one bounded, deterministic evaluation of them (jsonata-python).

Design notes on the library (jsonata-python 0.7):

* ``Jsonata.CURRENT`` is a thread-local holding "the" instance of the running evaluation; the evaluator
  stores its scratch state (``input``, ``environment``) on it and ``$now()``/``$millis()`` read its
  ``timestamp``. A compiled expression is shared by every thread, so each evaluation runs on its own
  shallow copy, installed as ``CURRENT`` for the duration and restored afterwards.
* ``evaluate()`` resets ``timestamp`` to the wall clock. :class:`CompiledExpression` makes ``timestamp`` a
  property that ignores writes and answers the evaluation's virtual time, so ``$now()`` is deterministic.
* The library's ``Timebox`` starts its clock when the expression is compiled; instead, each evaluation
  binds its own ``__evaluate_entry``/``__evaluate_exit`` callbacks (:class:`Budget`) that count depth and
  check a deadline, raising JSONata's own D1011 (stack) and D1012 (timeout) errors.
"""

from __future__ import annotations

import copy
import functools
import time
from collections.abc import Mapping
from typing import Any

import jsonata
from jsonata.jexception import JException
from jsonata.utils import Utils

from orchestrator.dataflow.jsonata.functions import STEP_FUNCTIONS_FUNCTIONS

TIME_LIMIT_SECONDS = 5.0
"""How long one expression may run before it fails with D1012 (module-level, so deployments may tune it)."""

MAX_DEPTH = 1500
"""Deepest nesting of evaluation steps before an expression fails with D1011 (about four Python frames
each; the library raises the interpreter's recursion limit to 10,000)."""

_UNAVAILABLE_FUNCTIONS = ("eval",)
"""JSONata built-ins Step Functions removes ("$eval is not supported"): calling one is T1006."""


class CompiledExpression(jsonata.Jsonata):  # type: ignore[misc]
    """A parsed expression with Step Functions' functions, whose clock is the evaluation's virtual time."""

    _now_millis: int = 0

    @property
    def timestamp(self) -> int:
        """What ``$now()``/``$millis()`` read: the evaluation's time, never the wall clock."""
        return self._now_millis

    @timestamp.setter
    def timestamp(self, _wall_clock: int) -> None:
        """``Jsonata.evaluate`` writes the wall clock here; it is ignored on purpose."""


@functools.lru_cache(maxsize=4096)
def compile_expression(text: str) -> CompiledExpression:
    """Parse ``text`` once (cached; the result is shared and never mutated); raises ``JException`` on syntax errors."""
    previous = getattr(jsonata.Jsonata.CURRENT, "jsonata", None)
    try:
        expression = CompiledExpression(text)
    finally:
        _restore_current(previous)
    expression.set_output_convert_nulls(False)
    for name, function in STEP_FUNCTIONS_FUNCTIONS.items():
        expression.register_function(name, function)
    for name in _UNAVAILABLE_FUNCTIONS:
        expression.assign(name, None)
    return expression


class Budget:
    """The bounds of one evaluation: a deadline and a depth, checked on every evaluation step."""

    def __init__(self, time_limit: float, max_depth: int) -> None:
        self.time_limit = time_limit
        self.max_depth = max_depth
        self.deadline = time.monotonic() + time_limit
        self.depth = 0

    def enter(self, _expr: Any, _input: Any, environment: Any) -> None:
        if environment.is_parallel_call:
            return
        self.depth += 1
        self._check()

    def exit(self, _expr: Any, _input: Any, environment: Any, _result: Any) -> None:
        if environment.is_parallel_call:
            return
        self.depth -= 1
        self._check()

    def _check(self) -> None:
        if self.depth > self.max_depth:
            raise JException("D1011", -1)
        if time.monotonic() > self.deadline:
            raise JException("D1012", -1, round(self.time_limit * 1000))


def run(text: str, variables: Mapping[str, Any], now_millis: int) -> Any:
    """Evaluate ``text`` with ``variables`` bound (``$name``); the raw library result (``None`` = undefined).

    Raises whatever the library raises (``JException`` or a leaked Python error); see ``errors.py``.
    """
    compiled = compile_expression(text)
    instance = copy.copy(compiled)
    instance._now_millis = now_millis
    budget = Budget(TIME_LIMIT_SECONDS, MAX_DEPTH)
    bindings = {name: _bindable(value) for name, value in variables.items()}
    bindings["__evaluate_entry"] = budget.enter
    bindings["__evaluate_exit"] = budget.exit
    previous = getattr(jsonata.Jsonata.CURRENT, "jsonata", None)
    jsonata.Jsonata.CURRENT.jsonata = instance
    try:
        return instance.evaluate(None, bindings)
    finally:
        _restore_current(previous)


def _bindable(value: Any) -> Any:
    """A JSON ``null`` bound to a variable must stay null: the library reads a bound ``None`` as undefined."""
    return Utils.NULL_VALUE if value is None else value


def _restore_current(previous: Any) -> None:
    if previous is None:
        if hasattr(jsonata.Jsonata.CURRENT, "jsonata"):
            del jsonata.Jsonata.CURRENT.jsonata
    else:
        jsonata.Jsonata.CURRENT.jsonata = previous
