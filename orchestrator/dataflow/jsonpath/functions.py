"""Jayway's path functions (``$.items.length()``, ``$.prices.sum()``...), applied to what a path found.

Aggregations (``min max avg stddev sum``) look at the numbers of an array, answer a float as Jayway's
``Double`` does, and fail on an array without numbers.
"""

from __future__ import annotations

import math
from typing import Any

from orchestrator.dataflow.jsonpath.errors import PathNotFound
from orchestrator.dataflow.jvm import is_number


def apply_function(name: str, value: Any, path: str) -> Any:
    """Apply the function ``name`` to ``value``; ``path`` names the path in error messages."""
    if name in ("length", "size"):
        return len(value) if isinstance(value, list | dict) else None
    if name == "keys":
        return list(value) if isinstance(value, dict) else None
    if name in ("first", "last"):
        if not isinstance(value, list) or not value:
            return None
        return value[0] if name == "first" else value[-1]
    numbers = [float(item) for item in value if is_number(item)] if isinstance(value, list) else []
    if not numbers:
        raise PathNotFound(path, "Aggregation function attempted to calculate value using empty array")
    if name == "min":
        return min(numbers)
    if name == "max":
        return max(numbers)
    if name == "sum":
        return math.fsum(numbers)
    mean = math.fsum(numbers) / len(numbers)
    if name == "avg":
        return mean
    return math.sqrt(math.fsum((number - mean) ** 2 for number in numbers) / len(numbers))
