"""The coordinator: advances executions kept in a shared store, one step of the interpreter at a time.

Design (why it is safe to run several, and to kill one):

* Input events (Start, a task's outcome, a fired timer, a stop request) are *posted* to the execution's
  inbox; posting marks the execution ready. A coordinator takes a ready execution, holds its lease,
  applies every inbox event to the interpreter, and commits the new state, the history events, the
  number of inbox events it consumed and the commands still to carry out (the outbox) in one atomic,
  version-checked commit. A stale version means another coordinator moved first: nothing is written.
* After the commit it carries out the outbox (dispatch tasks, add and cancel timers) and clears it. If it
  dies in between, the lease expires, ``requeue_orphans`` marks the execution ready again, and the next
  coordinator carries the outbox out first: a task may be dispatched twice, and its second outcome is
  ignored by the interpreter (it applies a task id once); timers are idempotent.
* Timers live in the store by due time; any coordinator claims the due ones (atomically, so one fires
  each) and posts ``TimerFired``.
"""

from __future__ import annotations

import heapq
import logging
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from orchestrator import metrics
from orchestrator.dataflow.limits import DEFAULT_MAX_PAYLOAD_BYTES
from orchestrator.engine.codec import (
    decode_event,
    decode_state,
    encode_event,
    encode_state,
)
from orchestrator.engine.history import DEFAULT_MAX_HISTORY_EVENTS
from orchestrator.engine.interpreter import Interpreter
from orchestrator.engine.model import (
    CancelTimer,
    ChildExecutionFinished,
    Command,
    ExecutionState,
    ReadItems,
    RecordMapRun,
    RunTask,
    StartChildExecution,
    StartTimer,
    StopChildExecution,
    StopRequested,
    WriteResults,
)
from orchestrator.itemio.carry_out import carry_out_read, carry_out_write
from orchestrator.logs import log_context, task_context
from orchestrator.runtime.base import (
    Interpreters,
    activity_task,
    finished_record,
    is_activity,
)
from orchestrator.runtime.children import ChildStarts
from orchestrator.runtime.map_runs import map_run_record
from orchestrator.runtime.nested import child_finished, is_nested
from orchestrator.runtime.outbox import outbox_entry, split_outbox
from orchestrator.store.base import Post, Taken, VersionConflict
from orchestrator.store.records import ExecutionRecord

log = logging.getLogger(__name__)

ORPHAN_SCAN_SHARE = 20
"""A coordinator waits at least this many times as long as its last orphan scan took before the next."""

COOL_DOWN_STATE_BYTES = 256 * 1024
"""An execution whose stored state is at least this big (a Map of thousands of items) cools down after a
round: its coordinator keeps the lease for ``COOL_DOWN_FACTOR`` times the round's duration, so that input
events (its children's outcomes) gather into fewer, larger rounds instead of rewriting the whole state
for every few of them."""
COOL_DOWN_FACTOR = 4.0

HEARTBEAT_SECONDS = 5.0
"""How often a running coordinator records its heartbeat (``sfn status``); it expires after three times
as long without one."""


