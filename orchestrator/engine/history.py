"""History events, shaped exactly as AWS's ``GetExecutionHistory`` returns them.

``previousEventId`` follows AWS's observed rule: each thread of control (the execution, a Parallel
branch, a Map iteration) keeps a *source* event id; an event points at its thread's source and then
becomes the new source, except the events AWS does not chain on (``ExecutionStarted``,
``ParallelStateSucceeded``, ``MapStateSucceeded``, ``MapIteration{Succeeded,Failed,Aborted}``).
A child thread starts from its parent's source; when it ends the parent takes the larger ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from orchestrator.dataflow.json_text import dumps

NOT_CHAINED = frozenset(
    {
        "ExecutionStarted",
        "ParallelStateSucceeded",
        "MapStateSucceeded",
        "MapIterationSucceeded",
        "MapIterationFailed",
        "MapIterationAborted",
    }
)

_DETAILS_KEY = {
    "ExecutionStarted": "executionStartedEventDetails",
    "ExecutionSucceeded": "executionSucceededEventDetails",
    "ExecutionFailed": "executionFailedEventDetails",
    "ExecutionAborted": "executionAbortedEventDetails",
    "ExecutionTimedOut": "executionTimedOutEventDetails",
    "ExecutionRedriven": "executionRedrivenEventDetails",
    "MapStateStarted": "mapStateStartedEventDetails",
    "MapIterationStarted": "mapIterationStartedEventDetails",
    "MapIterationSucceeded": "mapIterationSucceededEventDetails",
    "MapIterationFailed": "mapIterationFailedEventDetails",
    "MapIterationAborted": "mapIterationAbortedEventDetails",
    "TaskScheduled": "taskScheduledEventDetails",
    "TaskStarted": "taskStartedEventDetails",
    "TaskSubmitted": "taskSubmittedEventDetails",
    "TaskSucceeded": "taskSucceededEventDetails",
    "TaskFailed": "taskFailedEventDetails",
    "TaskTimedOut": "taskTimedOutEventDetails",
    "ActivityScheduled": "activityScheduledEventDetails",
    "ActivityScheduleFailed": "activityScheduleFailedEventDetails",
    "ActivityStarted": "activityStartedEventDetails",
    "ActivitySucceeded": "activitySucceededEventDetails",
    "ActivityFailed": "activityFailedEventDetails",
    "ActivityTimedOut": "activityTimedOutEventDetails",
    "LambdaFunctionScheduled": "lambdaFunctionScheduledEventDetails",
    "LambdaFunctionSucceeded": "lambdaFunctionSucceededEventDetails",
    "LambdaFunctionFailed": "lambdaFunctionFailedEventDetails",
    "LambdaFunctionTimedOut": "lambdaFunctionTimedOutEventDetails",
    "LambdaFunctionScheduleFailed": "lambdaFunctionScheduleFailedEventDetails",
    "LambdaFunctionStartFailed": "lambdaFunctionStartFailedEventDetails",
    "MapRunStarted": "mapRunStartedEventDetails",
    "MapRunFailed": "mapRunFailedEventDetails",
    "EvaluationFailed": "evaluationFailedEventDetails",
}


@dataclass(slots=True)
class HistoryContext:
    """Where a thread of control stands in the history (AWS's ``previousEventId`` chain)."""

    source: int = 0
    last: int = 0

    def fork(self) -> HistoryContext:
        return HistoryContext(self.source, self.source)

    def integrate(self, other: HistoryContext) -> None:
        self.source = max(self.source, other.source)
        self.last = max(self.last, other.last)


DEFAULT_MAX_HISTORY_EVENTS = 25_000


class HistoryLimitReached(Exception):
    """The execution's history is full: only its terminal event may still be written."""


class HistoryWriter:
    """Numbers events and collects them for the driver to persist (``RecordEvents``).

    ``limit`` is the most events an execution may have; the last one is kept for the terminal
    ``ExecutionFailed`` that the interpreter writes when any other event would not fit.
    """

    def __init__(self, next_id: int = 1, limit: int | None = None) -> None:
        self.next_id = next_id
        self.limit = limit
        self.pending: list[dict[str, Any]] = []

    def add(
        self, ctx: HistoryContext, event_type: str, now: float, details: dict[str, Any] | None = None
    ) -> int:
        if self.limit is not None and self.next_id >= self.limit:
            raise HistoryLimitReached
        event_id = self.next_id
        self.next_id += 1
        event: dict[str, Any] = {
            "timestamp": now,
            "type": event_type,
            "id": event_id,
            "previousEventId": ctx.source,
        }
        if details is not None:
            key = _DETAILS_KEY.get(event_type)
            if key is None:
                key = (
                    "stateEnteredEventDetails"
                    if event_type.endswith("Entered")
                    else "stateExitedEventDetails"
                )
            event[key] = details
        ctx.last = event_id
        if event_type not in NOT_CHAINED:
            ctx.source = event_id
        self.pending.append(event)
        return event_id

    def drain(self) -> list[dict[str, Any]]:
        events, self.pending = self.pending, []
        return events


def data_details(key: str, value: Any) -> dict[str, Any]:
    """``{"input": "<json>", "inputDetails": {"truncated": false}}`` (or output)."""
    return {key: dumps(value), f"{key}Details": {"truncated": False}}


def entered(name: str, value: Any) -> dict[str, Any]:
    return {"name": name, **data_details("input", value)}


def exited(name: str, value: Any) -> dict[str, Any]:
    return {"name": name, **data_details("output", value)}


def failure(error: str | None, cause: str | None) -> dict[str, Any]:
    details: dict[str, Any] = {}
    if error is not None:
        details["error"] = error
    if cause is not None:
        details["cause"] = cause
    return details
