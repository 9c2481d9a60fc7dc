"""ResultPath: where a state's result goes in its output.

``null`` discards the result (the output is the input), ``$`` replaces the input, and ``$.a.b`` writes the
result into the input at ``a.b``, creating missing objects on the way. AWS fails the state with
``States.Runtime`` when it cannot (the input or a step on the way is not an object, an index is out of
range): ``Unable to apply ReferencePath $.x to input "text"``.

The input is never modified: the objects and arrays along the path are copied and everything else is
shared with the input (JSON values are treated as immutable throughout the data flow).
"""

from __future__ import annotations

from typing import Any

from orchestrator.dataflow.json_text import dumps
from orchestrator.dataflow.jsonpath.compiled import compile_path
from orchestrator.dataflow.jsonpath.errors import InvalidPathError
from orchestrator.errors import StatesError


def apply_result_path(state_input: Any, result_path: str | None, result: Any) -> Any:
    """The state output after placing ``result`` into ``state_input`` at ``result_path``."""
    if result_path is None:
        return state_input
    try:
        steps = compile_path(result_path).steps
    except InvalidPathError:
        steps = None
    if steps is None:
        raise StatesError("States.Runtime", f"Invalid path '{result_path}' : not a reference path")
    if not steps:
        return result
    written = _write(state_input, steps, 0, result)
    if written is _FAILED:
        raise StatesError(
            "States.Runtime", f"Unable to apply ReferencePath {result_path} to input {dumps(state_input)}"
        )
    return written


_FAILED: Any = object()


def _write(node: Any, steps: tuple[str | int, ...], position: int, result: Any) -> Any:
    """A copy of ``node`` with ``result`` at ``steps[position:]``, or ``_FAILED``."""
    step = steps[position]
    last = position == len(steps) - 1
    if isinstance(step, str):
        if type(node) is not dict:
            return _FAILED
        copy = dict(node)
        if last:
            copy[step] = result
            return copy
        child = node.get(step)
        if child is None and step not in node:
            child = {}
        written = _write(child, steps, position + 1, result)
        if written is _FAILED:
            return _FAILED
        copy[step] = written
        return copy
    assert isinstance(step, int)
    if type(node) is not list or not 0 <= step < len(node):
        return _FAILED
    items = list(node)
    if last:
        items[step] = result
        return items
    written = _write(items[step], steps, position + 1, result)
    if written is _FAILED:
        return _FAILED
    items[step] = written
    return items
