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
from orchestrator.store.base import Store
from orchestrator.store.records import ExecutionRecord, StateMachineRecord

if TYPE_CHECKING:
    from orchestrator.engine.model import ExecutionState


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
