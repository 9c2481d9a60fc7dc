"""One ``{% ... %}`` JSONata expression of a JSONata state, evaluated as AWS does.

The expression sees the reserved ``$states`` (``input``, ``context``, and ``result``/``errorOutput``
where the field has them) and the workflow variables as ``$name``; there is no context document (``$``).
Every failure is a ``States.QueryEvaluationError`` whose cause names the expression and the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from orchestrator.dataflow.jsonata import errors, runtime
from orchestrator.dataflow.jsonata.results import Undefined, Unsupported, has_type, json_type, to_json

_OPEN = "{%"
_CLOSE = "%}"


@dataclass(frozen=True)
class Bindings:
    """What an expression can see, and the virtual time ``$now()``/``$millis()`` answer."""

    states: dict[str, Any]
    """The reserved ``$states``: ``input``, ``context``, and when present ``result``, ``errorOutput``."""
    variables: Mapping[str, Any]
    """Workflow variables visible to the state (``$name``)."""
    now: float
    """Epoch seconds that ``$now()``/``$millis()`` return (the execution's clock, deterministic)."""
    partition: str = "aws"
    """The AWS partition of the execution. Not read by the evaluator: AWS's ``$partition`` is the
    array-chunking function (kept so callers can pass it)."""


def is_expression(value: object) -> bool:
    """A JSONata expression: a string that starts with ``{%`` and ends with ``%}`` (AWS's rule: no spaces
    around them; ``" {% x %} "`` is a plain string)."""
    return (
        isinstance(value, str)
        and len(value) >= len(_OPEN) + len(_CLOSE)
        and value.startswith(_OPEN)
        and value.endswith(_CLOSE)
    )


def expression_text(value: str) -> str:
    """The JSONata text inside ``{% ... %}``, trimmed (as AWS quotes it in error messages)."""
    return value[len(_OPEN) : -len(_CLOSE)].strip()


def evaluate_expression(value: str, bindings: Bindings, field: str, *, expected: str | None = None) -> Any:
    """Evaluate one ``{% ... %}`` string to a JSON value.

    ``field`` names it in error messages (``Items``, ``Output/FunctionResult``); ``expected`` (None for any
    JSON value, or 'array', 'object', 'string', 'number', 'integer', 'boolean', 'null') checks the result's
    type. Raises ``StatesError(States.QueryEvaluationError, cause)`` on any failure.
    """
    text = expression_text(value)
    variables = dict(bindings.variables)
    variables["states"] = bindings.states
    try:
        raw = runtime.run(text, variables, round(bindings.now * 1000))
    except Exception as error:  # the library raises JException and leaks plain Python errors
        raise errors.threw(text, field, error) from None
    try:
        result = to_json(raw)
    except Undefined:
        raise errors.returned_nothing(text, field) from None
    except Unsupported:
        raise errors.unsupported_result(text, field) from None
    if expected is not None and not has_type(result, expected):
        raise errors.unexpected_type(text, field, expected, json_type(result), result)
    return result
