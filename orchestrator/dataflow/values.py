"""Equality of JSON values as AWS (Jackson's ``JsonNode.equals``) sees it.

Python's ``==`` says ``True == 1`` and ``1 == 1.0``; JSON nodes do not: a boolean is never a number and an
integer node never equals a floating-point node. ``States.ArrayContains`` and ``States.ArrayUnique``
compare this way.
"""

from __future__ import annotations

import json
from typing import Any

_CANONICAL = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def json_equal(left: Any, right: Any) -> bool:
    """Structural, type-strict equality of two JSON values."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(json_equal(left[key], right[key]) for key in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(json_equal(a, b) for a, b in zip(left, right, strict=True))
    return bool(left == right)


def canonical_key(value: Any) -> str:
    """A hashable text that two values share exactly when :func:`json_equal` says they are equal."""
    return _CANONICAL.encode(value)
