"""The service's view of definitions: validated by :mod:`orchestrator.asl.validate`, reported AWS's way.

``check`` backs CreateStateMachine / UpdateStateMachine (``InvalidDefinition`` with AWS's one-line
message), ``diagnose`` backs ValidateStateMachineDefinition (every diagnostic), and ``task_resources``
lists the Task ``Resource`` ARNs a definition needs, nested branches and item processors included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from orchestrator.asl.diagnostics import Diagnostic, format_diagnostics
from orchestrator.asl.resources import parse_resource
from orchestrator.errors import ApiError, DefinitionError

MAX_LENGTH = 1048576  # characters of definition text the API accepts


def check(text: str, state_machine_type: str) -> dict[str, Any]:
    """The parsed definition; ``InvalidDefinition`` (AWS's message) when it is not valid."""
    from orchestrator.asl.validate import check_definition

    try:
        document: dict[str, Any] = check_definition(text, state_machine_type=state_machine_type)
    except DefinitionError as error:
        raise ApiError("InvalidDefinition", error.message) from None
    return document


def diagnose(text: str, state_machine_type: str) -> list[Diagnostic]:
    """Every problem of a definition text (JSON syntax errors included), errors and warnings."""
    from orchestrator.asl.parse import parse_definition
    from orchestrator.asl.validate import validate_definition

    try:
        document, duplicates = parse_definition(text)
    except DefinitionError as error:
        return list(error.diagnostics)
    found: list[Diagnostic] = validate_definition(document, state_machine_type=state_machine_type)
    return found + duplicates


def resource_problems(document: dict[str, Any], check: Callable[[str], str | None]) -> str | None:
    """``InvalidDefinition``'s message for the Task resources ``check`` refuses (None if it refuses none)."""
    problems = [
        Diagnostic("SCHEMA_VALIDATION_FAILED", problem, location)
        for location, resource in task_resources(document)
        if parse_resource(resource).kind != "activity"  # activities run on their workers, not here
        and (problem := check(resource)) is not None
    ]
    return format_diagnostics(problems) if problems else None


def task_resources(definition: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """``(location, Resource)`` of every Task state, e.g. ``("/States/A/Resource", "arn:...")``."""
    states = definition.get("States") if isinstance(definition, dict) else None
    if not isinstance(states, dict):
        return
    for name, state in states.items():
        if not isinstance(state, dict):
            continue
        here = f"{path}/States/{name}"
        if state.get("Type") == "Task" and isinstance(state.get("Resource"), str):
            yield f"{here}/Resource", state["Resource"]
        for index, branch in enumerate(state.get("Branches") or []):
            yield from task_resources(branch, f"{here}/Branches[{index}]")
        for member in ("ItemProcessor", "Iterator"):
            if isinstance(state.get(member), dict):
                yield from task_resources(state[member], f"{here}/{member}")
