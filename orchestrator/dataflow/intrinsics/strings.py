"""String intrinsics: States.Format and States.StringSplit.

``States.Format`` replaces each ``{}`` of its template with the next argument, printed as AWS's Java runtime
prints it (``null``, ``true``, ``1.5``, objects as ``{a=1, b=[x, y]}``). The number of ``{}`` must equal
the number of arguments; a ``{`` or ``}`` that is not part of ``{}`` must be escaped (``\\{``) in a
literal template. ``States.StringSplit`` splits at every character of its delimiter and drops empty
parts (``java.util.StringTokenizer``): ``StringSplit('a,,b', ',')`` is ``["a", "b"]``.
"""

from __future__ import annotations

from typing import Any

from orchestrator.dataflow.intrinsics.failures import InvalidArguments
from orchestrator.dataflow.jvm import java_to_string

_PLACEHOLDER: Any = object()


def format_(template: Any, *args: Any, raw_template: str | None = None) -> str:
    """``States.Format(template, args...)``; ``raw_template`` is a literal template with its escapes."""
    if not isinstance(template, str):
        raise InvalidArguments
    pieces = _template_pieces(
        raw_template if raw_template is not None else template, raw_template is not None
    )
    if sum(1 for piece in pieces if piece is _PLACEHOLDER) != len(args):
        raise InvalidArguments
    values = iter(args)
    return "".join(java_to_string(next(values)) if piece is _PLACEHOLDER else piece for piece in pieces)


def _template_pieces(template: str, escapes: bool) -> list[Any]:
    pieces: list[Any] = []
    index = 0
    while index < len(template):
        char = template[index]
        if escapes and char == "\\" and index + 1 < len(template):
            pieces.append(template[index + 1])
            index += 2
        elif char == "{":
            if template[index + 1 : index + 2] != "}":
                raise InvalidArguments
            pieces.append(_PLACEHOLDER)
            index += 2
        elif char == "}":
            raise InvalidArguments
        else:
            pieces.append(char)
            index += 1
    return pieces


def string_split(text: Any, delimiters: Any) -> list[str]:
    """``States.StringSplit(string, delimiters)``: the non-empty runs between delimiter characters."""
    if not isinstance(text, str) or not isinstance(delimiters, str):
        raise InvalidArguments
    parts: list[str] = []
    current: list[str] = []
    for char in text:
        if char in delimiters:
            if current:
                parts.append("".join(current))
                current = []
        else:
            current.append(char)
    if current:
        parts.append("".join(current))
    return parts
