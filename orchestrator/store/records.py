"""The records a store keeps: state machines, executions and their history events (AWS's shapes)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class StateMachineRecord:
    """A state machine as ``DescribeStateMachine`` shows it."""

    arn: str
    name: str
    definition: str
    role_arn: str
    type: str = "STANDARD"
    status: str = "ACTIVE"
    creation_date: datetime = field(default_factory=lambda: datetime.now().astimezone())
    description: str = ""
    revision_id: str | None = None
    logging_configuration: dict[str, Any] = field(
        default_factory=lambda: {"level": "OFF", "includeExecutionData": False}
    )
    tracing_configuration: dict[str, Any] = field(default_factory=lambda: {"enabled": False})
    tags: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ExecutionRecord:
    """An execution as ``DescribeExecution`` shows it. ``input``/``output`` are JSON texts."""

    arn: str
    state_machine_arn: str
    name: str
    input: str
    status: str = "RUNNING"
    start_date: datetime = field(default_factory=lambda: datetime.now().astimezone())
    stop_date: datetime | None = None
    output: str | None = None
    error: str | None = None
    cause: str | None = None
    role_arn: str = ""
    state_machine_type: str = "STANDARD"
    redrive_count: int = 0
    trace_header: str | None = None
    redrive_date: datetime | None = None  # when it was last redriven (RedriveExecution)
    map_run_arn: str | None = None  # a DISTRIBUTED Map's child execution: its map run
    version_arn: str | None = None  # started through a version (or an alias routing to it)
    alias_arn: str | None = None  # started through an alias

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


TERMINAL_STATUSES = frozenset({"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"})


@dataclass
class MapRunRecord:
    """A DISTRIBUTED Map's map run as ``DescribeMapRun`` shows it (its counts come from its child
    executions): the runtime writes it when the map run starts, is updated and ends.
    ``state_machine_arn`` is the children's (``<machine>/<label>``), ``item_count`` the items before
    batching, ``execution_count`` the child executions it runs in all."""

    arn: str
    execution_arn: str
    state_machine_arn: str
    start_date: datetime
    status: str = "RUNNING"  # RUNNING | SUCCEEDED | FAILED | ABORTED
    stop_date: datetime | None = None
    max_concurrency: int = 0
    tolerated_failure_count: int | None = None
    tolerated_failure_percentage: float | None = None
    item_count: int = 0
    execution_count: int = 0
    batched: bool = False
    redrive_count: int = 0
    redrive_date: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
