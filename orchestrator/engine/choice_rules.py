"""Choice rules in JSONPath mode: comparison operators, their ``Path`` variants, ``Is*`` tests,
``StringMatches`` wildcards and ``And``/``Or``/``Not`` (ASL spec, "Choice Rules").

A comparison whose value has the wrong type is simply false; a ``Variable`` (or ``...Path`` operand)
that resolves to nothing is a States.Runtime error, except for ``IsPresent``.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from orchestrator.asl.models import ChoiceRule
from orchestrator.dataflow.jsonpath import PathNotFound
from orchestrator.dataflow.references import read_reference
from orchestrator.engine.errors import RUNTIME
from orchestrator.engine.timefmt import parse_timestamp
from orchestrator.errors import StatesError

_MISSING = object()

_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": operator.eq,
    "LessThan": operator.lt,
    "GreaterThan": operator.gt,
    "LessThanEquals": operator.le,
    "GreaterThanEquals": operator.ge,
}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _numeric(a: Any, b: Any, compare: Callable[[Any, Any], bool]) -> bool:
    return _is_number(a) and _is_number(b) and compare(a, b)


def _string(a: Any, b: Any, compare: Callable[[Any, Any], bool]) -> bool:
    return isinstance(a, str) and isinstance(b, str) and compare(a, b)


def _timestamp(a: Any, b: Any, compare: Callable[[Any, Any], bool]) -> bool:
    if not (isinstance(a, str) and isinstance(b, str)):
        return False
    ta, tb = parse_timestamp(a), parse_timestamp(b)
    return ta is not None and tb is not None and compare(ta, tb)


_KINDS = {"Numeric": _numeric, "String": _string, "Timestamp": _timestamp}


@lru_cache(maxsize=1024)
def _wildcard(pattern: str) -> re.Pattern[str]:
    """``*`` matches any run of characters; ``\\*`` a literal star and ``\\\\`` a backslash."""
    parts: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            parts.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        parts.append(".*" if char == "*" else re.escape(char))
        i += 1
    return re.compile("".join(parts), re.DOTALL)


def _test(op: str, value: Any, expected: Any) -> bool:
    if op == "IsPresent":
        return bool((value is not _MISSING) == expected)
    if op == "IsNull":
        return bool((value is None) == expected)
    if op == "IsNumeric":
        return bool(_is_number(value) == expected)
    if op == "IsString":
        return bool(isinstance(value, str) == expected)
    if op == "IsBoolean":
        return bool(isinstance(value, bool) == expected)
    if op == "IsTimestamp":
        return bool((isinstance(value, str) and parse_timestamp(value) is not None) == expected)
    if op == "BooleanEquals":
        return isinstance(value, bool) and isinstance(expected, bool) and value == expected
    if op == "StringMatches":
        return (
            isinstance(value, str)
            and isinstance(expected, str)
            and _wildcard(expected).fullmatch(value) is not None
        )
    for kind, compare in _KINDS.items():
        if op.startswith(kind):
            return compare(value, expected, _ORDER[op[len(kind) :]])
    raise StatesError(RUNTIME, f"Unknown comparison operator {op}")


def evaluate_rule(
    rule: ChoiceRule, value: Any, context: Any, variables: Mapping[str, Any] | None = None
) -> bool:
    """Whether ``rule`` holds for the Choice state's (InputPath-filtered) input ``value``."""
    if rule.and_ is not None:
        return all(evaluate_rule(sub, value, context, variables) for sub in rule.and_)
    if rule.or_ is not None:
        return any(evaluate_rule(sub, value, context, variables) for sub in rule.or_)
    if rule.not_ is not None:
        return not evaluate_rule(rule.not_, value, context, variables)
    op = rule.operator
    assert op is not None and rule.variable is not None, "validated comparisons have Variable and an operator"
    try:
        variable = read_reference(rule.variable, value, context, variables=variables)
    except PathNotFound:
        if op == "IsPresent":
            variable = _MISSING
        else:
            raise StatesError(
                RUNTIME,
                f"Invalid path '{rule.variable}': The choice state's condition path references an invalid value.",
            ) from None
    expected = rule.operand
    if op.endswith("Path") and op != "IsPresent":
        op = op[: -len("Path")]
        try:
            expected = read_reference(rule.operand, value, context, variables=variables)
        except PathNotFound:
            raise StatesError(
                RUNTIME,
                f"Invalid path '{rule.operand}': The choice state's condition path references an invalid value.",
            ) from None
    return _test(op, variable, expected)
