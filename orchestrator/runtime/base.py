"""The runtime seam: what the service layer asks of whatever runs executions.

Implementations: :class:`orchestrator.runtime.embedded.EmbeddedRuntime` (one process, in-memory store,
thread pool for tasks, real or time-skipping clock) and, later, the distributed runtime (coordinator +
Celery workers over Redis).
"""

from __future__ import annotations

from typing import Any, Protocol

from orchestrator.store.base import Store
from orchestrator.store.records import ExecutionRecord, StateMachineRecord


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
