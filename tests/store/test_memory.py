"""The Store contract, run against every implementation in ``conftest.STORE_FACTORIES``: state machines,
execution creation (idempotent by ARN), versioned commits (a stale version raises VersionConflict and
writes nothing) and history order."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest

from orchestrator.store.base import Store, VersionConflict
from orchestrator.store.records import ExecutionRecord, StateMachineRecord

MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:m"
OTHER_MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:other"
CREATED = datetime(2024, 1, 1, tzinfo=UTC)


def machine(arn: str = MACHINE_ARN) -> StateMachineRecord:
    return StateMachineRecord(
        arn=arn,
        name=arn.rsplit(":", 1)[-1],
        definition="{}",
        role_arn="arn:aws:iam::1:role/r",
        creation_date=CREATED,
    )


def execution(name: str = "e1", machine_arn: str = MACHINE_ARN) -> ExecutionRecord:
    prefix = machine_arn.replace(":stateMachine:", ":execution:")
    return ExecutionRecord(
        arn=f"{prefix}:{name}", state_machine_arn=machine_arn, name=name, input="{}", start_date=CREATED
    )


def event(event_id: int, event_type: str = "PassStateEntered") -> dict[str, Any]:
    return {"timestamp": float(event_id), "type": event_type, "id": event_id, "previousEventId": event_id - 1}


# ---- state machines -----------------------------------------------------------------------------


def test_a_state_machine_is_stored_listed_and_deleted(store: Store) -> None:
    store.put_state_machine(machine())
    store.put_state_machine(machine(OTHER_MACHINE_ARN))

    listed = sorted(m.arn for m in store.list_state_machines())
    store.delete_state_machine(MACHINE_ARN)

    assert listed == [MACHINE_ARN, OTHER_MACHINE_ARN]
    assert store.get_state_machine(MACHINE_ARN) is None
    assert store.get_state_machine(OTHER_MACHINE_ARN) == machine(OTHER_MACHINE_ARN)


def test_putting_a_state_machine_again_replaces_it(store: Store) -> None:
    store.put_state_machine(machine())
    updated = machine()
    updated.definition = '{"StartAt": "X"}'

    store.put_state_machine(updated)

    found = store.get_state_machine(MACHINE_ARN)
    assert found is not None and found.definition == '{"StartAt": "X"}'
    assert len(store.list_state_machines()) == 1


def test_deleting_an_unknown_state_machine_is_not_an_error(store: Store) -> None:
    store.delete_state_machine(MACHINE_ARN)

    assert store.get_state_machine(MACHINE_ARN) is None


# ---- executions ---------------------------------------------------------------------------------


def test_a_new_execution_starts_at_version_zero_with_its_state_and_no_history(store: Store) -> None:
    created = store.create_execution(execution(), {"step": 0})

    assert created is True
    assert store.get_execution(execution().arn) == execution()
    assert store.load_state(execution().arn) == ({"step": 0}, 0)
    assert (store.history(execution().arn), store.history_length(execution().arn)) == ([], 0)


def test_creating_an_execution_twice_is_refused_and_keeps_the_first(store: Store) -> None:
    store.create_execution(execution(), {"first": True})
    store.commit(execution().arn, 0, {"first": True}, [event(1)])
    second = execution()
    second.input = '{"second": true}'

    created = store.create_execution(second, {"second": True})

    assert created is False
    found = store.get_execution(execution().arn)
    assert found is not None and found.input == "{}"
    assert store.load_state(execution().arn) == ({"first": True}, 1)
    assert store.history_length(execution().arn) == 1


def test_executions_are_listed_all_or_by_state_machine(store: Store) -> None:
    for record in (execution("a"), execution("b"), execution("c", OTHER_MACHINE_ARN)):
        store.create_execution(record, None)

    everything = sorted(e.name for e in store.list_executions())
    of_machine = sorted(e.name for e in store.list_executions(MACHINE_ARN))

    assert (everything, of_machine) == (["a", "b", "c"], ["a", "b"])


def test_an_unknown_execution_is_none(store: Store) -> None:
    assert store.get_execution(execution().arn) is None


# ---- commits ------------------------------------------------------------------------------------


def test_commit_moves_the_version_stores_the_state_and_appends_events(store: Store) -> None:
    arn = execution().arn
    store.create_execution(execution(), None)

    first = store.commit(arn, 0, {"step": 1}, [event(1), event(2)])
    second = store.commit(arn, first, {"step": 2}, [event(3)])

    assert (first, second) == (1, 2)
    assert store.load_state(arn) == ({"step": 2}, 2)
    assert [e["id"] for e in store.history(arn)] == [1, 2, 3]
    assert store.history_length(arn) == 3


def test_a_stale_version_raises_version_conflict_and_writes_nothing(store: Store) -> None:
    arn = execution().arn
    store.create_execution(execution(), {"step": 0})
    store.commit(arn, 0, {"step": 1}, [event(1)])
    finished = execution()
    finished.status = "SUCCEEDED"

    with pytest.raises(VersionConflict):
        store.commit(arn, 0, {"step": "stale"}, [event(2)], finished)

    assert store.load_state(arn) == ({"step": 1}, 1)
    assert [e["id"] for e in store.history(arn)] == [1]
    found = store.get_execution(arn)
    assert found is not None and found.status == "RUNNING"


def test_a_version_from_the_future_is_a_conflict_too(store: Store) -> None:
    store.create_execution(execution(), None)

    with pytest.raises(VersionConflict):
        store.commit(execution().arn, 5, None, [])


def test_commit_with_a_record_updates_the_execution(store: Store) -> None:
    arn = execution().arn
    store.create_execution(execution(), None)
    done = execution()
    done.status, done.output, done.stop_date = "SUCCEEDED", '{"ok": true}', datetime(2024, 1, 1, tzinfo=UTC)

    store.commit(arn, 0, None, [event(1, "ExecutionSucceeded")], done)

    assert store.get_execution(arn) == done
    assert [e.status for e in store.list_executions()] == ["SUCCEEDED"]


def test_commit_without_a_record_leaves_the_execution_alone(store: Store) -> None:
    store.create_execution(execution(), None)

    store.commit(execution().arn, 0, {"step": 1}, [event(1)])

    assert store.get_execution(execution().arn) == execution()


def test_commit_accepts_any_iterable_of_events_and_an_empty_one(store: Store) -> None:
    arn = execution().arn
    store.create_execution(execution(), None)

    version = store.commit(arn, 0, None, (event(i) for i in (1, 2)))
    version = store.commit(arn, version, None, [])

    assert (version, [e["id"] for e in store.history(arn)]) == (2, [1, 2])


# ---- history ------------------------------------------------------------------------------------


def test_history_keeps_commit_order_and_event_contents(store: Store) -> None:
    arn = execution().arn
    store.create_execution(execution(), None)
    batches = [
        [event(1, "ExecutionStarted"), event(2)],
        [event(3, "PassStateExited")],
        [event(4, "ExecutionSucceeded")],
    ]
    version = 0
    for batch in batches:
        version = store.commit(arn, version, None, batch)

    assert store.history(arn) == [e for batch in batches for e in batch]


def test_histories_of_executions_are_separate(store: Store) -> None:
    store.create_execution(execution("a"), None)
    store.create_execution(execution("b"), None)

    store.commit(execution("a").arn, 0, None, [event(1)])

    assert (store.history_length(execution("a").arn), store.history(execution("b").arn)) == (1, [])


def test_the_returned_history_is_a_snapshot(store: Store) -> None:
    arn = execution().arn
    store.create_execution(execution(), None)
    store.commit(arn, 0, None, [event(1)])

    snapshot = store.history(arn)
    snapshot.append(event(99))

    assert store.history_length(arn) == 1


def test_concurrent_writers_with_compare_and_retry_lose_no_event(store: Store) -> None:
    arn = execution().arn
    store.create_execution(execution(), None)
    writers, per_writer = 4, 25

    def write(writer: int) -> None:
        for n in range(per_writer):
            while True:
                _, version = store.load_state(arn)
                try:
                    store.commit(arn, version, None, [{"type": "X", "writer": writer, "n": n}])
                    break
                except VersionConflict:
                    continue

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    history = store.history(arn)
    assert store.load_state(arn)[1] == writers * per_writer
    assert len(history) == writers * per_writer
    for w in range(writers):
        assert [e["n"] for e in history if e["writer"] == w] == list(range(per_writer))
