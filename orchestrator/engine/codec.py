"""The interpreter's data as JSON-ready dicts: execution state, input events and commands.

A distributed runtime keeps an execution's state in a store between steps and passes events and commands
between processes; this is their one wire format. ``decode_*(encode_*(x)) == x`` for every value.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from orchestrator.engine.history import HistoryContext
from orchestrator.engine.model import (
    ActivityStarted,
    CallbackFailed,
    CallbackSucceeded,
    CancelTask,
    CancelTimer,
    ChildExecutionFinished,
    Command,
    Event,
    ExecutionState,
    ItemsRead,
    ItemsReadFailed,
    Join,
    MapRunUpdated,
    ReadItems,
    RecordMapRun,
    Redrive,
    ResultsWriteFailed,
    ResultsWritten,
    RunTask,
    Start,
    StartChildExecution,
    StartTimer,
    StopChildExecution,
    StopRequested,
    TaskFailed,
    TaskHeartbeat,
    TaskSucceeded,
    Thread,
    TimerFired,
    WriteResults,
)

_EVENTS: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        Start,
        TaskSucceeded,
        TaskFailed,
        TaskHeartbeat,
        TimerFired,
        ChildExecutionFinished,
        StopRequested,
        CallbackSucceeded,
        CallbackFailed,
        ActivityStarted,
        MapRunUpdated,
        Redrive,
        ItemsRead,
        ItemsReadFailed,
        ResultsWritten,
        ResultsWriteFailed,
    )
}
_COMMANDS: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        RunTask,
        StartTimer,
        CancelTimer,
        CancelTask,
        StartChildExecution,
        StopChildExecution,
        RecordMapRun,
        ReadItems,
        WriteResults,
    )
}


# ---- events and commands ---------------------------------------------------------------------------


def encode_event(event: Event) -> dict[str, Any]:
    return {"kind": type(event).__name__, **_plain(event)}


def decode_event(data: dict[str, Any]) -> Event:
    values = dict(data)
    event: Event = _EVENTS[values.pop("kind")](**values)
    return event


def encode_command(command: Command) -> dict[str, Any]:
    return {"kind": type(command).__name__, **_plain(command)}


def decode_command(data: dict[str, Any]) -> Command:
    values = dict(data)
    command: Command = _COMMANDS[values.pop("kind")](**values)
    return command


# ---- execution state ------------------------------------------------------------------------------


def encode_state(state: ExecutionState) -> dict[str, Any]:
    data = _plain(state)
    data["threads"] = [_encode_thread(thread) for thread in state.threads.values()]
    data["timers"] = {timer_id: list(entry) for timer_id, entry in state.timers.items()}
    return data


def decode_state(data: dict[str, Any]) -> ExecutionState:
    values = dict(data)
    threads = [_decode_thread(thread) for thread in values.pop("threads")]
    values["threads"] = {thread.id: thread for thread in threads}
    values["timers"] = {
        timer_id: (int(entry[0]), str(entry[1])) for timer_id, entry in values["timers"].items()
    }
    return ExecutionState(**values)


def _encode_thread(thread: Thread) -> dict[str, Any]:
    data = _plain(thread)
    data["program"] = list(thread.program)
    data["hctx"] = _plain(thread.hctx)
    data["join"] = None if thread.join is None else _encode_join(thread.join)
    return data


def _decode_thread(data: dict[str, Any]) -> Thread:
    values = dict(data)
    values["program"] = tuple(values["program"])
    values["hctx"] = HistoryContext(**values["hctx"])
    values["join"] = None if values["join"] is None else _decode_join(values["join"])
    return Thread(**values)


def _encode_join(join: Join) -> dict[str, Any]:
    data = _plain(join)
    data["slots"] = [_plain(slot) for slot in join.slots]
    return data


def _decode_join(data: dict[str, Any]) -> Join:
    values = dict(data)
    values["slots"] = [HistoryContext(**slot) for slot in values["slots"]]
    return Join(**values)


def _plain(instance: Any) -> dict[str, Any]:
    """The dataclass's fields, shallowly (JSON values are shared, never modified in place)."""
    return {f.name: getattr(instance, f.name) for f in fields(instance)}
