"""Compiled paths: parse once (cached), read many times.

Plain dotted names and indices (``$.a.b[0]``), the engine's hot path, read through a tight loop over
``(name | index)`` steps; everything else (and every failure, for its message) goes through
:mod:`orchestrator.dataflow.jsonpath.evaluate`.
"""

from __future__ import annotations

import functools
from typing import Any, NoReturn

from orchestrator.dataflow.jsonpath.errors import InvalidPathError, PathNotFound
from orchestrator.dataflow.jsonpath.evaluate import read_indefinite, walk_definite
from orchestrator.dataflow.jsonpath.functions import apply_function
from orchestrator.dataflow.jsonpath.parser import ParsedPath, parse_path
from orchestrator.dataflow.jsonpath.segments import Child, Index

_MISSING: Any = object()


class CompiledPath:
    """A parsed JSONPath. ``definite`` paths read one value; indefinite ones read a list."""

    __slots__ = ("_steps", "definite", "definite_prefix", "function", "jayway", "segments", "text")

    def __init__(self, text: str, parsed: ParsedPath) -> None:
        self.text = text
        self.segments = parsed.segments
        self.function = parsed.function
        self.definite = all(segment.is_definite() for segment in self.segments)
        prefix = 0
        for segment in self.segments:
            if not _is_single_step(segment):
                break
            prefix += 1
        self.definite_prefix = prefix
        self.jayway = "$" + "".join(segment.fragment() for segment in self.segments)
        if self.function is not None:
            self.jayway += f".{self.function}()"
        simple = self.function is None and prefix == len(self.segments)
        self._steps: tuple[str | int, ...] | None = (
            tuple(_step_key(segment) for segment in self.segments) if simple else None
        )

    def __repr__(self) -> str:
        return f"CompiledPath({self.text!r})"

    @property
    def steps(self) -> tuple[str | int, ...] | None:
        """The names and indices of a reference path (``$.a[0]`` -> ``('a', 0)``); ``None`` for others."""
        return self._steps

    def read(self, data: Any, *, strict: bool = False) -> Any:
        """The value (definite path) or list of values (indefinite path) this path finds in ``data``.

        Raises :class:`PathNotFound` when nothing resolves; ``strict`` also treats an index past the end
        of an array as a miss (instead of ``null``).
        """
        steps = self._steps
        if steps is None:
            return self._read_general(data, strict=strict)
        node = data
        for step in steps:
            if isinstance(step, str):
                if type(node) is dict:
                    value = node.get(step, _MISSING)
                    if value is not _MISSING:
                        node = value
                        continue
            elif type(node) is list:
                size = len(node)
                position = step + size if step < 0 else step
                if 0 <= position < size:
                    node = node[position]
                    continue
                if not strict:
                    node = None
                    continue
            self._fail(data, strict=strict)
        return node

    def read_lenient(self, data: Any) -> Any:
        """Like :meth:`read` but a miss is the filter sentinel ``UNDEFINED`` instead of an exception."""
        from orchestrator.dataflow.jsonpath.filters import UNDEFINED

        try:
            return self.read(data, strict=True)
        except PathNotFound:
            return UNDEFINED

    def _read_general(self, data: Any, *, strict: bool) -> Any:
        if self.definite:
            value = walk_definite(self, data, len(self.segments), leaf=True, strict=strict)
        else:
            value = read_indefinite(self, data, strict=strict)
        if self.function is not None:
            return apply_function(self.function, value, self.text)
        return value

    def _fail(self, data: Any, *, strict: bool) -> NoReturn:
        walk_definite(self, data, len(self.segments), leaf=True, strict=strict)
        raise PathNotFound(self.text, f"No results for path: {self.jayway}")


def _is_single_step(segment: object) -> bool:
    if isinstance(segment, Child):
        return len(segment.names) == 1 and not segment.merge
    return isinstance(segment, Index) and len(segment.indices) == 1


def _step_key(segment: object) -> str | int:
    if isinstance(segment, Child):
        return segment.names[0]
    assert isinstance(segment, Index)
    return segment.indices[0]


@functools.lru_cache(maxsize=8192)
def compile_path(path: str) -> CompiledPath:
    """Compile (and cache) a JSONPath; raises :class:`InvalidPathError` if ``path`` is not one."""
    if not isinstance(path, str):
        raise InvalidPathError(repr(path), "a JSONPath must be a string")
    return CompiledPath(path, parse_path(path))


def is_valid_path(path: str) -> bool:
    """Whether ``path`` is a JSONPath AWS accepts (``$``-rooted; ``$$`` context paths are not)."""
    if not isinstance(path, str):
        return False
    try:
        compile_path(path)
    except InvalidPathError:
        return False
    return True


def is_reference_path(path: str) -> bool:
    """ASL's Reference Path: ``$`` then only ``.name``, ``['name']`` and ``[n]`` steps (no wildcard,
    filter, slice, union, deep scan or function), as ResultPath and the ``*Path`` fields require."""
    if not isinstance(path, str):
        return False
    try:
        compiled = compile_path(path)
    except InvalidPathError:
        return False
    steps = compiled.steps
    return steps is not None and all(isinstance(step, str) or step >= 0 for step in steps)


def read_path(path: str, data: Any) -> Any:
    """Evaluate ``path`` on ``data``: a value for a definite path, a list for an indefinite one.

    Raises :class:`PathNotFound` (with AWS's wording in ``detail``) when nothing resolves and
    :class:`InvalidPathError` when ``path`` is not a JSONPath.
    """
    return compile_path(path).read(data)
