"""What a coordinator starts besides tasks: a DISTRIBUTED Map's child executions (created with their
first step already taken, in batches) and nested executions (``states:startExecution``).

A mixin of :class:`orchestrator.runtime.coordinator.Coordinator`, kept apart to keep that module small.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from orchestrator import metrics
from orchestrator.dataflow.json_text import dumps
from orchestrator.engine.codec import encode_event
from orchestrator.engine.model import Command, RunTask, Start, StartChildExecution, TaskFailed
from orchestrator.runtime.base import initial_state
from orchestrator.runtime.distributed import launch_execution
from orchestrator.runtime.nested import start_child
from orchestrator.store.base import NewExecution, Post
from orchestrator.store.records import ExecutionRecord, StateMachineRecord

if TYPE_CHECKING:
    from orchestrator.engine.interpreter import Interpreter
    from orchestrator.engine.model import ExecutionState
    from orchestrator.runtime.coordinator import _Step

CHILD_BATCH = 200
"""Child executions created, carried out and settled together (each batch in a few round trips)."""


class ChildStarts:
    store: Any
    owner: str
    lease_seconds: float

    if TYPE_CHECKING:  # provided by Coordinator

        def interpreter(self, definition_text: str) -> Interpreter: ...

        def _step(
            self,
            arn: str,
            saved: dict[str, Any],
            state: ExecutionState,
            inbox: list[dict[str, Any]],
            record: ExecutionRecord | None,
        ) -> _Step: ...

        def _carry_out(
            self, arn: str, commands: list[Command], notices: list[dict[str, Any]] | None = None
        ) -> list[Post]: ...

    def _start_nested(self, arn: str, command: RunTask) -> Post:
        """Start a nested execution (``states:startExecution``); the submit outcome for ``arn``."""
        started = start_child(self.store, arn, command)
        if isinstance(started, TaskFailed):
            return (arn, encode_event(started))
        launch_execution(self.store, started.machine, started.execution, caller=started.caller)
        return (arn, encode_event(started.outcome))

    def _start_children(self, parent_arn: str, commands: list[StartChildExecution]) -> None:
        """Create a DISTRIBUTED Map's child executions with their first step taken (``Start`` applied:
        their first Task dispatched without another round through the ready list), ``CHILD_BATCH`` at a
        time: create them leased to this coordinator, carry their outboxes out, settle them. Existing
        ones are skipped, so a re-run outbox is harmless. The posts their first steps leave (a child that
        finished at once reports to its parent) go with their settle."""
        parent = self.store.get_execution(parent_arn)
        role_arn = parent.role_arn if parent is not None else ""
        start = [encode_event(Start())]
        for first in range(0, len(commands), CHILD_BATCH):
            batch: list[NewExecution] = []
            steps: dict[str, _Step] = {}
            for command in commands[first : first + CHILD_BATCH]:
                definition = json.dumps(command.definition)
                machine = StateMachineRecord(
                    arn=command.state_machine["Id"],
                    name=command.state_machine["Name"],
                    definition=definition,
                    role_arn=role_arn,
                )
                child = ExecutionRecord(
                    arn=command.execution_arn,
                    state_machine_arn=machine.arn,
                    name=command.name,
                    input=dumps(command.input),
                    role_arn=role_arn,
                    map_run_arn=command.map_run_arn,
                )
                saved = {"definition": definition, "parent": {"arn": parent_arn, "run_id": command.run_id}}
                state = initial_state(self.interpreter(definition), machine, child)
                step = steps[child.arn] = self._step(child.arn, saved, state, start, child)
                batch.append(NewExecution(step.record or child, step.saved, step.events, step.outbox))
            with metrics.store_operation("start_executions"):
                created = self.store.start_executions(batch, self.owner, self.lease_seconds)
            posts: list[Post] = []
            for arn in created:
                step = steps[arn]
                metrics.record_committed(arn, step.events, step.record)
                posts += self._carry_out(arn, step.commands, step.notices)
            self.store.settle_all(
                self.owner, [(arn, 1 if steps[arn].outbox else None) for arn in created], posts
            )
