"""In-memory store for the embedded runtime: dicts behind one lock."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from orchestrator.store.base import VersionConflict
from orchestrator.store.records import ExecutionRecord, StateMachineRecord


class MemoryStore:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._machines: dict[str, StateMachineRecord] = {}
        self._executions: dict[str, ExecutionRecord] = {}
        self._states: dict[str, tuple[dict[str, Any] | None, int]] = {}
        self._history: dict[str, list[dict[str, Any]]] = {}

    def put_state_machine(self, record: StateMachineRecord) -> None:
        with self._lock:
            self._machines[record.arn] = record

    def get_state_machine(self, arn: str) -> StateMachineRecord | None:
        return self._machines.get(arn)

    def delete_state_machine(self, arn: str) -> None:
        with self._lock:
            self._machines.pop(arn, None)

    def list_state_machines(self) -> list[StateMachineRecord]:
        with self._lock:
            return list(self._machines.values())

    def create_execution(self, record: ExecutionRecord, state: dict[str, Any] | None) -> bool:
        with self._lock:
            if record.arn in self._executions:
                return False
            self._executions[record.arn] = record
            self._states[record.arn] = (state, 0)
            self._history[record.arn] = []
            return True

    def get_execution(self, arn: str) -> ExecutionRecord | None:
        return self._executions.get(arn)

    def list_executions(self, state_machine_arn: str | None = None) -> list[ExecutionRecord]:
        with self._lock:
            return [
                e
                for e in self._executions.values()
                if state_machine_arn is None or e.state_machine_arn == state_machine_arn
            ]

    def load_state(self, arn: str) -> tuple[dict[str, Any] | None, int]:
        return self._states.get(arn, (None, 0))

    def commit(
        self,
        arn: str,
        version: int,
        state: dict[str, Any] | None,
        events: Iterable[dict[str, Any]],
        record: ExecutionRecord | None = None,
    ) -> int:
        with self._lock:
            _, current = self._states.get(arn, (None, 0))
            if current != version:
                raise VersionConflict(f"{arn}: version {version} is stale (now {current})")
            self._states[arn] = (state, version + 1)
            self._history.setdefault(arn, []).extend(events)
            if record is not None:
                self._executions[arn] = record
            return version + 1

    def history(self, arn: str) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._history.get(arn, ()))

    def history_length(self, arn: str) -> int:
        return len(self._history.get(arn, ()))
