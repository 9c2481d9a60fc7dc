"""Execution input checks, with AWS's wording.

AWS parses inputs with Jackson and quotes its message: ``Invalid State Machine Execution Input:
'Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true'
or 'false')'``. :func:`jackson_message` maps Python's JSON errors onto Jackson's phrases for the
common cases; an empty input is ``'Invalid execution input.'`` (recorded).
"""

from __future__ import annotations

import json
import re
from typing import Any

from orchestrator.errors import ApiError

MAX_INPUT_BYTES = 262144
_VALUE_EXPECTED = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
_TOKEN = re.compile(r"[A-Za-z0-9_$+\-.]+")


def _reject_constant(name: str) -> Any:
    raise ValueError(
        f"Non-standard token '{name}': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"
    )


def parse_json(text: str) -> Any:
    """``json.loads`` as strict as Jackson: NaN and Infinity are not JSON."""
    return json.loads(text, parse_constant=_reject_constant)


def _container_at(text: str, pos: int) -> str:
    """``Object`` or ``Array``: the innermost container open at ``pos``."""
    stack: list[str] = []
    in_string = escaped = False
    for ch in text[:pos]:
        if in_string:
            escaped, in_string = (False, True) if escaped else (ch == "\\", ch != '"')
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append("Object" if ch == "{" else "Array")
        elif ch in "}]" and stack:
            stack.pop()
    return stack[-1] if stack else "Object"


def jackson_message(text: str, error: json.JSONDecodeError) -> str:
    """Jackson's wording for the JSON syntax error Python found in ``text``."""
    pos = error.pos
    if pos >= len(text):
        return f"Unexpected end-of-input: expected close marker for {_container_at(text, pos)}"
    ch = text[pos]
    char = f"'{ch}' (code {ord(ch)})"
    if ord(ch) < 32 and error.msg.startswith("Invalid control character"):
        return (
            f"Illegal unquoted character ((CTRL-CHAR, code {ord(ch)})): has to be escaped using backslash "
            "to be included in string value"
        )
    if error.msg.startswith("Expecting property name"):
        return f"Unexpected character ({char}): was expecting double-quote to start field name"
    if error.msg.startswith("Expecting ':'"):
        return f"Unexpected character ({char}): was expecting a colon to separate field name and value"
    if error.msg.startswith("Expecting ','"):
        container = _container_at(text, pos)
        return f"Unexpected character ({char}): was expecting comma to separate {container} entries"
    if error.msg.startswith("Extra data"):
        return f"Unexpected character ({char}): expected end-of-input"
    if ch.isalpha():
        token = _TOKEN.match(text, pos)
        return f"Unrecognized token '{token.group(0) if token else ch}': was expecting {_VALUE_EXPECTED}"
    return f"Unexpected character ({char}): expected a valid value {_VALUE_EXPECTED}"


def invalid_input(detail: str) -> ApiError:
    return ApiError("InvalidExecutionInput", f"Invalid State Machine Execution Input: '{detail}'")


def execution_input(value: Any) -> str:
    """The input text of a new execution: ``{}`` when absent; ``InvalidExecutionInput`` unless JSON."""
    if value is None:
        return "{}"
    if not isinstance(value, str):
        raise ApiError("SerializationException", "Expected a string for 'input'")
    if len(value.encode()) > MAX_INPUT_BYTES:
        raise ApiError(
            "ValidationException",
            "1 validation error detected: Value at 'input' failed to satisfy constraint: "
            f"Member must have length less than or equal to {MAX_INPUT_BYTES}",
        )
    if not value.strip():
        raise invalid_input("Invalid execution input.")
    try:
        parse_json(value)
    except json.JSONDecodeError as error:
        raise invalid_input(jackson_message(value, error)) from None
    except ValueError as error:
        raise invalid_input(str(error)) from None
    return value
