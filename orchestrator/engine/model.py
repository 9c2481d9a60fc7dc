"""The interpreter's inputs and outputs: execution state, input events and commands.

Everything here is plain data so that a store can persist it between steps.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from orchestrator.engine.history import HistoryContext


@dataclass(slots=True)
class Join:
    """What a Parallel or Map state waits for: its children, their results and its failure tally."""

    kind: str  # "parallel" | "map"
    results: list[Any]
    remaining: int
    children: list[int] = field(default_factory=list)
    pending: list[int] = field(default_factory=list)  # Map: item indices not started yet
    items: list[Any] = field(default_factory=list)  # Map: the items
    slots: list[HistoryContext] = field(default_factory=list)  # Map: one history context per concurrency slot
    free_slots: list[int] = field(default_factory=list)
    effective_input: Any = None
    failures: int = 0
    tolerated_count: int | None = None
    tolerated_percentage: float | None = None
    failed: bool = False
    batched: bool = False  # Map: the children's inputs are ItemBatcher batches
    map_run_arn: str | None = None  # DISTRIBUTED Map: its map run
    runs: dict[str, list[Any]] = field(
        default_factory=dict
    )  # DISTRIBUTED Map: child run id -> [index, slot] (its ARN: states.map.child_execution)
    max_concurrency: int = 0  # Map: iterations allowed to run at once (0: no limit); UpdateMapRun changes it
    item_count: int = 0  # DISTRIBUTED Map: the items before ItemBatcher grouped them (DescribeMapRun's total)
    map_run_started: float = 0.0  # DISTRIBUTED Map: when its map run started
    succeeded: list[int] = field(default_factory=list)  # the children (indices) that succeeded
    resume: list[list[Any]] = field(
        default_factory=list
    )  # a redrive: [index, state name, input, variables, variables size] of children to resume
    io_id: str | None = None  # DISTRIBUTED Map: the ItemReader read or ResultWriter write it waits for
    result_writer: dict[str, Any] | None = None  # DISTRIBUTED Map: ResultWriter's evaluated parameters


@dataclass(slots=True)
class Thread:
    """A thread of control: the execution itself, a Parallel branch or a Map iteration."""

    id: int
    parent: int | None
    program: tuple[Any, ...]
    state_name: str
    input: Any
    hctx: HistoryContext
    entered_event: int = 0
    entered_from: int = 0  # the event the state's Entered event chained on
    entered_time: float = 0.0
    retry_counts: list[int] = field(default_factory=list)
    attempt: int = 0
    task_id: str | None = None
    timer_id: str | None = None
    heartbeat_timer_id: str | None = None  # Task: the HeartbeatSeconds timer, restarted by each heartbeat
    heartbeat_seconds: float | None = None
    join: Join | None = None
    index: int | None = None  # Map iteration: item index
    slot: int | None = None  # Map iteration: concurrency slot
    done: bool = False
    submitted: bool = False  # a task that waits for its token: its resource's result (TaskSubmitted) came
    variables: dict[str, Any] | None = None  # this thread's own scope of workflow variables
    variables_size: int = 0  # bytes of JSON in ``variables``
    redrive: dict[str, Any] | None = None  # a failed Parallel/Map: its children's ends (engine/redrive.py)


@dataclass(slots=True)
class ExecutionState:
    """The whole interpreter state of one execution."""

    execution: dict[
        str, Any
    ]  # the context object's Execution (Id, Input, Name, RoleArn, StartTime, RedriveCount)
    state_machine: dict[str, Any]  # the context object's StateMachine (Id, Name)
    status: str = "RUNNING"
    output: Any = None
    error: str | None = None
    cause: str | None = None
    threads: dict[int, Thread] = field(default_factory=dict)
    next_thread: int = 0
    next_event_id: int = 1
    next_token: int = 0
    tasks: dict[str, int] = field(default_factory=dict)  # task id -> thread id
    timers: dict[str, tuple[int, str]] = field(default_factory=dict)  # timer id -> (thread id, purpose)
    children: dict[str, int] = field(default_factory=dict)  # child execution run id -> Map thread id
    secret: str = ""  # the key task tokens are signed with (never in history or outputs)


# ---- input events --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Start:
    pass


@dataclass(frozen=True, slots=True)
class TaskSucceeded:
    task_id: str
    output: Any


@dataclass(frozen=True, slots=True)
class TaskFailed:
    task_id: str
    error: str | None
    cause: str | None


@dataclass(frozen=True, slots=True)
class TaskHeartbeat:
    """The running task is alive (``HeartbeatSeconds`` starts again)."""

    task_id: str


@dataclass(frozen=True, slots=True)
class TimerFired:
    timer_id: str


@dataclass(frozen=True, slots=True)
class ChildExecutionFinished:
    """A DISTRIBUTED Map's child execution ended (``status`` as DescribeExecution says it)."""

    run_id: str
    status: str
    output: Any = None
    error: str | None = None
    cause: str | None = None


