"""AWS's compact JSON text of a value, as it appears in outputs, history events and error causes.

AWS (Jackson) writes JSON without whitespace and without escaping non-ASCII characters, and keeps a
number's kind: a float stays a float (``0.0`` is written ``0.0``, an integer ``0``), as the recordings
show. Python's encoder matches that for every float in [1e-4, 1e16); outside that range Jackson's
``1.0E20`` and Python's ``1e+20`` differ in text but parse back to the same number.
"""

from __future__ import annotations

import json
from typing import Any

_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
_encode = _ENCODER.encode


def dumps(value: Any) -> str:
    """The compact JSON text AWS writes for ``value`` (``{"a":1,"b":"é"}``)."""
    return _encode(value)


def loads(text: str) -> Any:
    """Parse JSON text strictly: ``NaN`` and ``Infinity`` are not JSON and are rejected."""
    return json.loads(text, parse_constant=_reject_constant)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def scalar_literal(text: str) -> Any:
    """A JSON scalar token (true, false, null or a number) as a Python value."""
    if text == "true":
        return True
    if text == "false":
        return False
    if text == "null":
        return None
    if "." in text or "e" in text or "E" in text:
        return float(text)
    return int(text)
