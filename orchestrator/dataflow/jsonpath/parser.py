"""JSONPath text to steps, with Jayway JsonPath's grammar (the library AWS evaluates paths with).

``$`` then any of: ``.name`` (a name runs to the next ``.``, ``[`` or ``(``, so ``$.delivery-partner`` is
one name), ``['name']`` / ``["name"]`` (a backslash only protects the next character from ending the name;
it is kept, as AWS keeps it), ``['a','b']``, ``[0]``, ``[-1]``, ``[0,2]``, ``[1:3]``, ``[*]``, ``.*``,
``..step``, ``[?(<filter>)]``, and a trailing function such as ``.length()``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from orchestrator.dataflow.jsonpath.errors import InvalidPathError
from orchestrator.dataflow.jsonpath.segments import Child, Filter, Index, Scan, Segment, Slice, Wildcard

FUNCTIONS = frozenset({"length", "size", "min", "max", "avg", "stddev", "sum", "keys", "first", "last"})
_TOP_LEVEL_STOPS = frozenset(".[(")
_FILTER_STOPS = frozenset(".[( \t\n)]=!<>&|,~")
_INTEGER = re.compile(r"\s*(-?\d+)\s*")


@dataclass(frozen=True)
class ParsedPath:
    """The steps of a path and the function applied to their result, if any."""

    segments: tuple[Segment, ...]
    function: str | None


class PathParser:
    """Reads path steps from ``text`` starting at ``pos`` (just after the ``$`` or ``@``)."""

    def __init__(self, text: str, pos: int, *, in_filter: bool = False, original: str | None = None) -> None:
        self.text = text
        self.pos = pos
        self.in_filter = in_filter
        self.original = original if original is not None else text

    def fail(self, reason: str) -> InvalidPathError:
        return InvalidPathError(self.original, reason)

    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.text[index] if index < len(self.text) else ""

    def parse_steps(self) -> ParsedPath:
        """Steps up to the end of the text (or, in a filter, up to the first character no step starts with)."""
        segments: list[Segment] = []
        function: str | None = None
        while self.pos < len(self.text):
            char = self.peek()
            if function is not None:
                if self.in_filter:
                    break
                raise self.fail("a function must be the last step of a path")
            if char == "[":
                segments.append(self._bracket())
            elif char == "." and self.peek(1) == ".":
                self.pos += 2
                segments.append(Scan(self._scan_step()))
            elif char == ".":
                self.pos += 1
                if self.pos >= len(self.text):
                    raise self.fail("Path must not end with a '.'")
                if self.peek() == "[":
                    continue
                if self.peek() == "*":
                    self.pos += 1
                    segments.append(Wildcard())
                    continue
                name = self._name()
                if self.peek() == "(":
                    function = self._function(name)
                else:
                    segments.append(Child((name,)))
            elif self.in_filter:
                break
            else:
                raise self.fail(f"Character '{char}' on position {self.pos} is not valid")
        if segments and isinstance(segments[-1], Child) and len(segments[-1].names) > 1 and function is None:
            segments[-1] = Child(segments[-1].names, merge=True)
        return ParsedPath(tuple(segments), function)

    def _scan_step(self) -> Segment:
        char = self.peek()
        if char == "*":
            self.pos += 1
            return Wildcard()
        if char == "[":
            return self._bracket()
        if not char or char == ".":
            raise self.fail("Path must not end with a '.' or '..'")
        return Child((self._name(),))

    def _name(self) -> str:
        stops = _FILTER_STOPS if self.in_filter else _TOP_LEVEL_STOPS
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in stops:
            if self.text[self.pos].isspace():
                raise self.fail("Use bracket notation ['my prop'] if your property contains blank characters")
            self.pos += 1
        if self.pos == start:
            raise self.fail(f"Expected a property name at position {start}")
        return self.text[start : self.pos]

    def _function(self, name: str) -> str:
        if name not in FUNCTIONS:
            raise self.fail(f"Function with name: {name} does not exist.")
        self.pos += 1
        self._skip_spaces()
        if self.peek() != ")":
            raise self.fail(f"Function {name}() takes no parameters")
        self.pos += 1
        return name

    def _skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\n\r":
            self.pos += 1

    def _expect(self, char: str) -> None:
        self._skip_spaces()
        if self.peek() != char:
            raise self.fail(f"Expected '{char}' at position {self.pos}")
        self.pos += 1

    def _bracket(self) -> Segment:
        self.pos += 1
        self._skip_spaces()
        char = self.peek()
        if char == "*":
            self.pos += 1
            self._expect("]")
            return Wildcard()
        if char == "?":
            return self._filter()
        if char in ("'", '"'):
            return self._names()
        return self._indices()

    def _names(self) -> Segment:
        names = [self._quoted()]
        self._skip_spaces()
        while self.peek() == ",":
            self.pos += 1
            self._skip_spaces()
            if self.peek() not in ("'", '"'):
                raise self.fail(f"Expected a quoted property name at position {self.pos}")
            names.append(self._quoted())
            self._skip_spaces()
        self._expect("]")
        return Child(tuple(names))

    def _quoted(self) -> str:
        quote = self.peek()
        start = self.pos + 1
        index = start
        while index < len(self.text):
            char = self.text[index]
            if char == "\\":
                index += 2
                continue
            if char == quote:
                self.pos = index + 1
                return self.text[start:index]
            index += 1
        raise self.fail("Property has not been closed - missing closing quote")

    def _indices(self) -> Segment:
        end = self.text.find("]", self.pos)
        if end < 0:
            raise self.fail("Missing closing ']'")
        body = self.text[self.pos : end]
        self.pos = end + 1
        if ":" in body:
            bounds = body.split(":")
            if len(bounds) != 2:
                raise self.fail(f"Invalid slice [{body}]")
            start, stop = (self._optional_int(bound, body) for bound in bounds)
            return Slice(start, stop)
        indices = []
        for part in body.split(","):
            match = _INTEGER.fullmatch(part)
            if match is None:
                raise self.fail(f"Invalid array index [{body}]")
            indices.append(int(match.group(1)))
        return Index(tuple(indices))

    def _optional_int(self, bound: str, body: str) -> int | None:
        if not bound.strip():
            return None
        match = _INTEGER.fullmatch(bound)
        if match is None:
            raise self.fail(f"Invalid slice [{body}]")
        return int(match.group(1))

    def _filter(self) -> Segment:
        from orchestrator.dataflow.jsonpath.filters import FilterParser

        self.pos += 1
        self._expect("(")
        start = self.pos
        parser = FilterParser(self.text, self.pos, original=self.original)
        predicate = parser.parse()
        self.pos = parser.pos
        text = self.text[start : self.pos]
        self._expect(")")
        self._expect("]")
        return Filter(predicate, text)


def parse_path(text: str) -> ParsedPath:
    """Parse a whole path (``$...``); raise :class:`InvalidPathError` if it is not one."""
    stripped = text.strip()
    if not stripped.startswith("$"):
        raise InvalidPathError(text, "a JSONPath must start with '$'")
    return PathParser(stripped, 1, original=text).parse_steps()
