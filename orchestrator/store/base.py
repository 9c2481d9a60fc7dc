"""The store seam: where state machines, executions, their interpreter state and history live.

Two implementations share these protocols and one contract test suite: :mod:`.memory` (embedded mode,
and the coordinator's tests) and :mod:`.redis` (distributed mode). ``commit`` is the only way an
execution moves: it checks the version (a fencing token), writes the new interpreter state, appends the
history events, consumes the input events it applied and records the commands still to carry out
(the outbox), all at once.

:class:`Coordination` is the work-sharing part the distributed runtime adds: each execution has an
inbox of input events (a task finished, a timer fired, a stop was requested); posting one marks the
execution *ready*; a coordinator takes a ready execution, holds its lease while it steps the
interpreter, and carries out the outbox after the commit. Timers are kept by due time and claimed
atomically, so one coordinator fires each.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from orchestrator.store.activities import Activities
from orchestrator.store.aliases import Aliases
from orchestrator.store.records import ExecutionRecord, MapRunRecord, StateMachineRecord


class VersionConflict(Exception):
    """``commit`` was called with a version that is no longer current (another process moved first)."""


@dataclass(frozen=True)
class NewExecution:
    """An execution to create with its first step already taken: its record, interpreter state, the
    history events of that step and the commands it left to carry out (stored at version 1)."""

    record: ExecutionRecord
    state: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)
    outbox: list[dict[str, Any]] = field(default_factory=list)


Post = tuple[str, dict[str, Any]]
"""An input event for an execution: (execution ARN, event)."""


class Store(Activities, Aliases, Protocol):
    # state machines
    def put_state_machine(self, record: StateMachineRecord) -> None: ...
    def get_state_machine(self, arn: str) -> StateMachineRecord | None: ...
    def delete_state_machine(self, arn: str) -> None: ...
    def list_state_machines(self) -> list[StateMachineRecord]: ...

    # executions
    def create_execution(self, record: ExecutionRecord, state: dict[str, Any] | None) -> bool:
        """Store a new execution; False (and nothing written) when its ARN exists already."""
        ...

    def get_execution(self, arn: str) -> ExecutionRecord | None: ...
    def list_executions(self, state_machine_arn: str | None = None) -> list[ExecutionRecord]: ...
    def load_state(self, arn: str) -> tuple[dict[str, Any] | None, int]:
        """The interpreter state of an execution and its version."""
        ...

    def commit(
        self,
        arn: str,
        version: int,
        state: dict[str, Any] | None,
        events: Iterable[dict[str, Any]],
        record: ExecutionRecord | None = None,
        *,
        consumed: int = 0,
        outbox: list[dict[str, Any]] | None = None,
    ) -> int:
        """Atomically: check ``version``, store ``state``, append ``events``, update ``record``, drop the
        first ``consumed`` inbox events and, when ``outbox`` is given, replace the outbox with it.

        Returns the new version; raises :class:`VersionConflict` when ``version`` is stale.
        """
        ...

    # history
    def history(self, arn: str) -> list[dict[str, Any]]:
        """Every history event of an execution, oldest first."""
        ...

    def history_length(self, arn: str) -> int: ...

    # map runs (a DISTRIBUTED Map's; their children are executions with ``map_run_arn``)
    def put_map_run(self, record: MapRunRecord) -> None:
        """Create or replace a map run's record."""
        ...

    def get_map_run(self, arn: str) -> MapRunRecord | None: ...

    def list_map_runs(self, execution_arn: str) -> list[MapRunRecord]:
        """The map runs the execution started (any order)."""
        ...

    def update_map_run(self, arn: str, changes: dict[str, Any]) -> MapRunRecord | None:
        """Atomically set ``changes`` (record fields) on a RUNNING map run; the record as it is afterwards
        (a finished one unchanged), None when there is no such map run."""
        ...


