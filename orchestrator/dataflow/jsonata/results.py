"""A JSONata result as a plain JSON value, and the JSON type names AWS uses in its messages.

The library answers sequences (``list`` subclasses, lazily ranged lists), ``Utils.NULL_VALUE`` for JSON
``null`` and ``None`` for JSONata ``undefined``; a float that holds an integer is printed by JavaScript
without a fraction (``7``, not ``7.0``). Results are always fresh containers, so a caller may change them
without touching the input they came from.
"""

from __future__ import annotations

import math
from typing import Any

from jsonata.utils import Utils


class Undefined(Exception):
    """The value is JSONata ``undefined``: JSON cannot hold it."""


class Unsupported(Exception):
    """The value is not JSON (a function, a regular expression, an infinite number)."""


def to_json(value: Any) -> Any:
    """The JSON value of a top-level result; raises :class:`Undefined` or :class:`Unsupported`."""
    if value is None:
        raise Undefined
    return _convert(value)


def _convert(value: Any) -> Any:
    if value is None or value is Utils.NULL_VALUE:
        return None
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise Unsupported
        return int(value) if value.is_integer() and abs(value) < 2**63 else value
    if isinstance(value, dict):
        return {str(key): _convert(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_convert(item) for item in value]
    raise Unsupported


def json_type(value: Any) -> str:
    """AWS's name for a JSON value's type: null, boolean, number, string, array or object."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def has_type(value: Any, expected: str) -> bool:
    """Whether ``value`` is of the ``expected`` kind ('array', 'object', 'string', 'number', 'integer',
    'boolean', 'null'; 'integer' is a number without a fraction)."""
    if expected == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return json_type(value) == expected
