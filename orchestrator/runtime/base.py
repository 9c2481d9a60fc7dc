"""The runtime seam: what the service layer asks of whatever runs executions.

Implementations: :class:`orchestrator.runtime.embedded.EmbeddedRuntime` (one process, in-memory store,
thread pool for tasks, real or time-skipping clock) and, later, the distributed runtime (coordinator +
Celery workers over Redis).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Protocol

from orchestrator.engine.timefmt import iso
from orchestrator.store.base import Store
from orchestrator.store.records import ExecutionRecord, StateMachineRecord

if TYPE_CHECKING:
    from orchestrator.engine.interpreter import Interpreter
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