class Coordinator(ChildStarts):
    """One coordinator process (or thread); see the module docstring."""

    def __init__(
        self,
        store: Any,
        transport: Any,
        *,
        owner: str | None = None,
        lease_seconds: float = 30.0,
        poll_seconds: float = 1.0,
        orphan_scan_seconds: float = 2.0,
        max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_BYTES,
        max_history_events: int = DEFAULT_MAX_HISTORY_EVENTS,
        cool_down: bool = True,
    ) -> None:
        """``cool_down``: let big executions cool down between rounds (see ``COOL_DOWN_STATE_BYTES``);
        only for a coordinator that runs :meth:`tick`, which releases them (not a worker's)."""
        self.store = store
        self.cool_down = cool_down
        self.transport = transport
        self.owner = owner or f"coordinator-{uuid.uuid4()}"
        self.lease_seconds = lease_seconds
        self.poll_seconds = poll_seconds
        self.orphan_scan_seconds = orphan_scan_seconds
        self.max_payload_bytes = max_payload_bytes
        self.max_history_events = max_history_events
        self._interpreters = Interpreters(
            max_payload_bytes=max_payload_bytes, max_history_events=max_history_events
        )
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_orphan_scan = 0.0
        self._cooling: list[tuple[float, str]] = []  # (when to release, ARN), a heap
        self._next_due: float | None = None  # the earliest timer's due time, as last read (timer lag)
        self._started = time.time()
        self._next_heartbeat = 0.0
        self._rounds = 0

    # ---- running ------------------------------------------------------------------------------

    def start(self) -> Coordinator:
        """Run :meth:`run_forever` in a daemon thread."""
        self._thread = threading.Thread(target=self.run_forever, name=self.owner, daemon=True)
        self._thread.start()
        return self

    def request_stop(self) -> None:
        """Finish the current round and stop (see :meth:`stop`)."""
        self._stopping.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run_forever(self) -> None:
        with log_context(coordinator=self.owner):
            log.info("coordinator %s started", self.owner)
            while not self._stopping.is_set():
                try:
                    self.heartbeat()
                    self.tick(timeout=self._idle_wait())
                except Exception:  # a store outage must not end the coordinator; retry after a pause
                    log.exception("coordinator %s: tick failed", self.owner)
                    self._stopping.wait(1.0)
            try:
                self.release_cooled(all_of_them=True)
            except Exception:  # their leases expire by themselves
                log.exception("coordinator %s: could not release the executions cooling down", self.owner)
            forget = getattr(self.store, "forget_coordinator", None)
            if forget is not None:
                try:
                    forget(self.owner)
                except Exception:  # its heartbeat expires by itself
                    log.warning("coordinator %s: could not drop its heartbeat", self.owner)
            log.info("coordinator %s stopped", self.owner)

    def heartbeat(self, force: bool = False) -> bool:
        """Record this coordinator's heartbeat (every ``HEARTBEAT_SECONDS``) when the store keeps them."""
        record = getattr(self.store, "heartbeat_coordinator", None)
        now = time.monotonic()
        if record is None or (now < self._next_heartbeat and not force):
            return False
        info = {
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "started": self._started,
            "last_tick": time.time(),
            "rounds": self._rounds,
            "leases_held": len(self._cooling),
        }
        record(self.owner, info, 3 * HEARTBEAT_SECONDS)
        self._next_heartbeat = now + HEARTBEAT_SECONDS
        return True

    def tick(self, timeout: float = 0.0) -> bool:
        """One round: fire due timers, requeue orphans now and then, advance one ready execution.

        Returns whether an execution was advanced.
        """
        self.fire_due_timers()
        self.release_cooled()
        now = time.monotonic()
        if now >= self._next_orphan_scan:
            self._scan_for_orphans(now)
        arn = self.store.next_ready(timeout)
        if arn is None:
            return False
        self.advance(arn)
        return True

    def _scan_for_orphans(self, now: float) -> None:
        """Requeue orphans, at most once per ``orphan_scan_seconds`` among all coordinators, and never
        spending more than about 1/``ORPHAN_SCAN_SHARE`` of this one's time on it (a scan reads every
        active execution: thousands while a DISTRIBUTED Map runs)."""
        interval = self.orphan_scan_seconds
        if self.store.claim_orphan_scan(self.owner, interval):
            self.store.requeue_orphans()
            interval = max(interval, ORPHAN_SCAN_SHARE * (time.monotonic() - now))
        self._next_orphan_scan = now + interval

    def fire_due_timers(self) -> int:
        now = time.time()
        with metrics.store_operation("claim_due_timers"):
            claimed = self.store.claim_due_timers(now)
        if claimed and self._next_due is not None and self._next_due <= now:
            metrics.observe_timer_lag(now - self._next_due)  # the earliest (latest-firing) one
        self._next_due = None
        for arn, timer_id in claimed:
            log.debug("timer %s fired", timer_id, extra={"execution_arn": arn})
            self.store.post(arn, {"kind": "TimerFired", "timer_id": timer_id})
        return len(claimed)

    def release_cooled(self, all_of_them: bool = False) -> int:
        """Release the executions whose cool-down is over (every one with ``all_of_them``)."""
        released = 0
        now = time.monotonic()
        while self._cooling and (all_of_them or self._cooling[0][0] <= now):
            _, arn = heapq.heappop(self._cooling)
            self.store.release(arn, self.owner)
            released += 1
        if released:
            metrics.set_leases_held(self.owner, len(self._cooling))
        return released

    def _idle_wait(self) -> float:
        due = self._next_due = self.store.next_timer_due()
        wait = self.poll_seconds if due is None else due - time.time()
        if self._cooling:
            wait = min(wait, self._cooling[0][0] - time.monotonic())
        return min(max(wait, 0.01), self.poll_seconds)

    # ---- one execution ------------------------------------------------------------------------

    def advance(self, arn: str, event: dict[str, Any] | None = None) -> None:
        """Apply the execution's inbox under its lease (a no-op if another coordinator holds it).

        ``event``: one more input event to apply after the inbox's, not posted yet (a worker advancing
        the execution with its task's outcome); it is posted instead when the lease is taken or the
        commit loses a race, so it is never lost.
        """
        with log_context(execution_arn=arn, coordinator=self.owner):
            self._advance(arn, event)

    def _advance(self, arn: str, event: dict[str, Any] | None) -> None:
        started = time.monotonic()
        with metrics.store_operation("take"):
            taken = self.store.take(arn, self.owner, self.lease_seconds)
        if taken is None:
            log.debug("lease busy; %s", "outcome posted" if event is not None else "left to its holder")
            if event is not None:
                self.store.post(arn, event)
            return
        self._rounds += 1
        metrics.record_round(self.owner)
        metrics.set_leases_held(self.owner, len(self._cooling) + 1)
        carried_out: int | None = None  # the version whose outbox is carried out and may be cleared
        posts: list[Post] = []
        settled = False  # committed, posted and released at once (``commit_settle``)
        try:
            if taken.outbox:  # a crashed coordinator committed it and died before finishing it
                posts += self._carry_out(arn, *split_outbox(taken.outbox, taken.state))
                carried_out = taken.version
            if taken.inbox or event is not None:
                carried_out, more, settled = self._apply(arn, taken, event, may_settle=not posts)
                posts += more
        except VersionConflict:
            log.warning("coordinator %s lost the race for %s; another coordinator moved it", self.owner, arn)
            if event is not None:
                posts.append((arn, event))
        finally:
            if not settled:
                hold = self._cool_down(taken, time.monotonic() - started)
                if hold > 0:
                    self.store.settle(arn, self.owner, carried_out, posts, release=False)
                    heapq.heappush(self._cooling, (time.monotonic() + hold, arn))
                else:
                    self.release(arn, carried_out, posts)
            metrics.set_leases_held(self.owner, len(self._cooling))

    def _may_cool_down(self, taken: Taken) -> bool:
        return self.cool_down and taken.size >= COOL_DOWN_STATE_BYTES

    def _cool_down(self, taken: Taken, duration: float) -> float:
        """How long to keep a big execution's lease after a round (0: release it now)."""
        if not self._may_cool_down(taken) or self._stopping.is_set():
            return 0.0
        return min(COOL_DOWN_FACTOR * duration, self.lease_seconds / 2)

    def release(self, arn: str, version: int | None = None, posts: list[Post] | None = None) -> None:
        """Make the ``posts``, clear the outbox carried out at ``version`` and give up the lease."""
        self.store.settle(arn, self.owner, version, posts or [])

    def _apply(
        self, arn: str, taken: Taken, extra: dict[str, Any] | None = None, *, may_settle: bool = False
    ) -> tuple[int | None, list[Post], bool]:
        """Step the interpreter through the inbox (and ``extra``), commit, carry out: the new version if
        it had an outbox, the posts for other executions that carrying it out leaves, and whether the
        round is over (with ``may_settle``, a round that leaves nothing but posts commits, posts and
        releases the lease at once)."""
        saved, version = taken.state, taken.version
        inbox = taken.inbox if extra is None else [*taken.inbox, extra]
        if saved is None:
            log.error("execution %s has no state; dropping %d events", arn, len(inbox))
            self.store.commit(arn, version, saved, [], consumed=len(taken.inbox), outbox=[])
            return None, [], False
        state = decode_state(saved["interpreter"])
        waiting = (
            _waiting_tasks(self.interpreter(saved["definition"]), state) if metrics.recording() else None
        )
        step = self._step(arn, saved, state, inbox, None)
        _log_round(len(inbox), step)
        if may_settle and not self._may_cool_down(taken) and _only_posts(step.commands):
            posts = self._carry_out(arn, step.commands, step.notices)
            with metrics.store_operation("commit_settle"):
                self.store.commit_settle(
                    arn,
                    version,
                    step.saved,
                    step.events,
                    step.record,
                    consumed=len(taken.inbox),
                    owner=self.owner,
                    posts=posts,
                )
            metrics.record_committed(arn, step.events, step.record, waiting)
            return None, [], True
        with metrics.store_operation("commit"):
            new_version = self.store.commit(
                arn,
                version,
                step.saved,
                step.events,
                step.record,
                consumed=len(taken.inbox),
                outbox=step.outbox,
            )
        metrics.record_committed(arn, step.events, step.record, waiting)
        posts = self._carry_out(arn, step.commands, step.notices)
        return (new_version if step.outbox else None), posts, False

    def _step(
        self,
        arn: str,
        saved: dict[str, Any],
        state: ExecutionState,
        inbox: list[dict[str, Any]],
        record: ExecutionRecord | None,
    ) -> _Step:
        """Apply ``inbox`` to ``state`` (the execution saved as ``saved``, its record ``record`` if at
        hand): what to commit and carry out."""
        interpreter = self.interpreter(saved["definition"])
        was_running = state.status == "RUNNING" or any(item["kind"] == "Redrive" for item in inbox)
        events: list[dict[str, Any]] = []
        commands: list[Command] = []
        now = time.time()
        for item in inbox:
            event = decode_event(item)
            try:
                step = interpreter.step(state, event, now)
            except Exception:  # a bug in the engine must not wedge the execution: abort it
                log.exception("interpreter failed on %s for %s", type(event).__name__, arn)
                step = interpreter.step(
                    state, StopRequested("States.Runtime", "Internal error in the interpreter"), now
                )
            events.extend(step.events)
            commands.extend(step.commands)
        finished: ExecutionRecord | None = None
        if was_running and state.status != "RUNNING":
            if record is None:
                record = self.store.get_execution(arn)
            finished = None if record is None else finished_record(record, state, now)
        notices: list[dict[str, Any]] = []
        parent = saved.get("parent")
        caller = saved.get("caller")
        if finished is not None and caller is not None:
            reported = child_finished(caller, finished)
            if reported is not None:
                notices.append(
                    {"kind": "NotifyParent", "parent": caller["arn"], "event": encode_event(reported)}
                )
        if finished is not None and parent is not None:
            # Reporting to the parent goes through the outbox too: it survives a crash after the commit.
            done = ChildExecutionFinished(
                parent["run_id"], state.status, state.output, state.error, state.cause
            )
            notices.append({"kind": "NotifyParent", "parent": parent["arn"], "event": encode_event(done)})
        return _Step(
            saved={**saved, "interpreter": encode_state(state)},
            events=events,
            commands=commands,
            record=finished,
            outbox=[outbox_entry(command) for command in commands] + notices,
            notices=notices,
        )

    def _carry_out(
        self, arn: str, commands: list[Command], notices: list[dict[str, Any]] | None = None
    ) -> list[Post]:
        """Carry out what a commit left (dispatch tasks, add and cancel timers, start children); the
        events for other executions (a parent, a stopped child) are returned for the caller to post
        with its settle."""
        children: list[StartChildExecution] = []
        posts: list[Post] = []
        for command in commands:
            if isinstance(command, RunTask) and is_activity(command):
                self.store.push_activity_task(command.resource, activity_task(arn, command))
            elif isinstance(command, RunTask) and is_nested(command):
                posts.append(self._start_nested(arn, command))
            elif isinstance(command, RunTask):
                with log_context(**task_context(command)):
                    log.debug("task dispatched")
                self.transport.dispatch(arn, command)
            elif isinstance(command, StartTimer):
                self.store.add_timer(arn, command.timer_id, command.due)
                self.transport.nudge_timer(arn, command.timer_id, command.due)
            elif isinstance(command, CancelTimer):
                self.store.cancel_timer(arn, command.timer_id)
            elif isinstance(command, StartChildExecution):
                children.append(command)
            elif isinstance(command, StopChildExecution):
                posts.append((command.execution_arn, encode_event(StopRequested(None, None))))
            elif isinstance(command, RecordMapRun):
                self.store.put_map_run(map_run_record(command))
            elif isinstance(command, ReadItems):
                posts.append((arn, encode_event(carry_out_read(command))))
            elif isinstance(command, WriteResults):
                posts.append((arn, encode_event(carry_out_write(command, self.store))))
            # CancelTask: a running task cannot be recalled; its late outcome is ignored.
        if children:
            self._start_children(arn, children)
        posts += [(notice["parent"], notice["event"]) for notice in notices or ()]
        return posts

    def interpreter(self, definition_text: str) -> Interpreter:
        return self._interpreters.get(definition_text)


