"""Running the tested state once with the interpreter's own handlers, stopping at the state's boundary.

:class:`TestRun` is the interpreter's :class:`Run` with the transitions out of the state replaced: going
to the next state, ending, failing, and Retry/Catch (which TestState reports instead of performing). A
Task's resource runs at most once, through the resolver, or not at all when mocked. Map and Parallel
states run only when mocked: their data flow is evaluated and the mock stands for all their iterations.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from orchestrator.asl.resources import parse_resource
from orchestrator.dataflow.jsonpath import PathNotFound
from orchestrator.engine.catch import find_catcher
from orchestrator.engine.dataflow import caught_output
from orchestrator.engine.errors import EXCEEDED_TOLERATED_FAILURE_THRESHOLD, RUNTIME, matches
from orchestrator.engine.model import Event, RunTask, TaskFailed, TaskSucceeded, TimerFired
from orchestrator.engine.run import Run
from orchestrator.engine.test_state.request import SINGLE_STATE_NAME
from orchestrator.errors import StatesError

if TYPE_CHECKING:
    from orchestrator.asl.models import AnyState
    from orchestrator.engine.interpreter import Interpreter
    from orchestrator.engine.model import ExecutionState, Thread
    from orchestrator.engine.test_state.request import Mock, StateConfiguration
    from workers.resources import ResourceResolver

TOLERANCE_EXCEEDED_CAUSE = "The specified tolerated failure threshold was exceeded"


@dataclass
class Outcome:
    """How the tested state ended: TestState's ``status`` and the members that go with it."""

    status: str
    output: Any = None
    next_state: str | None = None
    error: str | None = None
    cause: str | None = None


class TestRun(Run):
    """A step of the interpreter that records where the tested state would go instead of going there."""

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        interpreter: Interpreter,
        state: ExecutionState,
        now: float,
        *,
        configuration: StateConfiguration,
        context: dict[str, Any] | None,
    ) -> None:
        super().__init__(interpreter, state, now)
        self.inspection = {}
        self.configuration = configuration
        self.given_context = context
        self.outcome: Outcome | None = None
        self.error_details: dict[str, int] = {}
        self.task_token = str(uuid.uuid4())

    def context(self, thread: Thread, state: AnyState) -> dict[str, Any]:
        """The request's context object, or the throw-away execution's, where the state is always called
        ``StateName`` (observed even for a ``stateName`` of a whole machine); a callback task has a token."""
        if self.given_context is not None:
            return copy.deepcopy(self.given_context)
        context = super().context(thread, state)
        context["State"]["Name"] = SINGLE_STATE_NAME
        if state.type == "Task" and parse_resource(state.resource).pattern in (
            "sync",
            "sync:2",
            "waitForTaskToken",
        ):
            context["Task"] = {"Token": self.task_token}
        return context

    def display_name(self, thread: Thread) -> str:
        return SINGLE_STATE_NAME

    def goto(self, thread: Thread, next_state: str | None, output: Any) -> None:
        self.outcome = Outcome("SUCCEEDED", output=output, next_state=next_state)

    def fail_thread(self, thread: Thread, error: str | None, cause: str | None) -> None:
        self.outcome = Outcome("FAILED", error=error, cause=cause)

    def state_failed(
        self, thread: Thread, state: AnyState, error: str, cause: str | None, failed_event: str | None = None
    ) -> None:
        """Retry or Catch as TestState reports them: ``RETRIABLE`` while the applicable retrier has
        attempts left (``retrierRetryCount`` were made), then ``CAUGHT_ERROR`` or ``FAILED``."""
        retriers = list(getattr(state, "retry", None) or [])
        for index, retrier in enumerate(retriers):
            if not matches(retrier.error_equals, error):
                continue
            self.error_details["retryIndex"] = index
            count = self.configuration.retrier_retry_count
            if count < int(retrier.max_attempts):
                delay = float(retrier.interval_seconds) * float(retrier.backoff_rate) ** count
                if retrier.max_delay_seconds is not None:
                    delay = min(delay, float(retrier.max_delay_seconds))
                self.error_details["retryBackoffIntervalSeconds"] = int(delay)
                self.outcome = Outcome("RETRIABLE", error=error, cause=cause)
                return
            break
        catchers = list(getattr(state, "catch", None) or [])
        catcher = find_catcher(catchers, error)
        if catcher is None:
            self.outcome = Outcome("FAILED", error=error, cause=cause)
            return
        self.error_details["catchIndex"] = catchers.index(catcher)
        error_output = {"Error": error, "Cause": cause if cause is not None else ""}
        try:
            output, _assigned = caught_output(self, thread, state, catcher, error_output)
        except StatesError as failure:
            self.outcome = Outcome("FAILED", error=failure.error, cause=self.cause_of(thread, failure))
            return
        self.outcome = Outcome(
            "CAUGHT_ERROR", output=output, next_state=catcher.next, error=error, cause=cause
        )


