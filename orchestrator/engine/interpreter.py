"""The deterministic interpreter: ``step(state, event, now) -> Step(events, commands)``.

:class:`Interpreter` holds one definition (immutable, cached by the runtimes); each call of ``step``
runs a :class:`orchestrator.engine.run.Run`, the work of one event.

It never touches a clock, a store or the network: the driver passes ``now`` in, persists the
history events it returns and carries out the commands (run a task, start or cancel a timer).
Workflow failures are data: a :class:`StatesError` raised by the data flow is caught at the state
boundary and handled by Retry, Catch or the failure of the thread.
"""

from __future__ import annotations

from typing import Any

from orchestrator.asl.models import Program, StateMachineDefinition
from orchestrator.dataflow.limits import DEFAULT_MAX_PAYLOAD_BYTES
from orchestrator.engine.history import (
    DEFAULT_MAX_HISTORY_EVENTS,
    HistoryLimitReached,
)
from orchestrator.engine.model import (
    Event,
    ExecutionState,
    Step,
)


class Interpreter:
    """Interprets one state machine definition; holds only immutable, cacheable data."""

    def __init__(
        self,
        definition: StateMachineDefinition,
        *,
        max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_BYTES,
        max_history_events: int = DEFAULT_MAX_HISTORY_EVENTS,
        source: dict[str, Any] | None = None,
    ) -> None:
        self.definition = definition
        self.source = source  # the definition as written (JSON), for child executions' definitions
        self.max_payload_bytes = max_payload_bytes
        self.max_history_events = max_history_events
        self._programs: dict[tuple[Any, ...], Program] = {(): definition}

    def program(self, path: tuple[Any, ...]) -> Program:
        """The program (machine, branch or item processor) at ``path``: pairs of (state name, branch index)."""
        found = self._programs.get(path)
        if found is None:
            parent = self.program(path[:-2])
            state: Any = parent.states[path[-2]]
            found = state.branches[path[-1]] if state.type == "Parallel" else state.processor
            self._programs[path] = found
        return found

    def child_definition(self, path: tuple[Any, ...]) -> dict[str, Any]:
        """The item processor at ``path`` as a state machine definition of its own (a DISTRIBUTED Map's
        child executions run it), in the query language it is evaluated in here."""
        if self.source is not None:
            node: Any = self.source
            for name, index in zip(path[0::2], path[1::2], strict=True):
                state = node["States"][name]
                node = (
                    state["Branches"][index]
                    if state["Type"] == "Parallel"
                    else (state.get("ItemProcessor") or state["Iterator"])
                )
            found: dict[str, Any] = {key: value for key, value in node.items() if key != "ProcessorConfig"}
        else:
            found = self.program(path).model_dump(by_alias=True, exclude_unset=True)
            found.pop("ProcessorConfig", None)
        if "QueryLanguage" not in found and self.definition.query_language is not None:
            found["QueryLanguage"] = self.definition.query_language
        return found

    def new_execution(
        self, *, execution: dict[str, Any], state_machine: dict[str, Any], secret: str = ""
    ) -> ExecutionState:
        """A fresh execution state; ``execution`` is the context object's ``Execution`` member, ``secret``
        the key of its task tokens (:mod:`orchestrator.engine.tokens`; the runtime draws it)."""
        return ExecutionState(execution=execution, state_machine=state_machine, secret=secret)

    def step(self, state: ExecutionState, event: Event, now: float) -> Step:
        """Apply one event to ``state`` (mutated in place) and return the history and commands."""
        from orchestrator.engine.run import Run

        run = Run(self, state, now)
        try:
            run.handle(event)
            run.drain()
        except HistoryLimitReached:
            run.history_full()
        state.next_event_id = run.writer.next_id
        return Step(events=run.writer.drain(), commands=run.commands)
