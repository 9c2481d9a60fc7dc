"""Array intrinsics: States.Array, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem, ArrayLength,
ArrayUnique.

Numbers that must be integers are truncated (``Number.intValue``), as AWS was observed to do:
``States.ArrayRange(1.6, 1.4, 1)`` is ``[1]`` and ``States.ArrayGetItem($.a, 1.2)`` reads index 1.
"""

from __future__ import annotations

from typing import Any

from orchestrator.dataflow.intrinsics.failures import InvalidArguments
from orchestrator.dataflow.jvm import is_number, java_int_value
from orchestrator.dataflow.values import canonical_key, json_equal

MAX_RANGE_ITEMS = 1000
"""``States.ArrayRange`` may produce at most 1000 items."""


def _array(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise InvalidArguments
    return value


def _integer(value: Any) -> int:
    if not is_number(value):
        raise InvalidArguments
    return java_int_value(value)


def array(*items: Any) -> list[Any]:
    """``States.Array(a, b, ...)``: its arguments as an array."""
    return list(items)


def array_partition(items: Any, size: Any) -> list[list[Any]]:
    """``States.ArrayPartition(array, n)``: chunks of ``n`` items (the last one may be shorter)."""
    values = _array(items)
    chunk = _integer(size)
    if chunk <= 0:
        raise InvalidArguments
    return [values[start : start + chunk] for start in range(0, len(values), chunk)]


def array_contains(items: Any, wanted: Any) -> bool:
    """``States.ArrayContains(array, value)``: whether a JSON-equal item is present."""
    return any(json_equal(item, wanted) for item in _array(items))


def array_range(first: Any, last: Any, step: Any) -> list[int]:
    """``States.ArrayRange(first, last, step)``: ``first``, ``first + step``, ... up to ``last`` inclusive."""
    start, end, increment = _integer(first), _integer(last), _integer(step)
    if increment == 0:
        raise InvalidArguments
    if (increment > 0 and start > end) or (increment < 0 and start < end):
        return []
    count = (end - start) // increment + 1
    if count > MAX_RANGE_ITEMS:
        raise InvalidArguments
    return [start + increment * position for position in range(count)]


def array_get_item(items: Any, index: Any) -> Any:
    """``States.ArrayGetItem(array, index)``; AWS answers ``null`` for any index of an empty array."""
    values = _array(items)
    position = _integer(index)
    if not values:
        return None
    if not 0 <= position < len(values):
        raise InvalidArguments
    return values[position]


def array_length(items: Any) -> int:
    """``States.ArrayLength(array)``."""
    return len(_array(items))


def array_unique(items: Any) -> list[Any]:
    """``States.ArrayUnique(array)``: the first of each group of JSON-equal items, in order."""
    seen: set[str] = set()
    unique = []
    for item in _array(items):
        key = canonical_key(item)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique
