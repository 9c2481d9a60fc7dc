"""Small definition builders for the validation tests."""

from __future__ import annotations

from typing import Any

from orchestrator.asl.diagnostics import Diagnostic
from orchestrator.asl.validate import validate_definition


def machine(*states: tuple[str, dict[str, Any]], **fields: Any) -> dict[str, Any]:
    """A definition whose ``StartAt`` is the first state given."""
    return {"StartAt": states[0][0], "States": dict(states), **fields}


def pass_state(**fields: Any) -> dict[str, Any]:
    return {"Type": "Pass", "End": True, **fields}


def problems(definition: Any, state_machine_type: str = "STANDARD") -> list[tuple[str, str, str | None]]:
    """``(code, message, location)`` of every diagnostic."""
    found: list[Diagnostic] = validate_definition(definition, state_machine_type=state_machine_type)
    return [(d.code, d.message, d.path) for d in found]


def messages(definition: Any, state_machine_type: str = "STANDARD") -> list[str]:
    """``CODE: message at location`` of every diagnostic."""
    return [d.render() for d in validate_definition(definition, state_machine_type=state_machine_type)]