@dataclass(frozen=True, slots=True)
class CallbackSucceeded:
    """``SendTaskSuccess`` for a task waiting on its token (``.waitForTaskToken``, an activity)."""

    task_id: str
    output: Any


@dataclass(frozen=True, slots=True)
class CallbackFailed:
    """``SendTaskFailure`` for a task waiting on its token."""

    task_id: str
    error: str | None = None
    cause: str | None = None


@dataclass(frozen=True, slots=True)
class ActivityStarted:
    """An activity worker took the task (``GetActivityTask``)."""

    task_id: str
    worker_name: str | None = None


@dataclass(frozen=True, slots=True)
class StopRequested:
    error: str | None = None
    cause: str | None = None


@dataclass(frozen=True, slots=True)
class Redrive:
    """``RedriveExecution``: a FAILED, ABORTED or TIMED_OUT execution runs again from the state it ended
    in; ``count`` is the redrive count it makes (applied once: ignored unless it is the next one)."""

    count: int


@dataclass(frozen=True, slots=True)
class MapRunUpdated:
    """``UpdateMapRun``: new settings for a running map run (None: unchanged). ``MaxConcurrency`` applies
    to the iterations not started yet, the tolerances to the next failure check."""

    map_run_arn: str
    max_concurrency: int | None = None
    tolerated_failure_count: int | None = None
    tolerated_failure_percentage: float | None = None


@dataclass(frozen=True, slots=True)
class ItemsRead:
    """A DISTRIBUTED Map's ``ItemReader`` read its items (``ReadItems`` carried out)."""

    read_id: str
    items: list[Any]


@dataclass(frozen=True, slots=True)
class ItemsReadFailed:
    """A DISTRIBUTED Map's ``ItemReader`` failed (``States.ItemReaderFailed`` and AWS's cause)."""

    read_id: str
    error: str
    cause: str


@dataclass(frozen=True, slots=True)
class ResultsWritten:
    """A DISTRIBUTED Map's ``ResultWriter`` wrote its results; ``details`` is ``ResultWriterDetails``."""

    write_id: str
    details: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ResultsWriteFailed:
    """A DISTRIBUTED Map's ``ResultWriter`` failed (``States.ResultWriterFailed``)."""

    write_id: str
    error: str
    cause: str


Event = (
    Start
    | TaskSucceeded
    | TaskFailed
    | TaskHeartbeat
    | TimerFired
    | ChildExecutionFinished
    | StopRequested
    | CallbackSucceeded
    | CallbackFailed
    | ActivityStarted
    | MapRunUpdated
    | Redrive
    | ItemsRead
    | ItemsReadFailed
    | ResultsWritten
    | ResultsWriteFailed
)


# ---- commands -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunTask:
    """Run a Task state's resource with ``parameters``; answer with TaskSucceeded/TaskFailed."""

    task_id: str
    resource: str
    parameters: Any
    context: dict[str, Any]
    state_name: str
    timeout_seconds: float | None = None
    heartbeat_seconds: float | None = None
    credentials: Any = None
    task_token: str | None = None  # ``$$.Task.Token`` (callbacks, activities, .sync)