def execute(
    run: TestRun, thread: Thread, state: AnyState, mock: Mock | None, resolver: ResourceResolver
) -> None:
    """Run ``state`` on ``thread`` until ``run.outcome`` is set."""
    from orchestrator.engine.states import HANDLERS

    handler = HANDLERS[state.type]
    if state.type == "Map" and mock is not None:
        from orchestrator.engine.test_state.mocked import run_mocked_map

        run.guarded(thread, state, lambda: run_mocked_map(run, thread, state, mock))
        return
    if state.type == "Parallel" and mock is not None:
        from orchestrator.engine.test_state.mocked import run_mocked_parallel

        run.guarded(thread, state, lambda: run_mocked_parallel(run, thread, state, mock))
        return
    run.guarded(thread, state, lambda: handler.start(run, thread, state))
    if run.outcome is not None:
        return
    if state.type == "Task":
        command = next(c for c in run.commands if isinstance(c, RunTask))
        run.handle(_task_event(command, mock, resolver))
    elif state.type == "Wait" and thread.timer_id is not None:
        run.handle(TimerFired(thread.timer_id))  # TestState does not wait


def _task_event(command: RunTask, mock: Mock | None, resolver: ResourceResolver) -> Event:
    if mock is not None:
        if mock.has_result:
            return TaskSucceeded(command.task_id, copy.deepcopy(mock.result))
        return TaskFailed(command.task_id, mock.error or "", mock.cause)
    from workers.outcome import TaskRequest

    request = TaskRequest(
        resource=command.resource,
        parameters=command.parameters,
        context=command.context,
        timeout_seconds=command.timeout_seconds,
    )
    try:
        outcome = resolver.run(request)
    except Exception as exc:  # resolvers report failures as outcomes; this guards against a bug
        return TaskFailed(command.task_id, type(exc).__name__, str(exc))
    if outcome.error is None:
        return TaskSucceeded(command.task_id, outcome.output)
    return TaskFailed(command.task_id, outcome.error, outcome.cause)


def tolerance_exceeded(failures: int, total: int | None, count: int | None, percentage: float | None) -> bool:
    """Whether ``failures`` failed iterations (of ``total``, when known) exceed the Map's tolerance; a Map
    that sets no tolerance is not checked (observed: it succeeds with failed iterations)."""
    if count is not None and failures > count:
        return True
    if percentage is not None and total:
        return failures * 100.0 / total > percentage
    return False


def reference_path_error(path: str) -> StatesError:
    shown = path[1:] if path.startswith("$$") else path
    return StatesError(RUNTIME, f'Reference path "{shown}" must point to array.', prefixed=False)


def path_not_found(path: str, missing: PathNotFound) -> StatesError:
    return StatesError(RUNTIME, f"Invalid path '{path}' : {missing.detail}")


def threshold_error() -> StatesError:
    return StatesError(EXCEEDED_TOLERATED_FAILURE_THRESHOLD, TOLERANCE_EXCEEDED_CAUSE, prefixed=False)
