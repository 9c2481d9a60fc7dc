"""In-memory store for the embedded runtime (and the coordinator's tests): dicts behind one lock."""

from __future__ import annotations

import dataclasses
import heapq
import json
import threading
import time
from collections import deque
from collections.abc import Iterable, Sequence
from typing import Any

from orchestrator.store.activities import MemoryActivities
from orchestrator.store.aliases import MemoryAliases
from orchestrator.store.base import NewExecution, Post, Taken, VersionConflict
from orchestrator.store.records import ExecutionRecord, MapRunRecord, StateMachineRecord


class MemoryStore(MemoryActivities, MemoryAliases):
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._machines: dict[str, StateMachineRecord] = {}
        self._executions: dict[str, ExecutionRecord] = {}
        self._states: dict[str, tuple[dict[str, Any] | None, int]] = {}
        self._history: dict[str, list[dict[str, Any]]] = {}
        self._inbox: dict[str, list[dict[str, Any]]] = {}
        self._outbox: dict[str, list[dict[str, Any]]] = {}
        self._ready: deque[str] = deque()
        self._orphan_scan_due = 0.0
        self._ready_signal = threading.Condition(self._lock)
        self._leases: dict[str, tuple[str, float]] = {}
        self._timers: dict[tuple[str, str], float] = {}
        self._timer_heap: list[tuple[float, str, str]] = []
        self._map_runs: dict[str, MapRunRecord] = {}

    def put_state_machine(self, record: StateMachineRecord) -> None:
        with self._lock:
            self._machines[record.arn] = record

    def get_state_machine(self, arn: str) -> StateMachineRecord | None:
        return self._machines.get(arn)

    def delete_state_machine(self, arn: str) -> None:
        with self._lock:
            self._machines.pop(arn, None)

    def list_state_machines(self) -> list[StateMachineRecord]:
        with self._lock:
            return list(self._machines.values())

    def create_execution(self, record: ExecutionRecord, state: dict[str, Any] | None) -> bool:
        with self._lock:
            if record.arn in self._executions:
                return False
            self._executions[record.arn] = record
            self._states[record.arn] = (state, 0)
            self._history[record.arn] = []
            return True

    def get_execution(self, arn: str) -> ExecutionRecord | None:
        return self._executions.get(arn)

    def list_executions(self, state_machine_arn: str | None = None) -> list[ExecutionRecord]:
        with self._lock:
            return [
                e
                for e in self._executions.values()
                if state_machine_arn is None or e.state_machine_arn == state_machine_arn
            ]

    def load_state(self, arn: str) -> tuple[dict[str, Any] | None, int]:
        return self._states.get(arn, (None, 0))

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
        with self._lock:
            _, current = self._states.get(arn, (None, 0))
            if current != version:
                raise VersionConflict(f"{arn}: version {version} is stale (now {current})")
            self._states[arn] = (state, version + 1)
            self._history.setdefault(arn, []).extend(events)
            if record is not None:
                self._executions[arn] = record
            if consumed:
                del self._inbox.setdefault(arn, [])[:consumed]
            if outbox is not None:
                self._outbox[arn] = list(outbox)
            return version + 1

    # ---- coordination -------------------------------------------------------------------------

    def post(self, arn: str, event: dict[str, Any]) -> None:
        with self._lock:
            inbox = self._inbox.setdefault(arn, [])
            inbox.append(event)
            # As Redis's POST: the lease holder's release marks it ready if its inbox is not empty.
            if len(inbox) == 1 and not self._leased(arn):
                self._mark_ready(arn)

    def start_executions(self, items: list[NewExecution], owner: str, ttl: float) -> list[str]:
        created: list[str] = []
        with self._lock:
            for item in items:
                if self.create_execution(item.record, None):
                    self.acquire(item.record.arn, owner, ttl)
                    self.commit(item.record.arn, 0, item.state, item.events, item.record, outbox=item.outbox)
                    created.append(item.record.arn)
        return created

    def inbox(self, arn: str) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._inbox.get(arn, ()))

    def outbox(self, arn: str) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._outbox.get(arn, ()))

    def clear_outbox(self, arn: str, version: int) -> None:
        with self._lock:
            if self._states.get(arn, (None, 0))[1] == version:
                self._outbox.pop(arn, None)

    def next_ready(self, timeout: float) -> str | None:
        deadline = time.monotonic() + timeout
        with self._ready_signal:
            while not self._ready:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._ready_signal.wait(remaining)
            return self._ready.popleft()

    def acquire(self, arn: str, owner: str, ttl: float) -> bool:
        with self._lock:
            holder = self._leases.get(arn)
            if holder is not None and holder[0] != owner and holder[1] > time.monotonic():
                return False
            self._leases[arn] = (owner, time.monotonic() + ttl)
            return True

    def release(self, arn: str, owner: str) -> None:
        with self._lock:
            holder = self._leases.get(arn)
            if holder is not None and holder[0] == owner:
                del self._leases[arn]
            if self._inbox.get(arn):
                self._mark_ready(arn)

    def take(self, arn: str, owner: str, ttl: float) -> Taken | None:
        with self._lock:
            if not self.acquire(arn, owner, ttl):
                return None
            state, version = self.load_state(arn)
            size = 0 if state is None else len(json.dumps(state))
            return Taken(self.outbox(arn), self.inbox(arn), state, version, size)

    def settle(
        self, arn: str, owner: str, version: int | None, posts: Sequence[Post] = (), *, release: bool = True
    ) -> None:
        with self._lock:
            for target, event in posts:
                self.post(target, event)
            if version is not None:
                self.clear_outbox(arn, version)
            if release:
                self.release(arn, owner)

    def settle_all(
        self, owner: str, versions: Sequence[tuple[str, int | None]], posts: Sequence[Post] = ()
    ) -> None:
        with self._lock:
            for target, event in posts:
                self.post(target, event)
            for arn, version in versions:
                self.settle(arn, owner, version)

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
        with self._lock:
            new_version = self.commit(arn, version, state, events, record, consumed=consumed, outbox=[])
            self.settle(arn, owner, None, posts)
            return new_version

    def claim_orphan_scan(self, owner: str, seconds: float) -> bool:
        with self._lock:
            now = time.monotonic()
            if now < self._orphan_scan_due:
                return False
            self._orphan_scan_due = now + seconds
            return True

    def requeue_orphans(self) -> int:
        with self._lock:
            now = time.monotonic()
            queued = set(self._ready)  # in one process, nothing pops an entry and dies before the lease
            orphans = [
                arn
                for arn in set(self._inbox) | set(self._outbox)
                if (self._inbox.get(arn) or self._outbox.get(arn))
                and arn not in queued
                and not (arn in self._leases and self._leases[arn][1] > now)
            ]
            for arn in orphans:
                self._mark_ready(arn)
            return len(orphans)

    def add_timer(self, arn: str, timer_id: str, due: float) -> None:
        with self._lock:
            self._timers[(arn, timer_id)] = due
            heapq.heappush(self._timer_heap, (due, arn, timer_id))

    def cancel_timer(self, arn: str, timer_id: str) -> None:
        with self._lock:
            self._timers.pop((arn, timer_id), None)

    def claim_timer(self, arn: str, timer_id: str) -> bool:
        with self._lock:
            return self._timers.pop((arn, timer_id), None) is not None

    def claim_due_timers(self, now: float, limit: int = 100) -> list[tuple[str, str]]:
        claimed: list[tuple[str, str]] = []
        with self._lock:
            while self._timer_heap and len(claimed) < limit and self._timer_heap[0][0] <= now:
                due, arn, timer_id = heapq.heappop(self._timer_heap)
                if self._timers.get((arn, timer_id)) == due:
                    del self._timers[(arn, timer_id)]
                    claimed.append((arn, timer_id))
        return claimed

    def next_timer_due(self) -> float | None:
        with self._lock:
            while self._timer_heap:
                due, arn, timer_id = self._timer_heap[0]
                if self._timers.get((arn, timer_id)) == due:
                    return due
                heapq.heappop(self._timer_heap)
            return None

    def _leased(self, arn: str) -> bool:
        holder = self._leases.get(arn)
        return holder is not None and holder[1] > time.monotonic()

    def _mark_ready(self, arn: str) -> None:
        self._ready.append(arn)
        self._ready_signal.notify()

    # ---- map runs ---------------------------------------------------------------------------------

    def put_map_run(self, record: MapRunRecord) -> None:
        with self._lock:
            self._map_runs[record.arn] = record

    def get_map_run(self, arn: str) -> MapRunRecord | None:
        return self._map_runs.get(arn)

    def list_map_runs(self, execution_arn: str) -> list[MapRunRecord]:
        with self._lock:
            return [run for run in self._map_runs.values() if run.execution_arn == execution_arn]

    def update_map_run(self, arn: str, changes: dict[str, Any]) -> MapRunRecord | None:
        with self._lock:
            record = self._map_runs.get(arn)
            if record is not None and record.status == "RUNNING":
                record = self._map_runs[arn] = dataclasses.replace(record, **changes)
            return record

    def history(self, arn: str) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._history.get(arn, ()))

    def history_length(self, arn: str) -> int:
        return len(self._history.get(arn, ()))
