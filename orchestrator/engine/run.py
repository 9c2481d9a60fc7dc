"""The work of one interpreter step: the event applied, the runnable threads advanced, the history
written and the commands collected (see :mod:`orchestrator.engine.interpreter`)."""

from __future__ import annotations

from collections import deque
from typing import Any

from orchestrator.asl.models import AnyState
from orchestrator.asl.resources import parse_resource
from orchestrator.dataflow.json_text import dumps
from orchestrator.engine import history, tokens
from orchestrator.engine import variables as scopes
from orchestrator.engine.catch import find_catcher
from orchestrator.engine.commands import CommandsMixin
from orchestrator.engine.dataflow import caught_output
from orchestrator.engine.errors import DATA_LIMIT_EXCEEDED, RUNTIME
from orchestrator.engine.history import (
    HistoryContext,
    HistoryWriter,
)
from orchestrator.engine.interpreter import Interpreter
from orchestrator.engine.model import (
    ActivityStarted,
    CallbackFailed,
    CallbackSucceeded,
    CancelTimer,
    ChildExecutionFinished,
    Command,
    Event,
    ExecutionState,
    ItemsRead,
    ItemsReadFailed,
    Join,
    MapRunUpdated,
    Redrive,
    ResultsWriteFailed,
    ResultsWritten,
    Start,
    StopChildExecution,
    StopRequested,
    TaskFailed,
    TaskHeartbeat,
    TaskSucceeded,
    Thread,
    TimerFired,
    child_execution,
)
from orchestrator.engine.retry import retry_delay
from orchestrator.engine.states.task import waits_for_token
from orchestrator.engine.timefmt import iso
from orchestrator.errors import QueryEvaluationError, StatesError

ROOT = 0  # the execution's own thread


