"""Map-run records in every store (``conftest.STORE_FACTORIES``): put and get, listing by execution, and
the atomic settings update that leaves a finished map run alone."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from orchestrator.store.base import Store
from orchestrator.store.records import MapRunRecord

PREFIX = "arn:aws:states:us-east-1:123456789012"
EXECUTION = f"{PREFIX}:execution:m:e1"
STARTED = datetime(2024, 1, 1, tzinfo=UTC)


def map_run(label: str = "each", execution: str = EXECUTION, **changes: object) -> MapRunRecord:
    record = MapRunRecord(
        arn=f"{PREFIX}:mapRun:m/{label}:0b5c8a44-6a3c-4c2b-9a33-000000000000",
        execution_arn=execution,
        state_machine_arn=f"{PREFIX}:stateMachine:m/{label}",
        start_date=STARTED,
        max_concurrency=2,
        tolerated_failure_percentage=12.5,
        item_count=10,
        execution_count=5,
        batched=True,
    )
    return dataclasses.replace(record, **changes)  # type: ignore[arg-type]


def test_given_a_map_run_put_expect_it_read_back_whole(store: Store) -> None:
    record = map_run()

    store.put_map_run(record)

    assert store.get_map_run(record.arn) == record
    assert store.get_map_run(record.arn + "x") is None


def test_given_a_map_run_put_again_expect_the_latest_record(store: Store) -> None:
    store.put_map_run(map_run())
    ended = map_run(status="SUCCEEDED", stop_date=datetime(2024, 1, 1, 0, 5, tzinfo=UTC))

    store.put_map_run(ended)

    assert store.get_map_run(ended.arn) == ended
    assert store.list_map_runs(EXECUTION) == [ended]


def test_given_map_runs_of_two_executions_expect_each_listed_with_its_own(store: Store) -> None:
    first, second = map_run("a"), map_run("b")
    other = map_run("c", execution=f"{PREFIX}:execution:m:e2")
    for record in (first, second, other):
        store.put_map_run(record)

    listed = store.list_map_runs(EXECUTION)

    assert sorted(r.arn for r in listed) == sorted([first.arn, second.arn])
    assert store.list_map_runs(f"{PREFIX}:execution:m:none") == []


def test_given_a_running_map_run_updated_expect_only_the_changes_applied(store: Store) -> None:
    store.put_map_run(map_run())

    updated = store.update_map_run(map_run().arn, {"max_concurrency": 7, "tolerated_failure_count": 3})

    expected = map_run(max_concurrency=7, tolerated_failure_count=3)
    assert updated == expected
    assert store.get_map_run(expected.arn) == expected


def test_given_a_finished_map_run_updated_expect_it_unchanged(store: Store) -> None:
    finished = map_run(status="FAILED", stop_date=STARTED)
    store.put_map_run(finished)

    assert store.update_map_run(finished.arn, {"max_concurrency": 7}) == finished
    assert store.get_map_run(finished.arn) == finished
    assert store.update_map_run(finished.arn + "x", {"max_concurrency": 7}) is None
