"""AWS's ``States.QueryEvaluationError`` causes, and JSONata error texts as the JavaScript reference writes them.

Recorded causes (after AWS's "An error occurred while executing the state ..." prefix, which the engine adds):

* ``The JSONata expression '<expr>' specified for the field '<field>' threw an error during evaluation. T1006: Attempted to invoke a non-function``
* ``... returned nothing (undefined).``
* ``... returned an unexpected result type. Expected 'array', but was 'object' for value: {"foo":"bar"}``
* ``... returned an unsupported result type.``

The JSONata part is ``<code>: <message>``. jsonata-python (a port of jsonata-java) renamed "function" to
"Object" in its message catalogue and formats inserts with Python's ``str``; the reference implementation
writes "function" and inserts ``{{value}}`` as ``JSON.stringify(value)`` and ``{{{value}}}`` as is. Python
errors the library leaks are mapped to the error JavaScript gives (a division by zero is an infinite
number there: D1001 "Number out of range").
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from jsonata.jexception import JException
from jsonata.utils import Utils

from orchestrator.dataflow.json_text import dumps
from orchestrator.dataflow.jsonata.functions import FunctionArgumentError
from orchestrator.errors import QueryEvaluationError, StatesError

QUERY_EVALUATION_ERROR = "States.QueryEvaluationError"

_INSERT = re.compile(r"\{\{\{(\w+)\}\}\}|\{\{(\w+)\}\}")
_TEMPLATES: dict[str, str] = {
    code: re.sub(r"\bObject\b", "function", template) for code, template in JException.error_codes.items()
}
_CODE_OF_TEMPLATE = {template: code for code, template in _TEMPLATES.items() if "{{" not in template}

_INSERT_ORDER: dict[str, tuple[str, ...]] = {
    # jsonata-python passes a few inserts in another order than the template names them.
    "T0411": ("expected", "none"),  # (context, index): the template wants index, then the function name
    "T2001": ("current",),  # (operator, value): only the operator is named
    "T2002": ("current",),
    "T2010": ("current",),
}


def query_evaluation_error(cause: str, field: str | None = None) -> StatesError:
    """The ``States.QueryEvaluationError`` the engine reports (it prefixes the state and event id and
    records an ``EvaluationFailed`` event whose ``location`` is ``field``)."""
    return QueryEvaluationError(cause, field)


def threw(expression: str, field: str, error: BaseException) -> StatesError:
    """The expression raised: AWS quotes JSONata's ``<code>: <message>``."""
    return query_evaluation_error(
        f"The JSONata expression '{expression}' specified for the field '{field}' threw an error during "
        f"evaluation. {jsonata_error_text(error)}",
        field,
    )


def returned_nothing(expression: str, field: str) -> StatesError:
    """The expression's value was JSONata ``undefined`` (JSON cannot hold it)."""
    return query_evaluation_error(
        f"The JSONata expression '{expression}' specified for the field '{field}' returned nothing (undefined).",
        field,
    )


def unsupported_result(expression: str, field: str) -> StatesError:
    """The expression's value is not JSON (a function, a regex)."""
    return query_evaluation_error(
        f"The JSONata expression '{expression}' specified for the field '{field}' returned an unsupported "
        "result type.",
        field,
    )


def unexpected_type(expression: str, field: str, expected: str, actual: str, value: Any) -> StatesError:
    """The field needs another JSON type than the expression gave."""
    return query_evaluation_error(
        f"The JSONata expression '{expression}' specified for the field '{field}' returned an unexpected "
        f"result type. Expected '{expected}', but was '{actual}' for value: {dumps(value)}",
        field,
    )


def jsonata_error_text(error: BaseException) -> str:
    """``<code>: <message>`` as JavaScript JSONata words it, for anything an evaluation raised."""
    if isinstance(error, JException):
        return _jexception_text(error)
    if isinstance(error, FunctionArgumentError):
        return str(error)
    if isinstance(error, RecursionError):
        return _coded("D1011")
    if isinstance(error, ZeroDivisionError | OverflowError):
        return _coded("D1001", math.inf)
    return f"{type(error).__name__}: {error}"


def _jexception_text(error: JException) -> str:
    code = error.error
    if code not in _TEMPLATES:
        # Some library errors carry their message as the code; find the reference code for it.
        message = re.sub(r"\bObject\b", "function", str(code))
        known = _CODE_OF_TEMPLATE.get(message)
        return f"{known}: {message}" if known else message
    names = _INSERT_ORDER.get(code, ("current", "expected", "extra"))
    inserts = [getattr(error, name, None) for name in names]
    return _coded(code, *inserts)


def _coded(code: str, *inserts: Any) -> str:
    template = _TEMPLATES[code]
    if template in {"{{{message}}}"}:
        return f"{code}: {inserts[0] if inserts else ''}"
    remaining = list(inserts)

    def insert(match: re.Match[str]) -> str:
        value = remaining.pop(0) if remaining else None
        return str(value) if match.group(1) else _json_stringify(value)

    return f"{code}: {_INSERT.sub(insert, template)}"


def _json_stringify(value: Any) -> str:
    """JavaScript's ``JSON.stringify`` of an insert (``undefined`` for a missing one, ``null`` for infinities)."""
    if value is None:
        return "undefined"
    if value is Utils.NULL_VALUE:
        return "null"
    if isinstance(value, float) and not math.isfinite(value):
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=lambda _: None)
    except (TypeError, ValueError):
        return str(value)