class Run(CommandsMixin):
    """The work of one step: the history writer, the commands, and the threads ready to advance."""

    def __init__(self, interpreter: Interpreter, state: ExecutionState, now: float) -> None:
        self.interpreter = interpreter
        self.state = state
        self.now = now
        self.writer = HistoryWriter(state.next_event_id, interpreter.max_history_events)
        self.commands: list[Command] = []
        self.runnable: deque[int] = deque()
        self.inspection: dict[str, Any] | None = None  # TestState: the data after each processing step
        self.task_tokens: dict[int, str] = {}  # thread id -> the token of the task it is starting

    def inspect(self, key: str, value: Any) -> None:
        if self.inspection is not None:
            self.inspection[key] = value

    # ---- events -------------------------------------------------------------------------------

    def handle(self, event: Event) -> None:
        from orchestrator.engine.states import HANDLERS

        st = self.state
        if isinstance(event, Start):
            if not st.threads and st.next_event_id == 1:  # delivered twice: started once
                self.start_execution()
            return
        if isinstance(event, Redrive):
            from orchestrator.engine.redrive import redrive

            redrive(self, event)
            return
        if st.status != "RUNNING":
            return
        if isinstance(event, StopRequested):
            self.finish("ABORTED", "ExecutionAborted", error=event.error, cause=event.cause)
            return
        if isinstance(event, ChildExecutionFinished):
            owner_id = st.children.pop(event.run_id, None)
            owner = st.threads.get(owner_id) if owner_id is not None else None
            if (
                owner is not None
                and not owner.done
                and owner.join is not None
                and event.run_id in owner.join.runs
            ):
                from orchestrator.engine.states.map import MapHandler

                MapHandler().on_child_execution_finished(self, owner, event)
                self.runnable.append(owner.id)
            return
        if isinstance(event, MapRunUpdated):
            self.update_map_run(event)
            return
        if isinstance(event, ItemsRead | ItemsReadFailed | ResultsWritten | ResultsWriteFailed):
            self.map_io_done(event)
            return
        if isinstance(event, TaskHeartbeat):
            thread_id = st.tasks.get(event.task_id)
            beating = st.threads.get(thread_id) if thread_id is not None else None
            if beating is not None and beating.task_id == event.task_id:
                self.restart_heartbeat(beating)
            return
        if isinstance(event, ActivityStarted):
            waiting = self._waiting_task(event.task_id)
            if waiting is not None:
                HANDLERS["Task"].on_activity_started(self, *waiting, event.worker_name)  # type: ignore[attr-defined]
            return
        if isinstance(event, TaskSucceeded):
            waiting = self._waiting_task(event.task_id)
            if waiting is not None and waits_for_token(waiting[1]):
                HANDLERS["Task"].on_task_submitted(self, waiting[0], waiting[1], event.output)  # type: ignore[attr-defined]
                return
        if isinstance(event, CallbackSucceeded | CallbackFailed):
            waiting = self._waiting_task(event.task_id)
            if waiting is not None and self._submits(waiting[1]) and not waiting[0].submitted:
                # The end came before the resource's result (a mocked task, a fast callback): submitted.
                HANDLERS["Task"].on_task_submitted(self, waiting[0], waiting[1], {})  # type: ignore[attr-defined]
        if isinstance(event, CallbackSucceeded):
            event = TaskSucceeded(event.task_id, event.output)
        elif isinstance(event, CallbackFailed):
            event = TaskFailed(event.task_id, event.error, event.cause)
        if isinstance(event, TaskSucceeded | TaskFailed):
            thread_id = st.tasks.pop(event.task_id, None)
            thread = st.threads.get(thread_id) if thread_id is not None else None
            if thread is None or thread.done or thread.task_id != event.task_id:
                return  # late or duplicate delivery: applied once
            thread.task_id = None
            self.cancel_timer(thread)
            task_state = self.current_state(thread)
            handler = HANDLERS[task_state.type]
            if isinstance(event, TaskSucceeded):
                handler.on_task_succeeded(self, thread, task_state, event.output)
            else:
                handler.on_task_failed(self, thread, task_state, event.error, event.cause)
            self.runnable.append(thread.id)
            return
        if isinstance(event, TimerFired):
            entry = st.timers.pop(event.timer_id, None)
            if entry is None:
                return
            thread_id, purpose = entry
            if purpose == "execution-timeout":
                self.finish("TIMED_OUT", "ExecutionTimedOut")
                return
            thread = st.threads.get(thread_id)
            if thread is not None and not thread.done and purpose == "heartbeat":
                if thread.heartbeat_timer_id != event.timer_id:
                    return
                thread.heartbeat_timer_id = None
            elif thread is None or thread.done or thread.timer_id != event.timer_id:
                return
            else:
                thread.timer_id = None
            current = self.current_state(thread)
            handler = HANDLERS[current.type]
            if purpose == "retry":
                self.guarded(thread, current, lambda: handler.start(self, thread, current))
            else:
                handler.on_timer(self, thread, current, purpose)
            self.runnable.append(thread.id)

    @staticmethod
    def _submits(state: Any) -> bool:
        """Whether the task writes ``TaskSubmitted`` (a waiting service integration, not an activity)."""
        return bool(waits_for_token(state)) and parse_resource(state.resource).kind != "activity"

    def _waiting_task(self, task_id: str) -> tuple[Thread, Any] | None:
        """The thread running task ``task_id`` and its Task state, if it still runs it."""
        thread_id = self.state.tasks.get(task_id)
        thread = self.state.threads.get(thread_id) if thread_id is not None else None
        if thread is None or thread.done or thread.task_id != task_id:
            return None
        current = self.current_state(thread)
        return (thread, current) if current.type == "Task" else None

    def update_map_run(self, event: MapRunUpdated) -> None:
        """``UpdateMapRun``: the running DISTRIBUTED Map whose map run it names takes the new settings."""
        from orchestrator.engine.states.map import MapHandler

        for thread in list(self.state.threads.values()):
            join = thread.join
            if not thread.done and join is not None and join.map_run_arn == event.map_run_arn:
                MapHandler().on_map_run_updated(self, thread, event)
                self.runnable.append(thread.id)
                return

    def map_io_done(self, event: ItemsRead | ItemsReadFailed | ResultsWritten | ResultsWriteFailed) -> None:
        """A DISTRIBUTED Map's ItemReader read or ResultWriter write ended (applied once, by its id)."""
        from orchestrator.engine.states.map import MapHandler

        io_id = event.read_id if isinstance(event, ItemsRead | ItemsReadFailed) else event.write_id
        for thread in list(self.state.threads.values()):
            if thread.done or thread.join is None or thread.join.io_id != io_id:
                continue
            if isinstance(event, ItemsRead):
                MapHandler().on_items_read(self, thread, event.items)
            elif isinstance(event, ResultsWritten):
                MapHandler().on_results_written(self, thread, event.details)
            else:
                MapHandler().on_io_failed(self, thread, event.error, event.cause)
            self.runnable.append(thread.id)
            return

    def map_run_aborted(self, join: Join) -> None:
        """A DISTRIBUTED Map's state ends without its map run ending (the execution stopped, a sibling
        failed): the map run is ABORTED."""
        if join.map_run_arn is not None:
            from orchestrator.engine.states.map import record_map_run

            record_map_run(self, join, "ABORTED")

    def history_full(self) -> None:
        """The history reached its limit: the execution fails with its last event."""
        limit = self.interpreter.max_history_events
        self.finish(
            "FAILED",
            "ExecutionFailed",
            error=RUNTIME,
            cause=f"The execution reached the maximum number of history events ({limit}).",
        )

    def start_execution(self) -> None:
        st = self.state
        definition = self.interpreter.definition
        root = self.new_thread(None, (), definition.start_at, st.execution["Input"], HistoryContext())
        self.writer.add(
            root.hctx,
            "ExecutionStarted",
            self.now,
            {
                **history.data_details("input", st.execution["Input"]),
                "roleArn": st.execution["RoleArn"],
            },
        )
        if definition.timeout_seconds is not None:
            self.start_timer(root, "execution-timeout", self.now + definition.timeout_seconds, own=False)
        self.runnable.append(root.id)

    # ---- threads ------------------------------------------------------------------------------

    def new_thread(
        self, parent: int | None, program: tuple[Any, ...], start_at: str, value: Any, hctx: HistoryContext
    ) -> Thread:
        st = self.state
        thread = Thread(
            id=st.next_thread, parent=parent, program=program, state_name=start_at, input=value, hctx=hctx
        )
        st.next_thread += 1
        st.threads[thread.id] = thread
        return thread

    def drain(self) -> None:
        """Advance every runnable thread until it blocks or ends."""
        from orchestrator.engine.states import HANDLERS

        while self.runnable and self.state.status == "RUNNING":
            thread = self.state.threads.get(self.runnable.popleft())
            while thread is not None and not thread.done and self._should_enter(thread):
                state = self.current_state(thread)
                thread.retry_counts = []
                thread.attempt = 0
                thread.entered_time = self.now
                thread.entered_from = thread.hctx.source
                thread.entered_event = self.writer.add(
                    thread.hctx,
                    f"{state.type}StateEntered",
                    self.now,
                    history.entered(thread.state_name, thread.input),
                )
                handler = HANDLERS[state.type]
                self.guarded(thread, state, lambda h=handler, t=thread, s=state: h.start(self, t, s))
                if self.state.status != "RUNNING":
                    return

    def _should_enter(self, thread: Thread) -> bool:
        entering = thread.entered_event == 0
        return entering and thread.task_id is None and thread.timer_id is None and thread.join is None

    def current_state(self, thread: Thread) -> AnyState:
        return self.interpreter.program(thread.program).states[thread.state_name]

    def guarded(self, thread: Thread, state: AnyState, action: Any) -> None:
        """Run ``action``; a StatesError it raises becomes the state's failure."""
        try:
            action()
        except StatesError as failure:
            cause = self.cause_of(thread, failure)
            failed_event = None
            if isinstance(failure, QueryEvaluationError):
                self.evaluation_failed(thread, failure, cause)
                if state.type in ("Map", "Parallel"):
                    failed_event = f"{state.type}StateFailed"
            self.state_failed(thread, state, failure.error, cause, failed_event)

    def evaluation_failed(self, thread: Thread, failure: QueryEvaluationError, cause: str) -> None:
        """Record AWS's ``EvaluationFailed`` event for a JSONata evaluation failure."""
        details: dict[str, Any] = {"cause": cause, "error": failure.error}
        if failure.location is not None:
            details["location"] = failure.location
        details["state"] = self.display_name(thread)
        if not failure.after_entered:
            thread.hctx.source = thread.entered_from
        self.writer.add(thread.hctx, "EvaluationFailed", self.now, details)

    def display_name(self, thread: Thread) -> str:
        """The state's name as AWS prints it in error causes."""
        return thread.state_name

    def cause_of(self, thread: Thread, failure: StatesError) -> str:
        if not failure.prefixed:
            return failure.cause
        return (
            f"An error occurred while executing the state '{self.display_name(thread)}' "
            f"(entered at the event id #{thread.entered_event}). {failure.cause}"
        )

    def context(self, thread: Thread, state: AnyState) -> dict[str, Any]:
        """The context object ``$$`` as seen by ``thread`` in ``state``."""
        state_ctx: dict[str, Any] = {"Name": thread.state_name, "EnteredTime": iso(thread.entered_time)}
        if state.type in ("Task", "Parallel", "Map"):
            state_ctx["RetryCount"] = thread.attempt
        context = {
            "Execution": self.state.execution,
            "StateMachine": self.state.state_machine,
            "State": state_ctx,
        }
        token = self.task_tokens.get(thread.id)
        if token is not None and state.type == "Task":
            context["Task"] = {"Token": token}
        return context

    def new_task_token(self, thread: Thread, task_id: str) -> str:
        """The token of the task ``thread`` starts now (``$$.Task.Token`` while its input is built)."""
        token = tokens.task_token(self.state.secret, self.state.execution["Id"], task_id)
        self.task_tokens[thread.id] = token
        return token

    # ---- transitions --------------------------------------------------------------------------

    def complete_state(
        self,
        thread: Thread,
        state: AnyState,
        output: Any,
        assigned: dict[str, Any] | None = None,
        *,
        next_state: str | None = None,
    ) -> None:
        """The state succeeded with ``output``: commit its assignments, write its Exited event, go on.

        An output over the payload limit fails the state with States.DataLimitExceeded (observed for
        Pass states as for tasks), and so do assignments over the variable size limits.
        """
        text = dumps(output)
        limit = self.interpreter.max_payload_bytes
        if len(text) * 4 > limit and len(text.encode()) > limit:
            self.state_failed(
                thread,
                state,
                DATA_LIMIT_EXCEEDED,
                f"The state/task '{thread.state_name}' returned a result with a size exceeding "
                "the maximum number of bytes service limit.",
            )
            return
        details = self.assign(thread, assigned)
        details.update(name=thread.state_name, output=text, outputDetails={"truncated": False})
        self.writer.add(thread.hctx, f"{state.type}StateExited", self.now, details)
        if next_state is None and not state.is_end:
            next_state = state.next
        self.goto(thread, next_state, output)

    def assign(self, thread: Thread, assigned: dict[str, Any] | None) -> dict[str, Any]:
        """Commit a state's assignments to its thread's scope; the Exited event's details for them."""
        if not assigned:
            return {}
        texts = scopes.check_assignment(self.state, thread, assigned)
        scopes.commit(thread, assigned, texts)
        return scopes.history_details(texts)

    def goto(self, thread: Thread, next_state: str | None, output: Any) -> None:
        if next_state is None:
            self.end_thread(thread, output)
            return
        thread.state_name = next_state
        thread.input = output
        thread.entered_event = 0
        thread.redrive = None

    def state_failed(
        self, thread: Thread, state: AnyState, error: str, cause: str | None, failed_event: str | None = None
    ) -> None:
        """Retry, Catch, or fail the thread (ASL spec, "Error handling").

        ``failed_event`` (``MapStateFailed``/``ParallelStateFailed``) is written only when the error is
        not retried: AWS writes none between attempts.
        """
        retriers = getattr(state, "retry", None)
        if retriers:
            seed = f"{self.state.execution['Id']}:{thread.id}:{thread.state_name}"
            delay = retry_delay(retriers, thread.retry_counts, error, seed)
            if delay is not None:
                from orchestrator.engine.states import HANDLERS

                thread.attempt += 1
                if delay <= 0:
                    handler = HANDLERS[state.type]
                    self.guarded(thread, state, lambda: handler.start(self, thread, state))
                else:
                    self.start_timer(thread, "retry", self.now + delay)
                return
        if failed_event is not None:
            self.writer.add(thread.hctx, failed_event, self.now)
        catchers = getattr(state, "catch", None)
        if catchers:
            catcher = find_catcher(catchers, error)
            if catcher is not None:
                # Observed: the error output always has a Cause ("" when the failure had none).
                error_output: dict[str, Any] = {"Error": error, "Cause": cause if cause is not None else ""}
                try:
                    output, assigned = caught_output(self, thread, state, catcher, error_output)
                    details = self.assign(thread, assigned)
                except StatesError as failure:
                    self.fail_thread(thread, failure.error, self.cause_of(thread, failure))
                    return
                details.update(history.exited(thread.state_name, output))
                self.writer.add(thread.hctx, f"{state.type}StateExited", self.now, details)
                self.goto(thread, catcher.next, output)
                return
        self.fail_thread(thread, error, cause)

    def end_thread(self, thread: Thread, output: Any) -> None:
        thread.done = True
        if thread.parent is None:
            self.state.output = output
            self.finish("SUCCEEDED", "ExecutionSucceeded", output=output)
            return
        from orchestrator.engine.states import HANDLERS

        parent = self.state.threads[thread.parent]
        HANDLERS[self.current_state(parent).type].on_child_succeeded(self, parent, thread, output)
        del self.state.threads[thread.id]

    def fail_thread(self, thread: Thread, error: str | None, cause: str | None) -> None:
        thread.done = True
        self.cancel_pending(thread)
        if thread.parent is None:
            self.finish("FAILED", "ExecutionFailed", error=error, cause=cause)
            return
        from orchestrator.engine.states import HANDLERS

        parent = self.state.threads[thread.parent]
        HANDLERS[self.current_state(parent).type].on_child_failed(self, parent, thread, error, cause)
        self.state.threads.pop(thread.id, None)

    def abort_thread(self, thread: Thread) -> None:
        """Stop a thread and all its descendants (a sibling branch failed, or the execution ended)."""
        thread.done = True
        self.cancel_pending(thread)
        if thread.join is not None:
            self.map_run_aborted(thread.join)
            self.stop_child_executions(thread.join)
            for child_id in list(thread.join.children):
                child = self.state.threads.get(child_id)
                if child is not None:
                    self.abort_thread(child)
        if thread.parent is not None:
            self.state.threads.pop(thread.id, None)

    def stop_child_executions(self, join: Join) -> None:
        """Stop a DISTRIBUTED Map's child executions that are still running."""
        assert join.map_run_arn is not None or not join.runs
        for run_id in list(join.runs):
            self.state.children.pop(run_id, None)
            _, child_arn = child_execution(join.map_run_arn or "", run_id)
            self.commands.append(StopChildExecution(run_id, child_arn))
        join.runs.clear()

    def abort_children(self, join: Join) -> None:
        """Abort every child a join still waits for (a sibling failed the Parallel or Map state)."""
        self.stop_child_executions(join)
        for child_id in join.children:
            child = self.state.threads.get(child_id)
            if child is not None:
                self.abort_thread(child)

    def finish(
        self,
        status: str,
        event_type: str,
        *,
        output: Any = None,
        error: str | None = None,
        cause: str | None = None,
    ) -> None:
        st = self.state
        root = st.threads.get(ROOT)
        hctx = root.hctx if root is not None else HistoryContext()
        if status == "ABORTED":
            hctx = HistoryContext()  # observed: ExecutionAborted points at event 0
        for thread in list(st.threads.values()):
            if thread.join is not None:
                self.map_run_aborted(thread.join)
                self.stop_child_executions(thread.join)
            if not thread.done or thread.id == ROOT:
                self.cancel_pending(thread)
                thread.done = True
        for timer_id in list(st.timers):
            self.commands.append(CancelTimer(timer_id))
        st.timers.clear()
        st.status = status
        if status == "SUCCEEDED":
            details: dict[str, Any] = history.data_details("output", output)
        else:
            details = history.failure(error, cause)
            st.error, st.cause = error, cause
        self.writer.limit = None  # the terminal event always fits: the limit keeps room for it
        self.writer.add(hctx, event_type, self.now, details)
