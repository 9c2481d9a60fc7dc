"""Intrinsic function calls (``States.Format('{} {}', $.a, States.UUID())``) parsed into a tree.

Arguments are string literals in single quotes (``\\'``, ``\\{``, ``\\}`` and ``\\\\`` are the only
escapes; AWS rejects any other backslash sequence when the state machine is created), numbers, ``true``,
``false``, ``null``, paths (``$`` or ``$.x`` on the state input, ``$$.x`` on the context object,
``$name.x`` on a variable) and nested calls. Only the syntax is checked here: argument counts and types
are checked when the call is evaluated, as AWS does.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Literal

from orchestrator.dataflow.json_text import scalar_literal
from orchestrator.dataflow.jsonpath import CompiledPath, InvalidPathError, compile_path

FUNCTION_NAMES = frozenset(
    {
        "States.Format",
        "States.StringToJson",
        "States.JsonToString",
        "States.Array",
        "States.ArrayPartition",
        "States.ArrayContains",
        "States.ArrayRange",
        "States.ArrayGetItem",
        "States.ArrayLength",
        "States.ArrayUnique",
        "States.Base64Encode",
        "States.Base64Decode",
        "States.Hash",
        "States.JsonMerge",
        "States.MathRandom",
        "States.MathAdd",
        "States.StringSplit",
        "States.UUID",
    }
)
_NAME = re.compile(r"States\.[A-Za-z0-9]+")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_KEYWORD = re.compile(r"true|false|null")
_VARIABLE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_ESCAPABLE = "'{}\\"


class IntrinsicSyntaxError(ValueError):
    """The text is not a well-formed intrinsic function call."""


@dataclass(frozen=True)
class StringLiteral:
    """``'text'``: ``value`` is unescaped; ``raw`` keeps the escapes (``States.Format`` needs ``\\{``)."""

    value: str
    raw: str


@dataclass(frozen=True)
class ValueLiteral:
    """A number, ``true``, ``false`` or ``null``."""

    value: Any


@dataclass(frozen=True)
class PathArgument:
    """A path argument: ``text`` as written, ``path`` to evaluate on the input, context or a variable."""

    text: str
    source: Literal["input", "context", "variable"]
    path: CompiledPath
    variable: str | None = None


@dataclass(frozen=True)
class IntrinsicCall:
    """``name(args...)``; ``text`` is the call exactly as written."""

    name: str
    args: tuple[Argument, ...]
    text: str


Argument = StringLiteral | ValueLiteral | PathArgument | IntrinsicCall


def is_intrinsic(text: str) -> bool:
    """Whether ``text`` looks like an intrinsic function call (``States.X(...)``)."""
    return (
        isinstance(text, str) and text.startswith("States.") and "(" in text and text.rstrip().endswith(")")
    )


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> IntrinsicCall:
    """Parse a call; raises :class:`IntrinsicSyntaxError` if ``text`` is not one."""
    parser = _Parser(text)
    call = parser.call()
    parser.skip_spaces()
    if parser.pos != len(text):
        raise IntrinsicSyntaxError(
            f"Unexpected text after the intrinsic function call at position {parser.pos}"
        )
    return call


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, reason: str) -> IntrinsicSyntaxError:
        return IntrinsicSyntaxError(f"{reason} at position {self.pos} of {self.text!r}")

    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def call(self) -> IntrinsicCall:
        start = self.pos
        match = _NAME.match(self.text, self.pos)
        if match is None:
            raise self.fail("Expected an intrinsic function name")
        name = match.group()
        if name not in FUNCTION_NAMES:
            raise self.fail(f"Unknown intrinsic function {name}")
        self.pos = match.end()
        if self.text[self.pos : self.pos + 1] != "(":
            raise self.fail("Expected '('")
        self.pos += 1
        args: list[Argument] = []
        self.skip_spaces()
        if self.text[self.pos : self.pos + 1] == ")":
            self.pos += 1
            return IntrinsicCall(name, (), self.text[start : self.pos])
        while True:
            args.append(self.argument())
            self.skip_spaces()
            char = self.text[self.pos : self.pos + 1]
            self.pos += 1
            if char == ")":
                return IntrinsicCall(name, tuple(args), self.text[start : self.pos])
            if char != ",":
                self.pos -= 1
                raise self.fail("Expected ',' or ')'")

    def argument(self) -> Argument:
        self.skip_spaces()
        char = self.text[self.pos : self.pos + 1]
        if char == "'":
            return self.string()
        if char == "$":
            return self.path()
        if self.text.startswith("States.", self.pos):
            return self.call()
        for pattern in (_NUMBER, _KEYWORD):
            match = pattern.match(self.text, self.pos)
            if match is not None and not self.text[match.end() : match.end() + 1].isalnum():
                self.pos = match.end()
                return ValueLiteral(scalar_literal(match.group()))
        raise self.fail("Expected an argument")

    def string(self) -> StringLiteral:
        start = self.pos + 1
        chars: list[str] = []
        index = start
        while index < len(self.text):
            char = self.text[index]
            if char == "\\":
                escaped = self.text[index + 1 : index + 2]
                if escaped == "" or escaped not in _ESCAPABLE:
                    self.pos = index
                    raise self.fail("Invalid escape sequence in string literal")
                chars.append(escaped)
                index += 2
                continue
            if char == "'":
                self.pos = index + 1
                return StringLiteral("".join(chars), self.text[start:index])
            chars.append(char)
            index += 1
        raise self.fail("Unterminated string literal")

    def path(self) -> PathArgument:
        start = self.pos
        depth = 0
        quote = ""
        index = self.pos
        while index < len(self.text):
            char = self.text[index]
            if quote:
                if char == "\\":
                    index += 1
                elif char == quote:
                    quote = ""
            elif char in "'\"":
                quote = char
            elif char in "[(":
                depth += 1
            elif char in "])":
                if depth == 0:
                    break
                depth -= 1
            elif char == "," and depth == 0:
                break
            index += 1
        self.pos = index
        text = self.text[start:index].rstrip()
        return _path_argument(text, self)


def _path_argument(text: str, parser: _Parser) -> PathArgument:
    try:
        if text.startswith("$$"):
            return PathArgument(text, "context", compile_path(text[1:]))
        variable = _VARIABLE.match(text)
        if variable is not None:
            rest = text[variable.end() :]
            return PathArgument(text, "variable", compile_path("$" + rest), variable.group(1))
        return PathArgument(text, "input", compile_path(text))
    except InvalidPathError as error:
        raise parser.fail(f"Invalid path argument {text!r}: {error.reason}") from None
