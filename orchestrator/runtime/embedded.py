"""The embedded runtime: the interpreter driven in-process, tasks in a thread pool, no server needed.

One dispatcher thread owns every running execution: it takes events from a queue (a task finished, a
stop was requested), steps the interpreter, commits the history to the store and carries out the
commands. Timers are kept per execution and fired by the same thread; with the time-skipping clock an
execution that has nothing left to do but wait jumps straight to its next timer.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from orchestrator import metrics
from orchestrator.dataflow.json_text import dumps
from orchestrator.dataflow.limits import DEFAULT_MAX_PAYLOAD_BYTES
from orchestrator.engine.codec import decode_state, encode_state
from orchestrator.engine.history import DEFAULT_MAX_HISTORY_EVENTS
from orchestrator.engine.interpreter import Interpreter
from orchestrator.engine.model import (
    CallbackFailed,
    CallbackSucceeded,
    CancelTask,
    CancelTimer,
    ChildExecutionFinished,
    Event,
    ExecutionState,
    ItemsRead,
    ItemsReadFailed,
    ReadItems,
    RecordMapRun,
    Redrive,
    ResultsWriteFailed,
    ResultsWritten,
    RunTask,
    Start,
    StartChildExecution,
    StartTimer,
    StopChildExecution,
    StopRequested,
    TaskFailed,
    TaskHeartbeat,
    TaskSucceeded,
    TimerFired,
    WriteResults,
)
from orchestrator.itemio.carry_out import carry_out_read, carry_out_write, io_id
from orchestrator.logs import log_context, task_context, task_outcome
from orchestrator.runtime.base import (
    Interpreters,
    activity_task,
    finished_record,
    initial_state,
    is_activity,
)
from orchestrator.runtime.clock import Clock, RealClock, SkippingClock
from orchestrator.runtime.map_runs import map_run_record
from orchestrator.runtime.nested import child_finished, is_nested, start_child
from orchestrator.store.base import Store
from orchestrator.store.records import ExecutionRecord, StateMachineRecord
from orchestrator.transport.base import run_command

log = logging.getLogger(__name__)


@dataclass
class _Live:
    """A running execution as the dispatcher holds it."""

    interpreter: Interpreter
    state: ExecutionState
    record: ExecutionRecord
    version: int = 0
    timers: dict[str, float] = field(default_factory=dict)
    inflight: set[str] = field(default_factory=set)
    queued: int = 0
    last_activity: float = field(default_factory=time.monotonic)
    done: threading.Event = field(default_factory=threading.Event)
    clock_key: str = ""  # the root execution's ARN: a DISTRIBUTED Map's children share its clock
    parent: tuple[str, str] | None = None  # a child execution: (parent ARN, run id)
    caller: dict[str, str] | None = None  # a nested execution: the parent task it reports to
    definition: str = ""  # the definition it runs (kept with its final state, for a redrive)


class EmbeddedRuntime:
    """Runs executions in this process (see module docstring)."""

    def __init__(
        self,
        store: Store,
        resolver: Any,
        *,
        time_skipping: bool = False,
        clock: Clock | None = None,
        max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_BYTES,
        max_history_events: int = DEFAULT_MAX_HISTORY_EVENTS,
        max_workers: int = 32,
        skip_after: float = 0.0,
    ) -> None:
        self.store = store
        self.resolver = resolver
        self.clock: Clock = clock or (SkippingClock() if time_skipping else RealClock())
        self.max_payload_bytes = max_payload_bytes
        self.max_history_events = max_history_events
        # With the skipping clock, an idle execution's time jumps only after it has been idle this long
        # (real seconds): a server gives API callers (StopExecution, SendTaskSuccess...) that window.
        self.skip_after = skip_after
        self._queue: queue.Queue[tuple[str, Event] | None] = queue.Queue()
        self._live: dict[str, _Live] = {}
        self._lock = threading.Lock()
        self._interpreters = Interpreters(
            max_payload_bytes=max_payload_bytes, max_history_events=max_history_events
        )
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="sfn-task")
        self._closed = False
        self._dispatcher = threading.Thread(target=self._loop, name="sfn-dispatcher", daemon=True)
        self._dispatcher.start()

    # ---- the Runtime protocol -----------------------------------------------------------------

    def interpreter(self, definition_text: str) -> Interpreter:
        """The (cached) interpreter of a definition."""
        return self._interpreters.get(definition_text)

    def launch(
        self,
        machine: StateMachineRecord,
        execution: ExecutionRecord,
        *,
        parent: tuple[str, str] | None = None,
        clock_key: str | None = None,
        caller: dict[str, str] | None = None,
    ) -> None:
        interpreter = self.interpreter(machine.definition)
        state = initial_state(interpreter, machine, execution)
        live = _Live(
            interpreter=interpreter,
            state=state,
            record=execution,
            clock_key=clock_key or execution.arn,
            parent=parent,
            caller=caller,
            definition=machine.definition,
        )
        with self._lock:
            self._live[execution.arn] = live
        self._post(execution.arn, Start())

    def redrive(self, execution: ExecutionRecord) -> None:
        """Revive a finished execution from the state its last step saved, and hand it ``Redrive``."""
        saved, version = self.store.load_state(execution.arn)
        assert saved is not None, f"{execution.arn} kept no state to redrive"
        parent = saved.get("parent")
        live = _Live(
            interpreter=self.interpreter(saved["definition"]),
            state=decode_state(saved["interpreter"]),
            record=execution,
            version=self.store.commit(execution.arn, version, None, [], execution),
            clock_key=saved.get("clock_key") or execution.arn,
            parent=None if parent is None else (parent[0], parent[1]),
            caller=saved.get("caller"),
            definition=saved["definition"],
        )
        with self._lock:
            self._live[execution.arn] = live
        self._post(execution.arn, Redrive(execution.redrive_count))

    def stop(self, execution_arn: str, error: str | None, cause: str | None) -> ExecutionRecord:
        live = self._live.get(execution_arn)
        if live is not None:
            self._post(execution_arn, StopRequested(error, cause))
            live.done.wait(timeout=30)
        record = self.store.get_execution(execution_arn)
        assert record is not None
        return record

    def wait(self, execution_arn: str, timeout: float | None = None) -> ExecutionRecord:
        live = self._live.get(execution_arn)
        if live is not None:
            live.done.wait(timeout)
        record = self.store.get_execution(execution_arn)
        assert record is not None
        return record

    def test_state(self, request: dict[str, Any]) -> dict[str, Any]:
        from orchestrator.engine.test_state import run_test_state

        response: dict[str, Any] = run_test_state(
            request, self.resolver, max_payload_bytes=self.max_payload_bytes
        )
        return response

    def deliver(self, execution_arn: str, event: Event) -> None:
        if execution_arn in self._live:
            self._post(execution_arn, event)

    def task_secret(self, execution_arn: str, task_id: str) -> str | None:
        live = self._live.get(execution_arn)
        if live is None or live.state.status != "RUNNING" or task_id not in live.state.tasks:
            return None
        return live.state.secret or None

    def close(self) -> None:
        self._closed = True
        self._queue.put(None)
        self._dispatcher.join(timeout=5)
        self._pool.shutdown(wait=False, cancel_futures=True)

    # ---- the dispatcher -----------------------------------------------------------------------

    def _post(self, arn: str, event: Event) -> None:
        live = self._live.get(arn)
        if live is not None:
            with self._lock:
                live.queued += 1
        self._queue.put((arn, event))

    def _loop(self) -> None:
        while not self._closed:
            try:
                item = self._queue.get(timeout=self._seconds_to_next_timer())
            except queue.Empty:
                item = None
            if item is not None:
                self._apply(*item)
            self._fire_due_timers()

    def _seconds_to_next_timer(self) -> float:
        wait = 1.0
        groups: dict[str, list[_Live]] = {}
        for live in list(self._live.values()):
            groups.setdefault(live.clock_key, []).append(live)
        for key, lives in groups.items():
            dues = [due for live in lives for due in live.timers.values()]
            if not dues:
                continue
            busy = any(live.inflight or live.queued for live in lives)
            if self.clock.skipping and not busy:
                idle = time.monotonic() - max(live.last_activity for live in lives)
                if idle >= self.skip_after:
                    self.clock.advance(key, min(dues))
                else:
                    wait = min(wait, self.skip_after - idle)
            wait = min(wait, min(dues) - self.clock.now(key))
        return max(wait, 0.0)

    def _fire_due_timers(self) -> None:
        for arn, live in list(self._live.items()):
            for timer_id, due in sorted(live.timers.items(), key=lambda item: item[1]):
                if due <= self.clock.now(live.clock_key):
                    live.timers.pop(timer_id, None)
                    metrics.observe_timer_lag(self.clock.now(live.clock_key) - due)
                    live.queued += 1
                    log.debug("timer %s fired", timer_id, extra={"execution_arn": arn})
                    self._apply(arn, TimerFired(timer_id))

    def _apply(self, arn: str, event: Event) -> None:
        live = self._live.get(arn)
        if live is None:
            return
        with self._lock:
            live.queued = max(live.queued - 1, 0)
        if isinstance(event, TaskSucceeded | TaskFailed | CallbackSucceeded | CallbackFailed):
            live.inflight.discard(event.task_id)
        elif isinstance(event, ItemsRead | ItemsReadFailed | ResultsWritten | ResultsWriteFailed):
            live.inflight.discard(io_id(event))
        live.last_activity = time.monotonic()
        now = self.clock.now(live.clock_key)
        try:
            step = live.interpreter.step(live.state, event, now)
        except Exception:  # a bug in the engine must not take the dispatcher down
            log.exception("interpreter failed on %s for %s", type(event).__name__, arn)
            step = live.interpreter.step(
                live.state, StopRequested("States.Runtime", "Internal error in the interpreter"), now
            )
        record = None
        if live.state.status != "RUNNING":
            record = finished_record(live.record, live.state, now)
        live.version = self.store.commit(arn, live.version, _kept(live, record), step.events, record)
        if record is not None:
            last = step.events[-1].get("id") if step.events else None
            level = logging.DEBUG if record.map_run_arn else logging.INFO  # a Map's children: debug
            log.log(level, "execution %s", record.status, extra={"execution_arn": arn, "event_id": last})
        metrics.record_committed(arn, step.events, record)
        for command in step.commands:
            if isinstance(command, RunTask) and is_activity(command):
                self.store.push_activity_task(command.resource, activity_task(arn, command))
            elif isinstance(command, RunTask) and is_nested(command) and not self._mocked(arn, command):
                self._start_nested(arn, command)
            elif isinstance(command, RunTask):
                live.inflight.add(command.task_id)
                self._pool.submit(self._run_task, arn, command, time.monotonic())
            elif isinstance(command, StartTimer):
                live.timers[command.timer_id] = command.due
            elif isinstance(command, CancelTimer):
                live.timers.pop(command.timer_id, None)
            elif isinstance(command, CancelTask):
                live.inflight.discard(command.task_id)
            elif isinstance(command, StartChildExecution):
                self._start_child(live, command)
            elif isinstance(command, StopChildExecution):
                self._post(command.execution_arn, StopRequested(None, None))
            elif isinstance(command, RecordMapRun):
                self.store.put_map_run(map_run_record(command))
            elif isinstance(command, ReadItems | WriteResults):
                live.inflight.add(io_id(command))
                self._pool.submit(self._carry_out_io, arn, command)
        if record is not None:
            with self._lock:
                self._live.pop(arn, None)
            if live.clock_key == arn:
                self.clock.forget(arn)
            live.done.set()
            if live.caller is not None:
                reported = child_finished(live.caller, record)
                if reported is not None:
                    self._post(live.caller["arn"], reported)
            if live.parent is not None:
                parent_arn, run_id = live.parent
                st = live.state
                self._post(
                    parent_arn, ChildExecutionFinished(run_id, st.status, st.output, st.error, st.cause)
                )

    def _start_child(self, parent: _Live, command: StartChildExecution) -> None:
        """Create and launch a DISTRIBUTED Map's child execution."""
        machine = StateMachineRecord(
            arn=command.state_machine["Id"],
            name=command.state_machine["Name"],
            definition=json.dumps(command.definition),
            role_arn=parent.record.role_arn,
        )
        child = ExecutionRecord(
            arn=command.execution_arn,
            state_machine_arn=machine.arn,
            name=command.name,
            input=dumps(command.input),
            role_arn=parent.record.role_arn,
            map_run_arn=command.map_run_arn,
        )
        if self.store.create_execution(child, None):
            share = getattr(self.resolver, "share_test_case", None)  # a mocked parent's test case
            if callable(share):
                share(child.arn, parent.record.arn)
            self.launch(
                machine, child, parent=(parent.record.arn, command.run_id), clock_key=parent.clock_key
            )

    def _mocked(self, arn: str, command: RunTask) -> bool:
        """Whether a mock configuration's test case answers this task (see orchestrator.mocking)."""
        mocks = getattr(self.resolver, "mocks", None)
        return bool(mocks(arn, command.state_name)) if callable(mocks) else False

    def _start_nested(self, arn: str, command: RunTask) -> None:
        """Start a nested execution (``states:startExecution``) and post the task's submit outcome."""
        started = start_child(self.store, arn, command)
        if isinstance(started, TaskFailed):
            self._post(arn, started)
            return
        self._post(arn, started.outcome)  # before the child can end and report
        self.launch(started.machine, started.execution, caller=started.caller)

    def _carry_out_io(self, arn: str, command: ReadItems | WriteResults) -> None:
        """A DISTRIBUTED Map's ItemReader read or ResultWriter write (orchestrator.itemio)."""
        if isinstance(command, ReadItems):
            self._post(arn, carry_out_read(command))
        else:
            self._post(arn, carry_out_write(command, self.store))

    def _run_task(self, arn: str, command: RunTask, submitted: float) -> None:
        started = time.monotonic()
        metrics.observe_queue_wait("embedded", started - submitted)
        beat = TaskHeartbeat(command.task_id)
        with log_context(execution_arn=arn, **task_context(command)):
            log.debug("task started: %s", command.resource)
            outcome = run_command(self.resolver, command, lambda: self._post(arn, beat))
            log.debug("task %s", task_outcome(outcome))
        metrics.observe_task_run(command.resource, time.monotonic() - started)
        self._post(arn, outcome)


def _kept(live: _Live, finished: ExecutionRecord | None) -> dict[str, Any] | None:
    """What the store keeps of an execution: nothing while it runs (the dispatcher holds it), its
    definition and final interpreter state once it ended (what a redrive resumes from)."""
    if finished is None:
        return None
    return {
        "definition": live.definition,
        "interpreter": encode_state(live.state),
        "parent": None if live.parent is None else list(live.parent),
        "caller": live.caller,
        "clock_key": live.clock_key,
    }