@dataclass(frozen=True)
class Taken:
    """An execution as a coordinator finds it once it holds the lease."""

    outbox: list[dict[str, Any]]
    inbox: list[dict[str, Any]]
    state: dict[str, Any] | None
    version: int
    size: int = 0  # the stored state's size in bytes (what a round costs to read and write back)


class Coordination(Protocol):
    """Inboxes, the ready queue, leases, timers and outboxes (see the module docstring)."""

    def post(self, arn: str, event: dict[str, Any]) -> None:
        """Append an input event to the execution's inbox and mark the execution ready, unless it is
        ready already (its inbox held events) or leased (its holder's ``release`` marks it ready)."""
        ...

    def start_executions(self, items: list[NewExecution], owner: str, ttl: float) -> list[str]:
        """Create each execution at version 1 with its first step's events and outbox, leased to ``owner``
        for ``ttl`` seconds (it carries the outboxes out, then ``settle_all``), skipping those that exist
        already (so a re-run is harmless); returns the ARNs created. An execution with an outbox is
        active: should its creator die first, the orphan scan finds it once the lease expires."""
        ...

    def inbox(self, arn: str) -> list[dict[str, Any]]: ...

    def outbox(self, arn: str) -> list[dict[str, Any]]: ...

    def clear_outbox(self, arn: str, version: int) -> None:
        """Empty the outbox once its commands are carried out (only if ``version`` is still current)."""
        ...

    def settle_all(
        self, owner: str, versions: Sequence[tuple[str, int | None]], posts: Sequence[Post] = ()
    ) -> None:
        """Make the ``posts``, then settle each (ARN, version) as ``settle`` does, in one round trip."""
        ...

    def next_ready(self, timeout: float) -> str | None:
        """An execution marked ready, waiting up to ``timeout`` seconds; None when there is none."""
        ...

    def acquire(self, arn: str, owner: str, ttl: float) -> bool:
        """Take (or renew) the execution's lease for ``ttl`` seconds; False if another owner holds it."""
        ...

    def release(self, arn: str, owner: str) -> None:
        """Give the lease up; an execution with events still in its inbox is marked ready again."""
        ...

    def take(self, arn: str, owner: str, ttl: float) -> Taken | None:
        """Acquire the lease and read what advancing the execution needs, in one round trip:
        None when another owner holds the lease."""
        ...

    def settle(
        self, arn: str, owner: str, version: int | None, posts: Sequence[Post] = (), *, release: bool = True
    ) -> None:
        """Make the ``posts`` (what the round's outbox sends other executions), clear the outbox written
        at ``version`` (None: nothing to clear) and, with ``release``, release the lease, in that order."""
        ...

    def commit_settle(
        self,
        arn: str,
        version: int,
        state: dict[str, Any] | None,
        events: Iterable[dict[str, Any]],
        record: ExecutionRecord | None,
        *,
        consumed: int,
        owner: str,
        posts: Sequence[Post] = (),
    ) -> int:
        """``commit`` (with an empty outbox), the ``posts`` and the release of ``owner``'s lease, at once:
        for a round that leaves nothing else to carry out. Raises :class:`VersionConflict` (nothing
        written, the lease kept) when ``version`` is stale."""
        ...

    def claim_orphan_scan(self, owner: str, seconds: float) -> bool:
        """Whether ``owner`` should scan for orphans now: True for one caller per ``seconds`` among all
        the processes sharing the store."""
        ...

    def requeue_orphans(self) -> int:
        """Mark ready every execution with inbox events or an outbox but no lease (its coordinator
        died); returns how many."""
        ...

    def add_timer(self, arn: str, timer_id: str, due: float) -> None: ...

    def cancel_timer(self, arn: str, timer_id: str) -> None: ...

    def claim_timer(self, arn: str, timer_id: str) -> bool:
        """Remove one timer if it is still pending; True for the one caller that removed it."""
        ...

    def claim_due_timers(self, now: float, limit: int = 100) -> list[tuple[str, str]]:
        """Remove and return up to ``limit`` timers due at ``now`` as (execution ARN, timer id)."""
        ...

    def next_timer_due(self) -> float | None: ...