@dataclass
class _Step:
    """What applying input events to an execution produced: its new saved state, history events,
    commands, finished record (None while running), outbox (the commands and notices), and the notices
    for its parent."""

    saved: dict[str, Any]
    events: list[dict[str, Any]]
    commands: list[Command]
    record: ExecutionRecord | None
    outbox: list[dict[str, Any]]
    notices: list[dict[str, Any]]


def _log_round(applied: int, step: _Step) -> None:
    """Log a round: the input events applied, the history events written (``event_id``: the last)."""
    last = step.events[-1].get("id") if step.events else None
    log.debug(
        "round: %d input events applied, %d history events",
        applied,
        len(step.events),
        extra={"event_id": last},
    )
    if step.record is not None:  # a DISTRIBUTED Map's children (thousands) at debug level
        level = logging.DEBUG if step.record.map_run_arn else logging.INFO
        log.log(level, "execution %s", step.record.status, extra={"event_id": last})


def _waiting_tasks(interpreter: Interpreter, state: ExecutionState) -> dict[int, str]:
    """The running tasks' resources by the id of their last history event: the ``previousEventId`` of
    the outcome events that do not name their resource (``LambdaFunctionSucceeded``...), for metrics."""
    found: dict[int, str] = {}
    for thread in state.threads.values():
        if thread.task_id is None or thread.done:
            continue
        task_state = interpreter.program(thread.program).states.get(thread.state_name)
        resource = getattr(task_state, "resource", None)
        if isinstance(resource, str):
            found[thread.hctx.last] = resource
    return found


def _only_posts(commands: list[Command]) -> bool:
    """Whether carrying ``commands`` out only posts events to other executions (no task, timer or child
    to start), so that the commit, the posts and the release can be one atomic step."""
    return all(isinstance(command, StopChildExecution) for command in commands)
