"""What every state handler answers to. Handlers are stateless; all state lives in the Thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orchestrator.errors import StatesError

if TYPE_CHECKING:
    from orchestrator.engine.model import Thread
    from orchestrator.engine.run import Run


class StateHandler:
    """Default behaviour: a state that neither runs tasks, nor waits, nor has children."""

    def start(self, run: Run, thread: Thread, state: Any) -> None:
        """Do the state's work after its Entered event (and again on each retry)."""
        raise NotImplementedError

    def on_task_succeeded(self, run: Run, thread: Thread, state: Any, output: Any) -> None:
        raise StatesError("States.Runtime", f"unexpected task result in state {thread.state_name}")

    def on_task_failed(
        self, run: Run, thread: Thread, state: Any, error: str | None, cause: str | None
    ) -> None:
        raise StatesError("States.Runtime", f"unexpected task failure in state {thread.state_name}")

    def on_timer(self, run: Run, thread: Thread, state: Any, purpose: str) -> None:
        raise StatesError("States.Runtime", f"unexpected timer in state {thread.state_name}")

    def on_child_succeeded(self, run: Run, parent: Thread, child: Thread, output: Any) -> None:
        raise AssertionError("only Parallel and Map have children")

    def on_child_failed(
        self, run: Run, parent: Thread, child: Thread, error: str | None, cause: str | None
    ) -> None:
        raise AssertionError("only Parallel and Map have children")
