"""The outbox: the commands a commit leaves to carry out, as the store keeps them.

A task's context is kept without ``Execution.Input`` (the execution's state holds it once: 10,000 Map
tasks must not store the input 10,000 times) and gets it back when a coordinator carries a crashed
one's outbox out. ``NotifyParent`` entries are the events for other executions (a child's end).
"""

from __future__ import annotations

from typing import Any

from orchestrator.engine.codec import decode_command, encode_command
from orchestrator.engine.model import Command, RunTask
from orchestrator.transport.context import without_execution_input


def outbox_entry(command: Command) -> dict[str, Any]:
    """A command as the outbox keeps it (a task's context without ``Execution.Input``)."""
    entry = encode_command(command)
    if isinstance(command, RunTask):
        entry["context"] = without_execution_input(command.context)
    return entry


def from_outbox_entry(entry: dict[str, Any], execution_input: Any) -> Command:
    """A stored entry as its command again, a task's ``Execution.Input`` put back."""
    command = decode_command(entry)
    if isinstance(command, RunTask):
        execution = command.context.get("Execution")
        if isinstance(execution, dict) and "Input" not in execution:
            command.context["Execution"] = {**execution, "Input": execution_input}
    return command


def split_outbox(
    entries: list[dict[str, Any]], saved: dict[str, Any] | None
) -> tuple[list[Command], list[dict[str, Any]]]:
    """A stored outbox as commands (tasks get ``Execution.Input`` back from the state) and notices."""
    execution_input = saved["interpreter"]["execution"].get("Input") if saved else None
    commands = [
        from_outbox_entry(entry, execution_input) for entry in entries if entry["kind"] != "NotifyParent"
    ]
    notices = [entry for entry in entries if entry["kind"] == "NotifyParent"]
    return commands, notices
