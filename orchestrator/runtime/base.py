"""The runtime seam: what the service layer asks of whatever runs executions.

Implementations: :class:`orchestrator.runtime.embedded.EmbeddedRuntime` (one process, in-memory store,
thread pool for tasks, real or time-skipping clock) and, later, the distributed runtime (coordinator +
Celery workers over Redis).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from orchestrator.asl.models import StateMachineDefinition
from orchestrator.dataflow.json_text import dumps
from orchestrator.dataflow.limits import DEFAULT_MAX_PAYLOAD_BYTES
from orchestrator.engine.history import DEFAULT_MAX_HISTORY_EVENTS
from orchestrator.engine.interpreter import Interpreter
from orchestrator.engine.timefmt import iso
from orchestrator.engine.tokens import new_secret
from orchestrator.store.base import Store
from orchestrator.store.records import ExecutionRecord, StateMachineRecord

if TYPE_CHECKING:
    from orchestrator.engine.model import Event, ExecutionState, RunTask


class Runtime(Protocol):
    store: Store

    def launch(self, machine: StateMachineRecord, execution: ExecutionRecord) -> None:
        """Start running an execution already created in the store (status RUNNING). Non-blocking."""
        ...

    def stop(self, execution_arn: str, error: str | None, cause: str | None) -> ExecutionRecord:
        """Abort a running execution (``ExecutionAborted``); returns the updated record."""
        ...

    def wait(self, execution_arn: str, timeout: float | None = None) -> ExecutionRecord:
        """Block until the execution is no longer RUNNING (or ``timeout`` seconds pass)."""
        ...

    def test_state(self, request: dict[str, Any]) -> dict[str, Any]:
        """Run the TestState API (request and response members as AWS's)."""
        ...

    def deliver(self, execution_arn: str, event: Event) -> None:
        """Hand an input event to a running execution (a callback, an activity worker's start)."""
        ...

    def task_secret(self, execution_arn: str, task_id: str) -> str | None:
        """The secret of the execution's task tokens while task ``task_id`` still runs, else None."""
        ...

    def redrive(self, execution: ExecutionRecord) -> None:
        """Run a finished execution again from the state it ended in (``RedriveExecution``): store
        ``execution`` (its record as it is now: RUNNING, the redrive counted) and hand it
        ``Redrive(execution.redrive_count)``. Non-blocking."""
        ...

    def close(self) -> None: ...


def initial_state(
    interpreter: Interpreter, machine: StateMachineRecord, execution: ExecutionRecord
) -> ExecutionState:
    """A new execution's interpreter state, with the context object's Execution and StateMachine."""
    return interpreter.new_execution(
        execution={
            "Id": execution.arn,
            "Input": json.loads(execution.input),
            "StartTime": iso(execution.start_date.timestamp()),
            "Name": execution.name,
            "RoleArn": execution.role_arn or machine.role_arn,
            "RedriveCount": execution.redrive_count,
        },
        state_machine={"Id": machine.arn, "Name": machine.name},
        secret=new_secret(),
    )


class Interpreters:
    """Interpreters by definition text, each built once (the ``size`` most recently used are kept)."""

    def __init__(
        self,
        *,
        max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_BYTES,
        max_history_events: int = DEFAULT_MAX_HISTORY_EVENTS,
        size: int = 256,
    ) -> None:
        self.max_payload_bytes = max_payload_bytes
        self.max_history_events = max_history_events
        self.size = size
        self._cache: OrderedDict[str, Interpreter] = OrderedDict()

    def get(self, definition_text: str) -> Interpreter:
        found = self._cache.get(definition_text)
        if found is None:
            source = json.loads(definition_text)
            found = Interpreter(
                StateMachineDefinition.from_dict(source),
                max_payload_bytes=self.max_payload_bytes,
                max_history_events=self.max_history_events,
                source=source,
            )
            self._cache[definition_text] = found
            if len(self._cache) > self.size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(definition_text)
        return found


def finished_record(record: ExecutionRecord, state: ExecutionState, now: float) -> ExecutionRecord:
    """The execution's record once its interpreter state has ended (DescribeExecution's fields)."""
    return replace(
        record,
        status=state.status,
        stop_date=datetime.fromtimestamp(now, tz=UTC),
        output=dumps(state.output) if state.status == "SUCCEEDED" else None,
        error=state.error,
        cause=state.cause,
    )


def is_activity(command: RunTask) -> bool:
    """Whether a task goes to an activity's workers rather than to a resolver."""
    from orchestrator.asl.resources import parse_resource

    return parse_resource(command.resource).kind == "activity"


def activity_task(execution_arn: str, command: RunTask) -> dict[str, Any]:
    """The queued form of an activity's task (what ``GetActivityTask`` hands a worker)."""
    return {
        "taskToken": command.task_token,
        "input": dumps(command.parameters),
        "executionArn": execution_arn,
        "taskId": command.task_id,
    }


def task_secret_in(saved_interpreter: dict[str, Any] | None, task_id: str) -> str | None:
    """``Runtime.task_secret`` from an encoded interpreter state."""
    if not saved_interpreter or saved_interpreter.get("status") != "RUNNING":
        return None
    if task_id not in (saved_interpreter.get("tasks") or {}):
        return None
    secret = saved_interpreter.get("secret")
    return secret if isinstance(secret, str) and secret else None