@dataclass(frozen=True, slots=True)
class StartTimer:
    """Deliver TimerFired(timer_id) at ``due`` (epoch seconds, on the execution's clock)."""

    timer_id: str
    due: float


@dataclass(frozen=True, slots=True)
class CancelTimer:
    timer_id: str


@dataclass(frozen=True, slots=True)
class CancelTask:
    task_id: str


@dataclass(frozen=True, slots=True)
class StartChildExecution:
    """Start a DISTRIBUTED Map iteration as an execution of its own; answer with ChildExecutionFinished.

    ``definition`` is the ItemProcessor as a state machine definition; ``state_machine`` is the context
    object's StateMachine of the child (``<machine>/<label>``).
    """

    run_id: str
    execution_arn: str
    name: str
    map_run_arn: str
    state_machine: dict[str, Any]
    definition: dict[str, Any]
    input: Any


@dataclass(frozen=True, slots=True)
class StopChildExecution:
    run_id: str
    execution_arn: str


@dataclass(frozen=True, slots=True)
class RecordMapRun:
    """Keep a map run's record (``DescribeMapRun``, ``ListMapRuns``) as it stands now: written when the
    map run starts, is updated and ends. Dates are epoch seconds; ``item_count`` counts the items before
    batching, ``execution_count`` the child executions it runs (one per item or batch)."""

    map_run_arn: str
    execution_arn: str
    state_machine_arn: str
    status: str  # RUNNING | SUCCEEDED | FAILED | ABORTED
    start_date: float
    stop_date: float | None
    max_concurrency: int
    tolerated_failure_count: int | None
    tolerated_failure_percentage: float | None
    item_count: int
    execution_count: int
    batched: bool = False


@dataclass(frozen=True, slots=True)
class ReadItems:
    """Read a DISTRIBUTED Map's items with its ``ItemReader``: ``resource`` (``s3:getObject`` |
    ``s3:listObjectsV2``), the evaluated ``parameters`` (Bucket, Key, Prefix, ...), its ``ReaderConfig``
    and ``max_items`` (0: all). Answer with ItemsRead / ItemsReadFailed."""

    read_id: str
    resource: str
    parameters: dict[str, Any]
    reader_config: dict[str, Any]
    max_items: int = 0


@dataclass(frozen=True, slots=True)
class WriteResults:
    """Export a DISTRIBUTED Map's child executions (those of ``map_run_arn``, state machine
    ``state_machine_arn``) with its ``ResultWriter``: the evaluated ``parameters`` (Bucket, Prefix) and
    ``writer_config``. Answer with ResultsWritten / ResultsWriteFailed."""

    write_id: str
    map_run_arn: str
    state_machine_arn: str
    resource: str
    parameters: dict[str, Any]
    writer_config: dict[str, Any]


Command = (
    RunTask
    | StartTimer
    | CancelTimer
    | CancelTask
    | StartChildExecution
    | StopChildExecution
    | RecordMapRun
    | ReadItems
    | WriteResults
)


@dataclass(slots=True)
class Step:
    """What one call of the interpreter produced."""

    events: list[dict[str, Any]]
    commands: list[Command]

    @property
    def finished(self) -> bool:
        return any(e["type"] in TERMINAL_EVENTS for e in self.events)


TERMINAL_EVENTS = frozenset(
    {"ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut"}
)


def child_execution(map_run_arn: str, run_id: str) -> tuple[str, str]:
    """The name and ARN of a DISTRIBUTED Map's child execution ``run_id``
    (``...:execution:<machine>/<label>:<uuid>``, the uuid derived from the map run and the run id)."""
    prefix, _, rest = map_run_arn.partition(":mapRun:")
    machine_and_label = rest.rsplit(":", 1)[0]
    name = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{map_run_arn}/{run_id}"))
    return name, f"{prefix}:execution:{machine_and_label}:{name}"
