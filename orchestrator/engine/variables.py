"""Workflow variables (``Assign``): scopes, commits and limits.

The execution's top-level states share one scope (thread 0). Each Parallel branch and INLINE Map
iteration is a thread with a scope of its own that reads the scopes around it. A DISTRIBUTED Map's
iterations are child executions: they see nothing of their parent's variables. An assignment always lands in the
assigning thread's own scope, so an inner scope never changes an outer one; when the branch or iteration
ends its scope ends with it.

New values take effect when the assigning state exits: ``Assign`` and ``Output`` are both evaluated with
the values the state was entered with, and a failed state assigns nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from orchestrator.dataflow.json_text import dumps
from orchestrator.engine.errors import RUNTIME
from orchestrator.errors import StatesError

if TYPE_CHECKING:
    from orchestrator.engine.model import ExecutionState, Thread

MAX_VARIABLE_BYTES = 256 * 1024
MAX_ASSIGN_BYTES = 256 * 1024
MAX_EXECUTION_VARIABLE_BYTES = 10 * 1024 * 1024

_EMPTY: Mapping[str, Any] = {}


def visible(state: ExecutionState, thread: Thread) -> Mapping[str, Any]:
    """Every variable ``thread`` can read: its own scope over the scopes around it."""
    scopes: list[dict[str, Any]] = []
    current: Thread | None = thread
    while current is not None:
        if current.variables:
            scopes.append(current.variables)
        if current.parent is None:
            break
        current = state.threads.get(current.parent)
    if not scopes:
        return _EMPTY
    if len(scopes) == 1:
        return scopes[0]
    merged: dict[str, Any] = {}
    for scope in reversed(scopes):
        merged.update(scope)
    return merged


def check_assignment(state: ExecutionState, thread: Thread, values: Mapping[str, Any]) -> dict[str, str]:
    """The JSON text of each assigned value (for history), after AWS's size limits.

    Raises States.Runtime when a value, the whole Assign or the execution's variables get too large.
    """
    texts = {name: dumps(value) for name, value in values.items()}
    total = 0
    for name, text in texts.items():
        size = len(text.encode())
        if size > MAX_VARIABLE_BYTES:
            raise StatesError(
                RUNTIME,
                f"The variable '{name}' has a size of {size} bytes, exceeding the maximum of "
                f"{MAX_VARIABLE_BYTES} bytes.",
            )
        total += size
    if total > MAX_ASSIGN_BYTES:
        raise StatesError(
            RUNTIME,
            f"The variables assigned by the state have a total size of {total} bytes, exceeding the "
            f"maximum of {MAX_ASSIGN_BYTES} bytes.",
        )
    if total and _execution_size(state, thread, texts) > MAX_EXECUTION_VARIABLE_BYTES:
        raise StatesError(
            RUNTIME,
            "The variables of the execution would exceed the maximum total size of "
            f"{MAX_EXECUTION_VARIABLE_BYTES} bytes.",
        )
    return texts


def commit(thread: Thread, values: Mapping[str, Any], texts: Mapping[str, str]) -> None:
    """Make ``values`` the thread's own variables (the assigning state has exited)."""
    if not values:
        return
    if thread.variables is None:
        thread.variables = {}
    thread.variables_size += _growth(thread, texts)
    thread.variables.update(values)


def history_details(texts: Mapping[str, str]) -> dict[str, Any]:
    """``assignedVariables`` / ``assignedVariablesDetails`` of a ``*StateExited`` event."""
    return {"assignedVariables": dict(texts), "assignedVariablesDetails": {"truncated": False}}


def _execution_size(state: ExecutionState, thread: Thread, new: Mapping[str, str]) -> int:
    """The size of every live scope's variables once ``new`` is committed to ``thread``."""
    return sum(other.variables_size for other in state.threads.values()) + _growth(thread, new)


def _growth(thread: Thread, texts: Mapping[str, str]) -> int:
    """How many bytes committing ``texts`` adds to the thread's scope (replaced values are freed)."""
    growth = 0
    own = thread.variables or {}
    for name, text in texts.items():
        growth += len(text.encode())
        if name in own:
            growth -= len(dumps(own[name]).encode())
    return growth
