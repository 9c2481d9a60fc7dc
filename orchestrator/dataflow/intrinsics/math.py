"""Math intrinsics: States.MathAdd and States.MathRandom (values in the Java ``int`` range).

``MathAdd`` rounds each operand with ``Math.round`` (recorded: ``1.49 + 1.5 = 3``, ``-2.5 + 0 = -2``).
``MathRandom(start, end[, seed])`` truncates its bounds and answers an integer in [start, end); with a seed
it is ``new java.util.Random(seed).nextInt(end - start) + start``, so a seed always gives the same number.
"""

from __future__ import annotations

import random
from typing import Any

from orchestrator.dataflow.intrinsics.failures import InvalidArguments
from orchestrator.dataflow.jvm import INT_MAX, INT_MIN, JavaRandom, is_number, java_int_value, java_round

_RANDOM = random.SystemRandom()


def _int32(value: int) -> int:
    if not INT_MIN <= value <= INT_MAX:
        raise InvalidArguments
    return value


def math_add(left: Any, right: Any) -> int:
    """``States.MathAdd(a, b)``: the sum of the two rounded operands."""
    if not is_number(left) or not is_number(right):
        raise InvalidArguments
    return _int32(_int32(java_round(left)) + _int32(java_round(right)))


def math_random(start: Any, end: Any, *seed: Any) -> int:
    """``States.MathRandom(start, end[, seed])``: a random integer in [start, end)."""
    if not is_number(start) or not is_number(end) or (seed and not is_number(seed[0])):
        raise InvalidArguments
    low, high = _int32(java_int_value(start)), _int32(java_int_value(end))
    if low >= high or high - low > INT_MAX:
        raise InvalidArguments
    if seed:
        return JavaRandom(java_int_value(seed[0])).next_int(high - low) + low
    return _RANDOM.randrange(low, high)
