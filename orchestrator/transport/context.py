"""The context object as it travels: without the execution's input, which every task would repeat."""

from __future__ import annotations

from typing import Any


def without_execution_input(context: dict[str, Any]) -> dict[str, Any]:
    """The context object minus ``Execution.Input``: a Map of 10,000 items must not send the execution's
    input with every task; a worker reads it from the store when a task asks for it."""
    execution = context.get("Execution")
    if not isinstance(execution, dict) or "Input" not in execution:
        return context
    return {**context, "Execution": {k: v for k, v in execution.items() if k != "Input"}}
