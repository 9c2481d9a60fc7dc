"""What every transport does, and the one translation between a ``RunTask`` and a worker's request."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from orchestrator.engine.model import (
    CallbackFailed,
    CallbackSucceeded,
    Event,
    RunTask,
    TaskFailed,
    TaskSucceeded,
)

if TYPE_CHECKING:
    from workers.outcome import TaskOutcome, TaskRequest


class Transport(Protocol):
    def dispatch(self, execution_arn: str, command: RunTask) -> None:
        """Have the task run; its outcome is posted to the execution's inbox (at least once)."""
        ...

    def nudge_timer(self, execution_arn: str, timer_id: str, due: float) -> None:
        """Optionally deliver a timer early through the transport (the store's timer set is the truth)."""
        ...

    def close(self) -> None: ...


def task_request(command: RunTask) -> TaskRequest:
    from workers.outcome import TaskRequest

    return TaskRequest(
        resource=command.resource,
        parameters=command.parameters,
        context=command.context,
        timeout_seconds=command.timeout_seconds,
    )


def outcome_event(task_id: str, outcome: TaskOutcome) -> Event:
    """The input event of a task's outcome: what its resource returned (for a task that waits for its
    token, the submit), or, for a ``final`` outcome, the task's end as a callback would bring it."""
    if getattr(outcome, "final", False):
        if outcome.error is None:
            return CallbackSucceeded(task_id, outcome.output)
        return CallbackFailed(task_id, outcome.error, outcome.cause)
    if outcome.error is None:
        return TaskSucceeded(task_id, outcome.output)
    return TaskFailed(task_id, outcome.error, outcome.cause)


def run_command(resolver: Any, command: RunTask, heartbeat: Callable[[], None] | None = None) -> Event:
    """Run one task attempt with ``resolver``; a resolver that raises (a bug) fails the task.

    ``heartbeat`` is what ``workers.heartbeat()`` calls while the task runs (it should post
    ``TaskHeartbeat(command.task_id)`` to the execution).
    """
    from workers.heartbeat import beating

    try:
        with beating(heartbeat):
            outcome = resolver.run(task_request(command))
    except Exception as exc:  # resolvers report failures as outcomes; this guards against bugs
        return TaskFailed(command.task_id, type(exc).__name__, str(exc))
    return outcome_event(command.task_id, outcome)
