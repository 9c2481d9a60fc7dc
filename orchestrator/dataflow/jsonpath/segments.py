"""The steps of a compiled JSONPath, each able to select from one node.

A step is *definite* when it picks at most one node by name or index (``.a``, ``['a']``, ``[0]``); any
other step (wildcard, union, slice, filter, deep scan) makes the whole path indefinite, and an indefinite
path returns a list. ``fragment`` is the step in Jayway's normal form (``['a']``, ``[0]``), the form AWS
prints in its messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orchestrator.dataflow.jsonpath.filters import Predicate


class Segment:
    """One step of a path."""

    __slots__ = ()

    def is_definite(self) -> bool:
        """Whether this step picks at most one node (so the path may still be definite)."""
        return False

    def fragment(self) -> str:
        raise NotImplementedError

    def select(self, node: Any, root: Any) -> Iterator[Any]:
        """The nodes this step reaches from ``node`` (lenient: a miss selects nothing)."""
        raise NotImplementedError


class Child(Segment):
    """``.name`` or ``['a','b']``. Several names as the last step merge into one object (Jayway)."""

    __slots__ = ("merge", "names")

    def __init__(self, names: tuple[str, ...], *, merge: bool = False) -> None:
        self.names = names
        self.merge = merge

    def is_definite(self) -> bool:
        return len(self.names) == 1 or self.merge

    def fragment(self) -> str:
        return "[" + ",".join(f"'{name}'" for name in self.names) + "]"

    def select(self, node: Any, root: Any) -> Iterator[Any]:
        if type(node) is not dict:
            return
        if self.merge:
            yield {name: node[name] for name in self.names if name in node}
            return
        for name in self.names:
            if name in node:
                yield node[name]


class Index(Segment):
    """``[0]``, ``[-1]`` or the union ``[0,2]``."""

    __slots__ = ("indices",)

    def __init__(self, indices: tuple[int, ...]) -> None:
        self.indices = indices

    def is_definite(self) -> bool:
        return len(self.indices) == 1

    def fragment(self) -> str:
        return "[" + ",".join(str(index) for index in self.indices) + "]"

    def select(self, node: Any, root: Any) -> Iterator[Any]:
        if type(node) is not list:
            return
        size = len(node)
        for index in self.indices:
            position = index + size if index < 0 else index
            if 0 <= position < size:
                yield node[position]


class Wildcard(Segment):
    """``.*`` or ``[*]``: every member value or array element."""

    __slots__ = ()

    def fragment(self) -> str:
        return "[*]"

    def select(self, node: Any, root: Any) -> Iterator[Any]:
        if type(node) is dict:
            yield from node.values()
        elif type(node) is list:
            yield from node


class Slice(Segment):
    """``[start:stop]`` with either bound optional; negative bounds count from the end."""

    __slots__ = ("start", "stop")

    def __init__(self, start: int | None, stop: int | None) -> None:
        self.start = start
        self.stop = stop

    def fragment(self) -> str:
        start = "" if self.start is None else str(self.start)
        stop = "" if self.stop is None else str(self.stop)
        return f"[{start}:{stop}]"

    def select(self, node: Any, root: Any) -> Iterator[Any]:
        if type(node) is list:
            yield from node[self.start : self.stop]


class Filter(Segment):
    """``[?(<predicate>)]``: array elements (or an object itself) for which the predicate holds."""

    __slots__ = ("predicate", "text")

    def __init__(self, predicate: Predicate, text: str) -> None:
        self.predicate = predicate
        self.text = text

    def fragment(self) -> str:
        return "[?]"

    def select(self, node: Any, root: Any) -> Iterator[Any]:
        if type(node) is list:
            for item in node:
                if self.predicate.test(item, root):
                    yield item
        elif type(node) is dict and self.predicate.test(node, root):
            yield node


class Scan(Segment):
    """``..<step>``: ``step`` applied to the node and to every container below it, depth first."""

    __slots__ = ("step",)

    def __init__(self, step: Segment) -> None:
        self.step = step

    def fragment(self) -> str:
        return ".." + self.step.fragment()

    def select(self, node: Any, root: Any) -> Iterator[Any]:
        for container in _containers(node):
            yield from self.step.select(container, root)


def _containers(node: Any) -> Iterator[Any]:
    """``node`` and every object or array nested in it, in document order (pre-order)."""
    if type(node) is dict:
        yield node
        for value in node.values():
            yield from _containers(value)
    elif type(node) is list:
        yield node
        for value in node:
            yield from _containers(value)
