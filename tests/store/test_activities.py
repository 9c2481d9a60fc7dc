"""The activities contract (records and task queues), run against every store."""

from __future__ import annotations

import threading
from typing import Any

from orchestrator.store.activities import ActivityRecord

ARN = "arn:aws:states:us-east-1:123456789012:activity:review"


def test_activity_records_round_trip_and_are_deleted(store: Any) -> None:
    record = ActivityRecord(ARN, "review", tags={"team": "ops"})
    store.put_activity(record)
    store.put_activity(ActivityRecord(ARN.replace("review", "other"), "other"))

    assert store.get_activity(ARN) == record
    assert sorted(r.name for r in store.list_activities()) == ["other", "review"]
    store.delete_activity(ARN)
    assert store.get_activity(ARN) is None


def test_tasks_are_taken_oldest_first_and_only_once(store: Any) -> None:
    store.push_activity_task(ARN, {"taskToken": "a"})
    store.push_activity_task(ARN, {"taskToken": "b"})

    assert store.pop_activity_task(ARN, 0.1) == {"taskToken": "a"}
    assert store.pop_activity_task(ARN, 0.1) == {"taskToken": "b"}
    assert store.pop_activity_task(ARN, 0.1) is None
    assert store.pop_activity_task(ARN.replace("review", "other"), 0.0) is None


def test_a_waiting_worker_gets_a_task_pushed_later(store: Any) -> None:
    taken: list[Any] = []
    worker = threading.Thread(target=lambda: taken.append(store.pop_activity_task(ARN, 5.0)))
    worker.start()
    threading.Event().wait(0.1)

    store.push_activity_task(ARN, {"taskToken": "late"})
    worker.join(5)

    assert taken == [{"taskToken": "late"}]
