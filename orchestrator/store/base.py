"""The store seam: where state machines, executions, their interpreter state and history live.

Two implementations share this protocol and one contract test suite: :mod:`.memory` (embedded mode)
and, later, Redis (distributed mode). ``commit`` is the only way an execution moves: it checks the
version (a fencing token), writes the new interpreter state and appends history events atomically.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from orchestrator.store.records import ExecutionRecord, StateMachineRecord


class VersionConflict(Exception):
    """``commit`` was called with a version that is no longer current (another process moved first)."""


class Store(Protocol):
    # state machines
    def put_state_machine(self, record: StateMachineRecord) -> None: ...
    def get_state_machine(self, arn: str) -> StateMachineRecord | None: ...
    def delete_state_machine(self, arn: str) -> None: ...
    def list_state_machines(self) -> list[StateMachineRecord]: ...

    # executions
    def create_execution(self, record: ExecutionRecord, state: dict[str, Any] | None) -> bool:
        """Store a new execution; False (and nothing written) when its ARN exists already."""
        ...

    def get_execution(self, arn: str) -> ExecutionRecord | None: ...
    def list_executions(self, state_machine_arn: str | None = None) -> list[ExecutionRecord]: ...
    def load_state(self, arn: str) -> tuple[dict[str, Any] | None, int]:
        """The interpreter state of an execution and its version."""
        ...

    def commit(
        self,
        arn: str,
        version: int,
        state: dict[str, Any] | None,
        events: Iterable[dict[str, Any]],
        record: ExecutionRecord | None = None,
    ) -> int:
        """Atomically: check ``version``, store ``state``, append ``events``, update ``record``.

        Returns the new version; raises :class:`VersionConflict` when ``version`` is stale.
        """
        ...

    # history
    def history(self, arn: str) -> list[dict[str, Any]]:
        """Every history event of an execution, oldest first."""
        ...

    def history_length(self, arn: str) -> int: ...
