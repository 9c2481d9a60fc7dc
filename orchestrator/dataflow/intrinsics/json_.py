"""JSON intrinsics: States.StringToJson, States.JsonToString and States.JsonMerge (shallow only)."""

from __future__ import annotations

from typing import Any

from orchestrator.dataflow.intrinsics.failures import InvalidArguments
from orchestrator.dataflow.json_text import dumps, loads


def string_to_json(text: Any) -> Any:
    """``States.StringToJson(string)``: the parsed value; a blank string is ``null``."""
    if not isinstance(text, str):
        raise InvalidArguments
    if not text.strip():
        return None
    try:
        return loads(text)
    except ValueError:
        raise InvalidArguments from None


def json_to_string(value: Any) -> str:
    """``States.JsonToString(value)``: compact JSON text."""
    return dumps(value)


def json_merge(left: Any, right: Any, deep: Any) -> dict[str, Any]:
    """``States.JsonMerge(a, b, false)``: ``a`` with ``b``'s members on top. AWS supports only shallow
    merging, so ``deep`` must be ``false``."""
    if not isinstance(left, dict) or not isinstance(right, dict) or deep is not False:
        raise InvalidArguments
    return {**left, **right}
