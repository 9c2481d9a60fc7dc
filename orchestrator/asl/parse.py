"""Definition text → dict, with AWS's diagnostics for text that is not a JSON object.

AWS parses definitions with Jackson, so a syntax error reads like Jackson's, e.g. for ``not a definition``::

    code     INVALID_JSON_DESCRIPTION
    message  Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null',
             'true' or 'false')\\n at [Source: (String)"not a definition"; line: 1, column: 4]
    location [Source: (String)"not a definition"; line: 1, column: 4]

A blank text or a JSON value that is not an object is ``SCHEMA_VALIDATION_FAILED: Definition must be a
valid JSON object`` (no location). Like Jackson's ``readTree``, text after the first JSON value is ignored.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from orchestrator.asl.diagnostics import Diagnostic
from orchestrator.errors import DefinitionError

INVALID_JSON = "INVALID_JSON_DESCRIPTION"
NOT_AN_OBJECT = Diagnostic("SCHEMA_VALIDATION_FAILED", "Definition must be a valid JSON object")
_SOURCE_LIMIT = 500  # Jackson prints at most this many characters of the source
_EXPECTING_VALUE = "was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"


def load_definition(text: str, *, allow_yaml: bool = False) -> dict[str, Any]:
    """Parse a definition (JSON, or YAML when ``allow_yaml``); raise ``DefinitionError`` if it is not an object."""
    definition, _ = parse_definition(text, allow_yaml=allow_yaml)
    return definition


def parse_definition(text: str, *, allow_yaml: bool = False) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Like :func:`load_definition`, also returning ``DUPLICATE_STATE_NAME`` diagnostics (a dict keeps only
    the last of two equal keys, so duplicates can only be seen while parsing)."""
    if not text.strip():
        raise DefinitionError([NOT_AN_OBJECT])
    duplicates: dict[int, list[str]] = {}
    yaml_text = allow_yaml and not _looks_like_json(text)
    value = _load_yaml(text) if yaml_text else _load_json(text, duplicates)
    if not isinstance(value, dict):
        raise DefinitionError([NOT_AN_OBJECT])
    return value, _duplicate_state_names(value, "", duplicates)


def _looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


def _load_yaml(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DefinitionError([Diagnostic(INVALID_JSON, str(error))]) from error


def _load_json(text: str, duplicates: dict[int, list[str]]) -> Any:
    def object_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                duplicates.setdefault(id(result), []).append(key)
            result[key] = value
        return result

    decoder = json.JSONDecoder(object_pairs_hook=object_pairs)
    start = len(text) - len(text.lstrip())
    try:
        value, _ = decoder.raw_decode(text, start)
    except json.JSONDecodeError as error:
        message, index = _jackson_error(text, error)
        location = _jackson_location(text, index)
        raise DefinitionError([Diagnostic(INVALID_JSON, f"{message}\n at {location}", location)]) from error
    return value


def _duplicate_state_names(
    program: dict[str, Any], path: str, duplicates: dict[int, list[str]]
) -> list[Diagnostic]:
    """``DUPLICATE_STATE_NAME: Duplicate State name: X at /States/X`` for every program, nested ones too."""
    states = program.get("States")
    if not isinstance(states, dict):
        return []
    found = [
        Diagnostic("DUPLICATE_STATE_NAME", f"Duplicate State name: {name}", f"{path}/States/{name}")
        for name in duplicates.get(id(states), [])
    ]
    for name, state in states.items():
        if not isinstance(state, dict):
            continue
        state_path = f"{path}/States/{name}"
        for index, branch in enumerate(state.get("Branches") or []):
            if isinstance(branch, dict):
                found += _duplicate_state_names(branch, f"{state_path}/Branches[{index}]", duplicates)
        for field in ("ItemProcessor", "Iterator"):
            if isinstance(state.get(field), dict):
                found += _duplicate_state_names(state[field], f"{state_path}/{field}", duplicates)
    return found


def _jackson_error(text: str, error: json.JSONDecodeError) -> tuple[str, int]:
    """Jackson's wording for the error Python's decoder found, and the index Jackson reports it after."""
    index = error.pos
    if error.msg.startswith("Unterminated string"):
        return "Unexpected end-of-input: was expecting closing quote for a string value", len(text)
    if index >= len(text):
        return _end_of_input(text), len(text)
    char = text[index]
    if error.msg == "Expecting value":
        if char.isalpha():
            end = index
            while end < len(text) and (text[end].isalnum() or text[end] in "_$"):
                end += 1
            return f"Unrecognized token '{text[index:end]}': {_EXPECTING_VALUE}", end
        return f"Unexpected character ({_char(char)}): expected a value", index + 1
    if error.msg.startswith("Expecting property name"):
        return (
            f"Unexpected character ({_char(char)}): was expecting double-quote to start field name",
            index + 1,
        )
    if error.msg.startswith("Expecting ':'"):
        return (
            f"Unexpected character ({_char(char)}): was expecting a colon to separate field name and value",
            index + 1,
        )
    if error.msg.startswith("Expecting ','"):
        container = "Array" if _innermost_container(text, index) == "[" else "Object"
        return (
            f"Unexpected character ({_char(char)}): was expecting comma to separate {container} entries",
            index + 1,
        )
    if error.msg.startswith("Invalid control character"):
        return (
            f"Illegal unquoted character ((CTRL-CHAR, code {ord(char)})): has to be escaped using backslash to be "
            "included in string value",
            index + 1,
        )
    if error.msg.startswith("Invalid \\escape"):
        escaped = text[index + 1] if index + 1 < len(text) else ""
        return f"Unrecognized character escape {_char(escaped)}", index + 2
    return error.msg, index + 1


def _end_of_input(text: str) -> str:
    container = _innermost_container(text, len(text))
    if container is None:
        return "No content to map due to end-of-input"
    name = "Array" if container == "[" else "Object"
    return f"Unexpected end-of-input: expected close marker for {name}"


def _innermost_container(text: str, end: int) -> str | None:
    """The bracket (``{`` or ``[``) still open at ``end``, skipping string contents."""
    stack: list[str] = []
    in_string = escaped = False
    for char in text[:end]:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            stack.append(char)
        elif char in "}]" and stack:
            stack.pop()
    return stack[-1] if stack else None


def _char(char: str) -> str:
    return f"'{char}' (code {ord(char)})"


def _jackson_location(text: str, index: int) -> str:
    """``[Source: (String)"<text>"; line: L, column: C]``, ``C`` being the 1-based column of ``index``."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    source = text[:_SOURCE_LIMIT]
    if len(text) > _SOURCE_LIMIT:
        source += f'"[truncated {len(text) - _SOURCE_LIMIT} chars]'
    else:
        source += '"'
    return f'[Source: (String)"{source}; line: {line}, column: {column}]'
