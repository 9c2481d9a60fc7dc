"""Payload templates: Parameters, ResultSelector, ItemSelector and a Map's legacy Parameters.

A template is copied recursively; a member whose key ends in ``.$`` is evaluated and stored under the key
without the ``.$``. Its value is a path on the state input (``$.x``, ``$``), a path on the context object
(``$$.Execution.Id``), a variable reference (``$name.x``) or an intrinsic function call
(``States.Format(...)``). A path that finds nothing fails the state with ``States.Runtime``: ``The JSONPath
'$.x' specified for the field 'x.$' could not be found in the input '{"a":1}'`` (the input shown is the
data the path was evaluated on).

Evaluated values are shared with the input, not copied: JSON values are never modified in place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from orchestrator.dataflow import intrinsics
from orchestrator.dataflow.json_text import dumps
from orchestrator.dataflow.jsonpath import InvalidPathError, PathNotFound, compile_path
from orchestrator.errors import StatesError

_VARIABLE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def evaluate_payload(
    template: Any, state_input: Any, context: Any, *, variables: Mapping[str, Any] | None = None
) -> Any:
    """The payload ``template`` produces for ``state_input`` (``.$`` members evaluated, the rest copied)."""
    if type(template) is dict:
        result = {}
        for key, value in template.items():
            if key.endswith(".$"):
                result[key[:-2]] = evaluate_expression(key, value, state_input, context, variables)
            else:
                result[key] = evaluate_payload(value, state_input, context, variables=variables)
        return result
    if type(template) is list:
        return [evaluate_payload(item, state_input, context, variables=variables) for item in template]
    return template


def evaluate_expression(
    field: str, expression: Any, state_input: Any, context: Any, variables: Mapping[str, Any] | None = None
) -> Any:
    """The value of one ``.$`` member (``field`` is its key, named in error messages)."""
    if not isinstance(expression, str):
        raise _not_an_expression(field)
    if expression.startswith("$$"):
        return _read(field, expression, "$" + expression[2:], context)
    if expression.startswith("$"):
        variable = _VARIABLE.match(expression)
        if variable is None:
            return _read(field, expression, expression, state_input)
        name = variable.group(1)
        if variables is None or name not in variables:
            raise _not_found(field, expression, state_input)
        return _read(field, expression, "$" + expression[variable.end() :], variables[name])
    if intrinsics.is_intrinsic(expression):
        try:
            return intrinsics.evaluate(expression, state_input, context, variables=variables)
        except intrinsics.IntrinsicSyntaxError:
            raise _not_an_expression(field) from None
    raise _not_an_expression(field)


def _read(field: str, expression: str, path: str, data: Any) -> Any:
    try:
        return compile_path(path).read(data)
    except PathNotFound:
        raise _not_found(field, expression, data) from None
    except InvalidPathError:
        raise _not_an_expression(field) from None


def _not_found(field: str, expression: str, data: Any) -> StatesError:
    return StatesError(
        "States.Runtime",
        f"The JSONPath '{expression}' specified for the field '{field}' could not be found in the input "
        f"'{dumps(data)}'",
    )


def _not_an_expression(field: str) -> StatesError:
    return StatesError(
        "States.Runtime",
        f"The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function call",
    )
