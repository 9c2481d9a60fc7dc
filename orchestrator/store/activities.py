"""Activities in the store: their records (``CreateActivity``...) and the queue of tasks waiting for a
worker (``GetActivityTask``).

Both stores get these methods from a mixin here (:class:`MemoryActivities`, :class:`RedisActivities`),
and one contract suite runs against both. A queued task is a JSON object (``taskToken``, ``input``,
``executionArn``, ``taskId``); whether its task still waits is the execution's business, checked when a
worker takes it.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Protocol, cast


@dataclass
class ActivityRecord:
    """An activity as ``DescribeActivity`` shows it."""

    arn: str
    name: str
    creation_date: datetime = field(default_factory=lambda: datetime.now().astimezone())
    tags: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        fields = asdict(self)
        fields["creation_date"] = self.creation_date.isoformat()
        return json.dumps(fields)

    @classmethod
    def from_json(cls, text: str) -> ActivityRecord:
        fields = json.loads(text)
        fields["creation_date"] = datetime.fromisoformat(fields["creation_date"])
        return cls(**fields)


class Activities(Protocol):
    def put_activity(self, record: ActivityRecord) -> None: ...
    def get_activity(self, arn: str) -> ActivityRecord | None: ...
    def list_activities(self) -> list[ActivityRecord]: ...
    def delete_activity(self, arn: str) -> None: ...

    def push_activity_task(self, activity_arn: str, task: dict[str, Any]) -> None:
        """Queue a task for the activity's workers (first in, first out)."""
        ...

    def pop_activity_task(self, activity_arn: str, timeout: float) -> dict[str, Any] | None:
        """The oldest queued task, waiting up to ``timeout`` seconds for one; None if none came."""
        ...


class MemoryActivities:
    """Activities of :class:`orchestrator.store.memory.MemoryStore`."""

    @property
    def _activity_lock(self) -> threading.Condition:
        return cast(threading.Condition, self.__dict__.setdefault("_activities_lock", threading.Condition()))

    def _activity_state(self) -> tuple[dict[str, ActivityRecord], dict[str, deque[dict[str, Any]]]]:
        state = self.__dict__.setdefault("_activities_state", ({}, {}))
        return cast("tuple[dict[str, ActivityRecord], dict[str, deque[dict[str, Any]]]]", state)

    def put_activity(self, record: ActivityRecord) -> None:
        with self._activity_lock:
            self._activity_state()[0][record.arn] = record

    def get_activity(self, arn: str) -> ActivityRecord | None:
        with self._activity_lock:
            return self._activity_state()[0].get(arn)

    def list_activities(self) -> list[ActivityRecord]:
        with self._activity_lock:
            return list(self._activity_state()[0].values())

    def delete_activity(self, arn: str) -> None:
        with self._activity_lock:
            self._activity_state()[0].pop(arn, None)

    def push_activity_task(self, activity_arn: str, task: dict[str, Any]) -> None:
        with self._activity_lock:
            self._activity_state()[1].setdefault(activity_arn, deque()).append(task)
            self._activity_lock.notify_all()

    def pop_activity_task(self, activity_arn: str, timeout: float) -> dict[str, Any] | None:
        with self._activity_lock:
            queue = self._activity_state()[1].setdefault(activity_arn, deque())
            if not queue:
                self._activity_lock.wait_for(lambda: bool(queue), timeout=max(timeout, 0.0))
            return queue.popleft() if queue else None


class RedisActivities:
    """Activities of :class:`orchestrator.store.redis.RedisStore` (``sfn:activities`` hash, one task list
    per activity, popped with BLPOP)."""

    _redis: Any
    keys: Any

    def put_activity(self, record: ActivityRecord) -> None:
        self._redis.hset(self.keys.activities, record.arn, record.to_json())

    def get_activity(self, arn: str) -> ActivityRecord | None:
        found = self._redis.hget(self.keys.activities, arn)
        return None if found is None else ActivityRecord.from_json(found)

    def list_activities(self) -> list[ActivityRecord]:
        return [ActivityRecord.from_json(text) for text in self._redis.hvals(self.keys.activities)]

    def delete_activity(self, arn: str) -> None:
        self._redis.hdel(self.keys.activities, arn)

    def push_activity_task(self, activity_arn: str, task: dict[str, Any]) -> None:
        self._redis.rpush(self.keys.activity_tasks(activity_arn), json.dumps(task))

    def pop_activity_task(self, activity_arn: str, timeout: float) -> dict[str, Any] | None:
        key = self.keys.activity_tasks(activity_arn)
        if timeout <= 0:
            found = self._redis.lpop(key)
        else:
            popped = self._redis.blpop([key], timeout=timeout)
            found = None if popped is None else popped[1]
        return None if found is None else cast("dict[str, Any]", json.loads(found))
