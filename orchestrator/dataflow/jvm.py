"""How AWS's Java runtime renders and rounds JSON values, where that leaks into outputs and messages.

Step Functions runs on the JVM (Jackson for JSON, Jayway for JSONPath). A few observable details come from
there: ``States.Format`` prints objects as ``java.util.Map.toString`` (``{a=1, b=[x, y]}``), numbers are
rounded with ``Math.round`` or truncated like ``Number.intValue``, a seeded ``States.MathRandom`` is a
``java.util.Random``, and Jayway's error messages name Java classes.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

INT_MIN = -(2**31)
INT_MAX = 2**31 - 1
LONG_MIN = -(2**63)
LONG_MAX = 2**63 - 1


def is_number(value: Any) -> bool:
    """A JSON number (``bool`` is an ``int`` in Python but never a JSON number)."""
    return type(value) is int or type(value) is float


def java_double_str(value: float) -> str:
    """``Double.toString``: plain decimals in [1e-3, 1e7), ``1.0E10`` style outside, shortest digits."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    magnitude = abs(value)
    if magnitude == 0.0 or 1e-3 <= magnitude < 1e7:
        return repr(value)
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    assert isinstance(exponent, int)
    text = "".join(str(d) for d in digits).rstrip("0") or "0"
    decimal_exponent = exponent + len(digits) - 1
    mantissa = text[0] + "." + (text[1:] or "0")
    return ("-" if sign else "") + f"{mantissa}E{decimal_exponent}"


def java_to_string(value: Any) -> str:
    """``Object.toString`` of the Java value Jackson maps a JSON value to (what ``States.Format`` prints)."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is float:
        return java_double_str(value)
    if isinstance(value, list):
        return "[" + ", ".join(java_to_string(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}={java_to_string(item)}" for key, item in value.items()) + "}"
    return str(value)


def java_class_name(value: Any) -> str:
    """The class Jayway's Jackson provider unwraps a JSON value to (named in its error messages)."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return "java.lang.String"
    if isinstance(value, bool):
        return "java.lang.Boolean"
    if isinstance(value, int):
        if INT_MIN <= value <= INT_MAX:
            return "java.lang.Integer"
        return "java.lang.Long" if LONG_MIN <= value <= LONG_MAX else "java.math.BigInteger"
    if isinstance(value, float):
        return "java.lang.Double"
    if isinstance(value, list):
        return "com.fasterxml.jackson.databind.node.ArrayNode"
    return "com.fasterxml.jackson.databind.node.ObjectNode"


def java_round(value: int | float) -> int:
    """``Math.round(double)``: the closest integer, ties towards positive infinity (-1.5 -> -1, 2.5 -> 3)."""
    if type(value) is int:
        return value
    floor = math.floor(value)
    return floor + 1 if value - floor >= 0.5 else floor


def java_int_value(value: int | float) -> int:
    """``Number.intValue`` style conversion: the fraction is truncated towards zero."""
    return value if type(value) is int else math.trunc(value)


def _to_int32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value


class JavaRandom:
    """``java.util.Random``: the same seed gives the same sequence as on the JVM."""

    _MULTIPLIER = 0x5DEECE66D
    _MASK = (1 << 48) - 1

    def __init__(self, seed: int) -> None:
        self._seed = (seed ^ self._MULTIPLIER) & self._MASK

    def _next(self, bits: int) -> int:
        self._seed = (self._seed * self._MULTIPLIER + 0xB) & self._MASK
        return _to_int32(self._seed >> (48 - bits))

    def next_int(self, bound: int) -> int:
        """``nextInt(bound)``: uniform in [0, bound); ``bound`` must be a positive Java int."""
        if not 0 < bound <= INT_MAX:
            raise ValueError("bound must be a positive int")
        r = self._next(31)
        m = bound - 1
        if bound & m == 0:
            return (bound * r) >> 31
        u = r
        r = u % bound
        while _to_int32(u - r + m) < 0:
            u = self._next(31)
            r = u % bound
        return r
