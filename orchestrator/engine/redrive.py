"""Redrive: a FAILED, ABORTED or TIMED_OUT execution runs again from the state it ended in.

AWS: "it continues the failed execution from the unsuccessful step and uses the same input. Step
Functions preserves the results and execution history of the successful steps ... For workflows that
include an Inline Map or Parallel state, RedriveExecution ... redrives only the iterations and branches
that failed or aborted."

The execution's root thread keeps the state it ended in (its name and input) when it fails. A Parallel or
Map state that fails remembers its children's ends on its thread (:func:`remember`): the outputs of the
children that succeeded, and where each failed or aborted child stood (state name, input, variables).
``Redrive`` re-enters the root's state; a Parallel or Map re-entered by a redrive takes those results as
they are and resumes the other children where they stood (:func:`restore`); the other items of a Map
start afresh. Children of children are not remembered: a resumed child re-runs its own state whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orchestrator.engine.history import HistoryContext
from orchestrator.engine.timefmt import iso

if TYPE_CHECKING:
    from orchestrator.engine.model import Join, Redrive, Thread
    from orchestrator.engine.run import Run

REDRIVABLE_STATUSES = frozenset({"FAILED", "ABORTED", "TIMED_OUT"})
ROOT = 0


def remember(run: Run, parent: Thread, join: Join, failed: Thread | None = None) -> None:
    """Keep on ``parent`` what a redrive of its Parallel/Map state needs: the outputs of the children
    that succeeded and where the ``failed`` child and the ones still running stood."""
    positions: list[list[Any]] = []
    running = [run.state.threads.get(child_id) for child_id in join.children]
    for child in [*running, failed]:
        if child is not None and child.index is not None:
            positions.append(
                [child.index, child.state_name, child.input, child.variables, child.variables_size]
            )
    parent.redrive = {
        "state": parent.state_name,
        "done": [[index, join.results[index]] for index in join.succeeded],
        "resume": positions,
        "armed": False,
    }


def restore(thread: Thread, join: Join) -> list[int]:
    """A Parallel/Map state entered again by a redrive: fill ``join`` with the results kept for it and
    the children to resume (``join.resume``); the indices whose results were kept. Any other start of
    the state (a first run, a retry) forgets what was kept."""
    memory, thread.redrive = thread.redrive, None
    if not memory or not memory.get("armed") or memory.get("state") != thread.state_name:
        return []
    kept: list[int] = []
    for index, output in memory["done"]:
        if 0 <= index < len(join.results):
            join.results[index] = output
            join.succeeded.append(index)
            kept.append(index)
    join.remaining -= len(kept)
    join.resume = [position for position in memory["resume"] if position[0] not in kept]
    return kept


def resume_child(join: Join, child: Thread) -> bool:
    """Put a child of a redriven Parallel/Map back where it stood when the state failed (False: it
    starts afresh)."""
    for position in join.resume:
        if position[0] == child.index:
            _, child.state_name, child.input, child.variables, child.variables_size = position
            join.resume.remove(position)
            return True
    return False


def redrive(run: Run, event: Redrive) -> None:
    """Apply ``Redrive``: write ``ExecutionRedriven``, count the redrive (``$$.Execution.RedriveCount``,
    ``RedriveTime``) and re-enter the state the execution ended in. Ignored unless the execution ended
    FAILED, ABORTED or TIMED_OUT and ``event.count`` is its next redrive count."""
    st = run.state
    root = st.threads.get(ROOT)
    count = int(st.execution.get("RedriveCount") or 0) + 1
    if st.status not in REDRIVABLE_STATUSES or root is None or event.count != count:
        return
    if root.join is not None:  # stopped (or timed out) while its Parallel/Map ran
        remember(run, root, root.join)
        root.join = None
    if root.redrive is not None:
        root.redrive["armed"] = root.redrive.get("state") == root.state_name
    for thread_id in [thread_id for thread_id in st.threads if thread_id != ROOT]:
        del st.threads[thread_id]
    st.tasks.clear()
    st.timers.clear()
    st.children.clear()
    st.status, st.output, st.error, st.cause = "RUNNING", None, None, None
    st.execution = {**st.execution, "RedriveCount": count, "RedriveTime": iso(run.now)}
    terminal = st.next_event_id - 1
    root.hctx = HistoryContext(terminal, terminal)
    run.writer.add(root.hctx, "ExecutionRedriven", run.now, {"redriveCount": count})
    root.done = False
    root.entered_event = 0
    root.task_id = root.timer_id = root.heartbeat_timer_id = None
    root.retry_counts, root.attempt = [], 0
    timeout = run.interpreter.definition.timeout_seconds
    if timeout is not None:
        run.start_timer(root, "execution-timeout", run.now + timeout, own=False)
    run.runnable.append(root.id)
