"""The diagnostics collector every validation module writes into, and the JSON-location helpers.

Locations are written as AWS writes them: ``/`` for the root, ``/States/A/Next`` for a field, and
``[i]`` for an array element (``/States/P/Branches[0]/States/X``, ``/States/T/Catch[0]``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from orchestrator.asl.diagnostics import Diagnostic

SCHEMA = "SCHEMA_VALIDATION_FAILED"
JSONPATH = "JSONPath"
JSONATA = "JSONata"
STANDARD = "STANDARD"
EXPRESS = "EXPRESS"


def at(path: str, key: str | int) -> str:
    """The location of ``key`` (a field name or an array index) inside the value at ``path``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"/{key}" if path == "/" else f"{path}/{key}"


@dataclass
class Report:
    """Collects diagnostics in the order they are found; knows the machine's type and query language."""

    state_machine_type: str = STANDARD
    query_language: str = JSONPATH
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, message: str, code: str = SCHEMA) -> None:
        self.diagnostics.append(Diagnostic(code, message, path))

    def required(self, obj: dict[str, Any], path: str, fields: tuple[str, ...]) -> bool:
        """``These fields are required: [A, B]`` for the missing ones; whether all were there."""
        missing = [name for name in fields if name not in obj]
        if missing:
            self.error(path, f"These fields are required: [{', '.join(missing)}]")
        return not missing

    def unsupported(self, obj: dict[str, Any], path: str, allowed: frozenset[str]) -> None:
        """``Field 'X' is not supported`` for every field of ``obj`` outside ``allowed``."""
        for name in obj:
            if name not in allowed:
                self.error(path, f"Field '{name}' is not supported")

    def exclusive(self, obj: dict[str, Any], path: str, first: str, second: str) -> bool:
        """Report ``first`` and ``second`` set together; whether they were."""
        if first in obj and second in obj:
            self.error(path, f"Only one of the fields '{first}' or '{second}' can be set")
            return True
        return False

    def expect(self, value: Any, path: str, kind: str) -> bool:
        """Check a JSON type (``STRING``, ``BOOLEAN``, ``INTEGER``, ``NUMBER``, ``OBJECT``, ``ARRAY``)."""
        if is_kind(value, kind):
            return True
        self.error(path, f"Expected value of type [{kind}]")
        return False


def is_kind(value: Any, kind: str) -> bool:
    """Whether ``value`` is of the JSON type ``kind`` (booleans are not numbers; ``2.0`` is an integer)."""
    if kind == "STRING":
        return isinstance(value, str)
    if kind == "BOOLEAN":
        return isinstance(value, bool)
    if kind == "OBJECT":
        return isinstance(value, dict)
    if kind == "ARRAY":
        return isinstance(value, list)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return kind == "NUMBER" or float(value).is_integer()


def language_message(language: str, field: str) -> str:
    """AWS's wording for a field of the other query language, located at the object that holds it."""
    other = JSONPATH if language == JSONATA else JSONATA
    return (
        f"The QueryLanguage is set to '{language}', but field '{field}' is only supported for the '{other}' "
        "QueryLanguage"
    )
