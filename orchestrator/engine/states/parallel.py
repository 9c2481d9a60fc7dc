"""Parallel: every branch runs as a child thread on the same input; the state's result is the list of
their outputs. A failing branch stops the others and fails the state (then Retry/Catch apply)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orchestrator.engine.dataflow import effective_input, finish_state
from orchestrator.engine.model import Join
from orchestrator.engine.redrive import remember, restore, resume_child
from orchestrator.engine.states.base import StateHandler

if TYPE_CHECKING:
    from orchestrator.asl.models import ParallelState
    from orchestrator.engine.model import Thread
    from orchestrator.engine.run import Run


class ParallelHandler(StateHandler):
    def start(self, run: Run, thread: Thread, state: ParallelState) -> None:
        value = effective_input(run, thread, state)
        run.writer.add(thread.hctx, "ParallelStateStarted", run.now)
        join = Join("parallel", results=[None] * len(state.branches), remaining=len(state.branches))
        thread.join = join
        kept = restore(thread, join)  # a redrive: the branches that succeeded keep their outputs
        for index, branch in enumerate(state.branches):
            if index in kept:
                continue
            child = run.new_thread(
                thread.id,
                (*thread.program, thread.state_name, index),
                branch.start_at,
                value,
                thread.hctx.fork(),
            )
            child.index = index
            resume_child(join, child)
            join.children.append(child.id)
            run.runnable.append(child.id)
        if join.remaining == 0:
            self._joined(run, thread, join)

    def on_child_succeeded(self, run: Run, parent: Thread, child: Thread, output: Any) -> None:
        join = parent.join
        assert join is not None
        join.results[child.index or 0] = output
        join.succeeded.append(child.index or 0)
        join.remaining -= 1
        join.children.remove(child.id)
        parent.hctx.integrate(child.hctx)
        if join.remaining:
            return
        self._joined(run, parent, join)

    def _joined(self, run: Run, parent: Thread, join: Join) -> None:
        """Every branch succeeded: the state's result is their outputs."""
        parent.join = None
        state: ParallelState = run.current_state(parent)  # type: ignore[assignment]
        run.writer.add(parent.hctx, "ParallelStateSucceeded", run.now)
        run.guarded(parent, state, lambda: finish_state(run, parent, state, join.results))
        run.runnable.append(parent.id)

    def on_child_failed(
        self, run: Run, parent: Thread, child: Thread, error: str | None, cause: str | None
    ) -> None:
        join = parent.join
        assert join is not None
        if run.current_state(child).type == "Task":
            # Observed: a branch's failing Task state is recorded as aborted, not as exited.
            run.writer.add(child.hctx, "TaskStateAborted", run.now)
        parent.hctx.integrate(child.hctx)
        join.children.remove(child.id)
        remember(run, parent, join, child)
        run.abort_children(join)
        parent.join = None
        state = run.current_state(parent)
        run.state_failed(parent, state, error or "States.BranchFailed", cause, "ParallelStateFailed")
        run.runnable.append(parent.id)
