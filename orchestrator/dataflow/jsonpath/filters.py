"""Filter predicates ``[?(...)]`` with Jayway's operators and comparison rules.

``@`` is the element being tested and ``$`` the document root. A path alone tests that it exists
(``[?(@.isbn)]``). Operators: ``== != < <= > >= =~ in nin subsetof anyof noneof size empty``, combined
with ``&& || !`` and parentheses. Numbers compare as numbers (``1 == 1.0``), strings as strings, ``<``
between other kinds is false, and ``=~ /re/i`` must match the whole string (Java's ``matches``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from orchestrator.dataflow.json_text import scalar_literal
from orchestrator.dataflow.jsonpath.errors import InvalidPathError
from orchestrator.dataflow.jvm import is_number
from orchestrator.dataflow.values import json_equal

UNDEFINED: Any = object()
"""A path operand that found nothing (distinct from JSON ``null``)."""

_LITERAL = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true\b|false\b|null\b")
_OPERATORS = (
    "==",
    "!=",
    "<=",
    ">=",
    "=~",
    "<",
    ">",
    "in",
    "nin",
    "subsetof",
    "anyof",
    "noneof",
    "size",
    "empty",
)


class Operand:
    """A value in a predicate: a literal, or a path evaluated against ``@`` or ``$``."""

    __slots__ = ("literal", "path", "relative")

    def __init__(self, *, literal: Any = UNDEFINED, path: Any = None, relative: bool = True) -> None:
        self.literal = literal
        self.path = path
        self.relative = relative

    def value(self, current: Any, root: Any) -> Any:
        if self.path is None:
            return self.literal
        return self.path.read_lenient(current if self.relative else root)


class Predicate:
    """A boolean test of one element."""

    __slots__ = ("_test",)

    def __init__(self, test: Callable[[Any, Any], bool]) -> None:
        self._test = test

    def test(self, current: Any, root: Any) -> bool:
        return self._test(current, root)


class FilterParser:
    """Recursive-descent parser of a predicate, starting at ``pos`` and stopping before its ``)``."""

    def __init__(self, text: str, pos: int, *, original: str) -> None:
        self.text = text
        self.pos = pos
        self.original = original

    def fail(self, reason: str) -> InvalidPathError:
        return InvalidPathError(self.original, f"invalid filter: {reason}")

    def parse(self) -> Predicate:
        predicate = self._or()
        self._skip()
        if self.text[self.pos : self.pos + 1] != ")":
            raise self.fail(f"unexpected text at position {self.pos}")
        return predicate

    def _skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def _take(self, token: str) -> bool:
        self._skip()
        if self.text.startswith(token, self.pos):
            self.pos += len(token)
            return True
        return False

    def _or(self) -> Predicate:
        terms = [self._and()]
        while self._take("||"):
            terms.append(self._and())
        if len(terms) == 1:
            return terms[0]
        return Predicate(lambda current, root: any(term.test(current, root) for term in terms))

    def _and(self) -> Predicate:
        terms = [self._unary()]
        while self._take("&&"):
            terms.append(self._unary())
        if len(terms) == 1:
            return terms[0]
        return Predicate(lambda current, root: all(term.test(current, root) for term in terms))

    def _unary(self) -> Predicate:
        if self._take("!") and not self.text.startswith("=", self.pos):
            inner = self._unary()
            return Predicate(lambda current, root: not inner.test(current, root))
        if self._take("("):
            inner = self._or()
            if not self._take(")"):
                raise self.fail("missing ')'")
            return inner
        return self._comparison()

    def _comparison(self) -> Predicate:
        left = self._operand()
        self._skip()
        operator = next((op for op in _OPERATORS if self.text.startswith(op, self.pos)), None)
        if operator is None:
            if left.path is None:
                raise self.fail("a literal alone is not a predicate")
            return Predicate(lambda current, root: left.value(current, root) is not UNDEFINED)
        self.pos += len(operator)
        right = self._operand()
        compare = COMPARATORS[operator]
        return Predicate(lambda current, root: compare(left.value(current, root), right.value(current, root)))

    def _operand(self) -> Operand:
        from orchestrator.dataflow.jsonpath.compiled import CompiledPath
        from orchestrator.dataflow.jsonpath.parser import PathParser

        self._skip()
        char = self.text[self.pos : self.pos + 1]
        if char in ("@", "$"):
            parser = PathParser(self.text, self.pos + 1, in_filter=True, original=self.original)
            parsed = parser.parse_steps()
            source = self.text[self.pos : parser.pos]
            self.pos = parser.pos
            return Operand(path=CompiledPath(source, parsed), relative=char == "@")
        if char in ("'", '"'):
            return Operand(literal=self._string(char))
        if char == "/":
            return Operand(literal=self._regex())
        if char == "[":
            return Operand(literal=self._array())
        match = _LITERAL.match(self.text, self.pos)
        if match is None:
            raise self.fail(f"unexpected text at position {self.pos}")
        self.pos = match.end()
        return Operand(literal=scalar_literal(match.group()))

    def _string(self, quote: str) -> str:
        end = self.pos + 1
        chars: list[str] = []
        while end < len(self.text) and self.text[end] != quote:
            if self.text[end] == "\\" and end + 1 < len(self.text):
                end += 1
            chars.append(self.text[end])
            end += 1
        if end >= len(self.text):
            raise self.fail("unterminated string")
        self.pos = end + 1
        return "".join(chars)

    def _regex(self) -> re.Pattern[str]:
        end = self.pos + 1
        while end < len(self.text) and self.text[end] != "/":
            end += 2 if self.text[end] == "\\" else 1
        if end >= len(self.text):
            raise self.fail("unterminated regular expression")
        pattern = self.text[self.pos + 1 : end]
        flags_end = end + 1
        while flags_end < len(self.text) and self.text[flags_end].isalpha():
            flags_end += 1
        flags = 0
        for flag in self.text[end + 1 : flags_end]:
            flags |= {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}.get(flag, 0)
        self.pos = flags_end
        try:
            return re.compile(pattern, flags)
        except re.error as error:
            raise self.fail(f"invalid regular expression: {error}") from None

    def _array(self) -> list[Any]:
        self.pos += 1
        items: list[Any] = []
        self._skip()
        if self._take("]"):
            return items
        while True:
            operand = self._operand()
            if operand.path is not None:
                raise self.fail("paths are not allowed in array literals")
            items.append(operand.literal)
            if self._take("]"):
                return items
            if not self._take(","):
                raise self.fail("expected ',' or ']' in array literal")


def _equal(left: Any, right: Any) -> bool:
    if left is UNDEFINED or right is UNDEFINED:
        return False
    if is_number(left) and is_number(right):
        return bool(left == right)
    if (is_number(left) and isinstance(right, str)) or (isinstance(left, str) and is_number(right)):
        number, text = (left, right) if is_number(left) else (right, left)
        try:
            return bool(float(text) == number)
        except ValueError:
            return False
    return json_equal(left, right)


def _ordered(check: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(left: Any, right: Any) -> bool:
        if (is_number(left) and is_number(right)) or (isinstance(left, str) and isinstance(right, str)):
            return check(left, right)
        return False

    return compare


def _matches(left: Any, right: Any) -> bool:
    return isinstance(left, str) and isinstance(right, re.Pattern) and right.fullmatch(left) is not None


def _member(item: Any, collection: Any) -> bool:
    return isinstance(collection, list) and any(_equal(item, element) for element in collection)


def _all_in(left: Any, right: Any) -> bool:
    return isinstance(left, list) and isinstance(right, list) and all(_member(item, right) for item in left)


def _any_in(left: Any, right: Any) -> bool:
    return isinstance(left, list) and isinstance(right, list) and any(_member(item, right) for item in left)


def _size(left: Any, right: Any) -> bool:
    return isinstance(left, list | str) and is_number(right) and len(left) == right


def _empty(left: Any, right: Any) -> bool:
    return isinstance(left, list | str) and isinstance(right, bool) and (len(left) == 0) == right


COMPARATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": _equal,
    "!=": lambda left, right: left is not UNDEFINED and right is not UNDEFINED and not _equal(left, right),
    "<": _ordered(lambda left, right: left < right),
    "<=": _ordered(lambda left, right: left <= right),
    ">": _ordered(lambda left, right: left > right),
    ">=": _ordered(lambda left, right: left >= right),
    "=~": _matches,
    "in": _member,
    "nin": lambda left, right: isinstance(right, list) and not _member(left, right),
    "subsetof": _all_in,
    "anyof": _any_in,
    "noneof": lambda left, right: (
        isinstance(left, list) and isinstance(right, list) and not _any_in(left, right)
    ),
    "size": _size,
    "empty": _empty,
}
