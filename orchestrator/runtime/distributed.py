"""The distributed runtime: what the API server (or a producer client) asks of executions that
coordinators advance elsewhere, through a shared store (Redis).

``launch`` writes the new execution's interpreter state, pinned to the definition it started with, and
posts ``Start``; ``stop`` posts ``StopRequested``; ``wait`` watches the execution's record. Nothing here
steps the interpreter: that is the coordinators' work (:mod:`orchestrator.runtime.coordinator`).
"""

from __future__ import annotations

import time
from typing import Any

from orchestrator.dataflow.limits import DEFAULT_MAX_PAYLOAD_BYTES
from orchestrator.engine.codec import encode_event, encode_state
from orchestrator.engine.model import Event, Redrive, Start, StopRequested
from orchestrator.runtime.base import Interpreters, initial_state, task_secret_in
from orchestrator.store.records import TERMINAL_STATUSES, ExecutionRecord, StateMachineRecord

POLL_SECONDS = 0.02
STOP_WAIT_SECONDS = 30.0


_INTERPRETERS = Interpreters()  # a Map's 10,000 children share one definition: parse it once


def launch_execution(
    store: Any,
    machine: StateMachineRecord,
    execution: ExecutionRecord,
    *,
    parent: dict[str, str] | None = None,
    caller: dict[str, str] | None = None,
    fresh: bool = False,
) -> None:
    """Write a created execution's first interpreter state (pinned to ``machine``'s definition; with the
    ``parent`` it reports to, for a DISTRIBUTED Map's child) and post ``Start``. Idempotent: an execution
    that has its state already is left alone (``fresh``: the caller just created it, so it has none)."""
    version = 0
    if not fresh:
        saved_state, version = store.load_state(execution.arn)
        if saved_state is not None:
            return
    state = initial_state(_INTERPRETERS.get(machine.definition), machine, execution)
    saved: dict[str, Any] = {"definition": machine.definition, "interpreter": encode_state(state)}
    if parent is not None:
        saved["parent"] = parent
    if caller is not None:  # a nested execution: the parent task it reports to (runtime/nested.py)
        saved["caller"] = caller
    store.commit(execution.arn, version, saved, [])
    store.post(execution.arn, encode_event(Start()))


class DistributedRuntime:
    def __init__(
        self, store: Any, resolver: Any, *, max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_BYTES
    ) -> None:
        self.store = store
        self.resolver = resolver
        self.max_payload_bytes = max_payload_bytes

    def launch(self, machine: StateMachineRecord, execution: ExecutionRecord) -> None:
        launch_execution(self.store, machine, execution)

    def stop(self, execution_arn: str, error: str | None, cause: str | None) -> ExecutionRecord:
        self.store.post(execution_arn, encode_event(StopRequested(error, cause)))
        return self.wait(execution_arn, STOP_WAIT_SECONDS)

    def wait(self, execution_arn: str, timeout: float | None = None) -> ExecutionRecord:
        deadline = None if timeout is None else time.monotonic() + timeout
        pause = POLL_SECONDS
        while True:
            record: ExecutionRecord | None = self.store.get_execution(execution_arn)
            assert record is not None, f"unknown execution {execution_arn}"
            if record.status in TERMINAL_STATUSES:
                return record
            if deadline is not None and time.monotonic() >= deadline:
                return record
            time.sleep(pause)
            pause = min(pause * 1.5, 0.5)

    def test_state(self, request: dict[str, Any]) -> dict[str, Any]:
        from orchestrator.engine.test_state import run_test_state

        response: dict[str, Any] = run_test_state(
            request, self.resolver, max_payload_bytes=self.max_payload_bytes
        )
        return response

    def deliver(self, execution_arn: str, event: Event) -> None:
        self.store.post(execution_arn, encode_event(event))

    def task_secret(self, execution_arn: str, task_id: str) -> str | None:
        saved, _ = self.store.load_state(execution_arn)
        return task_secret_in(saved.get("interpreter") if saved else None, task_id)

    def redrive(self, execution: ExecutionRecord) -> None:
        """Write the redriven record (the commit makes a finished execution's keys persistent again),
        then post ``Redrive``: a coordinator resumes the execution from its saved state."""
        saved, version = self.store.load_state(execution.arn)
        self.store.commit(execution.arn, version, saved, [], execution)
        self.store.post(execution.arn, encode_event(Redrive(execution.redrive_count)))

    def close(self) -> None:
        pass
