"""What the Redis store adds to the contract suites (which run against it too): the key layout, records
round-tripping exactly, finished executions expiring, several stores sharing one server, large commits and
the eviction-policy check."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
import redis

from orchestrator.errors import SfnError
from orchestrator.store.keys import Keys
from orchestrator.store.records import ExecutionRecord
from orchestrator.store.redis import RedisStore
from tests.store.test_memory import MACHINE_ARN, OTHER_MACHINE_ARN, event, execution, machine

pytestmark = pytest.mark.redis

ARN = execution().arn


@pytest.fixture
def client(store_url: str) -> Iterator[redis.Redis]:
    with redis.Redis.from_url(store_url, decode_responses=True) as connection:
        connection.flushdb()
        yield connection


@pytest.fixture
def store(store_url: str, client: redis.Redis) -> Iterator[RedisStore]:
    opened = RedisStore(store_url)
    yield opened
    opened.close()


def finished(record: ExecutionRecord, status: str = "SUCCEEDED") -> ExecutionRecord:
    record.status, record.output, record.stop_date = status, "{}", datetime(2024, 1, 2, tzinfo=UTC)
    return record


# ---- key layout ---------------------------------------------------------------------------------


def test_every_key_of_an_execution_shares_its_hash_tag(store: RedisStore, client: redis.Redis) -> None:
    store.create_execution(execution(), {"s": 0})
    store.post(ARN, {"kind": "Start"})
    store.commit(ARN, 0, {"s": 1}, [event(1)], consumed=0, outbox=[{"kind": "RunTask"}])
    store.acquire(ARN, "a", 30.0)

    tagged = sorted(key for key in client.keys("*") if "{" in key)

    assert tagged == sorted(
        f"sfn:{{{ARN}}}:{part}" for part in ("execution", "history", "inbox", "outbox", "lease")
    )
    assert all(key.split("{", 1)[1].split("}", 1)[0] == ARN for key in tagged)


def test_global_keys_are_separate_and_prefixed(store: RedisStore, client: redis.Redis) -> None:
    store.put_state_machine(machine())
    store.create_execution(execution(), None)
    store.post(ARN, {"kind": "Start"})
    store.add_timer(ARN, "t", 100.0)

    untagged = sorted(key for key in client.keys("*") if "{" not in key)

    keys = Keys()
    assert untagged == sorted(
        [
            keys.state_machines,
            keys.executions,
            keys.executions_of(MACHINE_ARN),
            keys.ready,
            keys.active,
            keys.queued,
            keys.timers,
        ]
    )


def test_two_prefixes_on_one_server_do_not_see_each_other(store_url: str, client: redis.Redis) -> None:
    first, second = RedisStore(store_url, prefix="one"), RedisStore(store_url, prefix="two")
    try:
        first.put_state_machine(machine())
        first.create_execution(execution(), None)

        assert (second.list_state_machines(), second.list_executions(), second.get_execution(ARN)) == (
            [],
            [],
            None,
        )
    finally:
        first.close()
        second.close()


# ---- records ------------------------------------------------------------------------------------


def test_records_round_trip_exactly_with_their_time_zones(store: RedisStore) -> None:
    tokyo = timezone(timedelta(hours=9))
    machine_record = machine()
    machine_record.creation_date = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=tokyo)
    machine_record.tags = {"team": "ü"}
    record = finished(execution())
    record.start_date = datetime(2024, 1, 1, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-5)))
    record.error, record.cause, record.redrive_count, record.trace_header = "E", "c", 2, None

    store.put_state_machine(machine_record)
    store.create_execution(record, None)

    found_machine, found_record = store.get_state_machine(MACHINE_ARN), store.get_execution(ARN)
    assert (found_machine, found_record) == (machine_record, record)
    assert found_machine is not None and found_machine.creation_date.utcoffset() == timedelta(hours=9)
    assert found_record is not None and found_record.start_date.utcoffset() == timedelta(hours=-5)


def test_a_state_of_none_and_nested_json_round_trip(store: RedisStore) -> None:
    state = {"threads": {"0": {"at": "A", "values": [1, 2.5, None, True, "é"]}}}
    store.create_execution(execution("a"), None)
    store.create_execution(execution("b"), state)

    assert store.load_state(execution("a").arn) == (None, 0)
    assert store.load_state(execution("b").arn) == (state, 0)


# ---- retention ----------------------------------------------------------------------------------


def test_a_finished_execution_expires_after_the_retention(store: RedisStore, client: redis.Redis) -> None:
    store.create_execution(execution(), None)
    store.post(ARN, {"kind": "Start"})
    store.commit(ARN, 0, None, [event(1)], consumed=1, outbox=[{"kind": "A"}])
    running_ttls = [client.pttl(key) for key in Keys().of_execution(ARN).expiring()]

    store.commit(ARN, 1, None, [event(2, "ExecutionSucceeded")], finished(execution()))

    keys = Keys().of_execution(ARN)
    assert running_ttls == [-1, -1, -2, -1]  # no TTL while running (the consumed inbox is gone)
    ninety_days_ms = 90 * 86400 * 1000
    for key in (keys.execution, keys.history, keys.outbox):
        assert ninety_days_ms - 60_000 < client.pttl(key) <= ninety_days_ms


def test_events_posted_after_the_end_expire_with_the_execution(store_url: str, client: redis.Redis) -> None:
    store = RedisStore(store_url, retention_seconds=60.0)
    try:
        store.create_execution(execution(), None)
        store.commit(ARN, 0, None, [event(1)], finished(execution(), "ABORTED"))

        store.post(ARN, {"kind": "TimerFired", "timer_id": "late"})

        assert 0 < client.pttl(Keys().of_execution(ARN).inbox) <= 60_000
    finally:
        store.close()


def test_listing_skips_executions_that_expired(store_url: str, client: redis.Redis) -> None:
    store = RedisStore(store_url, retention_seconds=0.05)
    try:
        for name in ("gone", "kept"):
            store.create_execution(execution(name), None)
        store.commit(execution("gone").arn, 0, None, [event(1)], finished(execution("gone")))
        threading.Event().wait(0.15)

        listed = [[e.name for e in store.list_executions(arn)] for arn in (None, MACHINE_ARN)]

        assert listed == [["kept"], ["kept"]]
        assert store.get_execution(execution("gone").arn) is None
        assert store.history(execution("gone").arn) == []
        # the index entry of the expired one (started in 2024, long before the grace period) is pruned
        assert client.zrange(Keys().executions, 0, -1) == [execution("kept").arn]
    finally:
        store.close()


# ---- sharing one server -------------------------------------------------------------------------


def test_two_stores_on_one_server_share_executions_and_the_ready_queue(
    store_url: str, store: RedisStore
) -> None:
    other = RedisStore(store_url)
    try:
        store.create_execution(execution(), None)
        other.post(ARN, {"kind": "Start"})

        assert store.next_ready(1.0) == ARN
        assert other.acquire(ARN, "b", 30.0) and not store.acquire(ARN, "a", 30.0)
        with pytest.raises(Exception, match="stale"):
            other.commit(ARN, 1, None, [])
    finally:
        other.close()


def test_concurrent_claims_of_due_timers_claim_each_timer_once(store_url: str, store: RedisStore) -> None:
    for n in range(300):
        store.add_timer(execution(f"e{n % 7}").arn, f"t{n}", float(n))
    others = [RedisStore(store_url) for _ in range(4)]
    claimed: list[list[tuple[str, str]]] = [[] for _ in others]

    def claim(index: int) -> None:
        while batch := others[index].claim_due_timers(1000.0, limit=7):
            claimed[index].extend(batch)

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(len(others))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    for other in others:
        other.close()

    everything = [timer for batch in claimed for timer in batch]
    assert sorted(timer_id for _, timer_id in everything) == sorted(f"t{n}" for n in range(300))
    assert store.next_timer_due() is None


def test_next_ready_without_a_timeout_does_not_block(store: RedisStore) -> None:
    assert store.next_ready(0.0) is None

    store.create_execution(execution(), None)
    store.post(ARN, {"kind": "Start"})

    assert store.next_ready(0.0) == ARN


def test_orphan_scans_forget_executions_with_nothing_left(store: RedisStore, client: redis.Redis) -> None:
    store.create_execution(execution(), None)
    store.post(ARN, {"kind": "Start"})
    store.commit(ARN, 0, None, [event(1)], consumed=1, outbox=[])

    assert store.requeue_orphans() == 0
    assert client.smembers(Keys().active) == set()


def test_an_unfinished_outbox_without_a_lease_is_an_orphan(store: RedisStore) -> None:
    store.create_execution(execution(), None)
    store.post(ARN, {"kind": "Start"})
    assert store.next_ready(1.0) == ARN
    assert store.take(ARN, "dead", 0.05) is not None
    store.commit(ARN, 0, None, [event(1)], consumed=1, outbox=[{"kind": "RunTask"}])
    threading.Event().wait(0.15)  # its coordinator died before carrying the outbox out

    assert store.requeue_orphans() == 1
    assert store.next_ready(1.0) == ARN


def test_an_orphan_scan_covers_every_active_execution(store: RedisStore) -> None:
    arns = [execution(f"e{n}").arn for n in range(1200)]
    for arn in arns:
        store.post(arn, {"kind": "Start"})
    while store.next_ready(0.0) is not None:  # popped by a coordinator that died
        pass
    store.acquire(arns[0], "alive", 30.0)
    store.ready_grace_ms = 1
    threading.Event().wait(0.01)

    assert store.requeue_orphans() == len(arns) - 1


# ---- large commits ------------------------------------------------------------------------------


def test_a_ready_entry_popped_by_a_coordinator_that_died_is_pushed_again(
    store_url: str, client: redis.Redis
) -> None:
    store = RedisStore(store_url, ready_grace_seconds=0.1)
    store.create_execution(execution(), None)
    store.post(ARN, {"kind": "Start"})
    assert store.next_ready(1.0) == ARN  # ... and the coordinator dies before taking the lease
    assert store.requeue_orphans() == 0  # it may still be taking it

    threading.Event().wait(0.2)

    assert store.requeue_orphans() == 1
    assert store.next_ready(1.0) == ARN
    assert store.requeue_orphans() == 0  # queued again
    store.close()


def test_pipelines_reload_the_scripts_a_restarted_server_lost(store: RedisStore, client: redis.Redis) -> None:
    store.create_execution(execution(), {"s": 0})
    store.post(execution().arn, {"kind": "Start"})
    client.script_flush()

    taken = store.take(execution().arn, "a", 30.0)
    assert taken is not None and taken.inbox == [{"kind": "Start"}]
    client.script_flush()
    store.settle(execution().arn, "a", None)

    assert store.acquire(execution().arn, "b", 30.0)


def test_a_commit_of_thousands_of_events_keeps_them_all_in_order(store: RedisStore) -> None:
    store.create_execution(execution(), None)

    store.commit(ARN, 0, None, (event(i) for i in range(1, 10_001)))

    assert store.history_length(ARN) == 10_000
    assert [e["id"] for e in store.history(ARN)] == list(range(1, 10_001))


def test_listing_keeps_start_order_across_state_machines(store: RedisStore) -> None:
    for name, machine_arn, minute in (
        ("b", MACHINE_ARN, 2),
        ("c", OTHER_MACHINE_ARN, 3),
        ("a", MACHINE_ARN, 1),
    ):
        record = execution(name, machine_arn)
        record.start_date = datetime(2024, 1, 1, 0, minute, tzinfo=UTC)
        store.create_execution(record, None)

    assert [e.name for e in store.list_executions()] == ["a", "b", "c"]
    assert [e.name for e in store.list_executions(MACHINE_ARN)] == ["a", "b"]


# ---- eviction policy ----------------------------------------------------------------------------


def test_a_server_that_may_evict_keys_is_refused(store_url: str, client: redis.Redis) -> None:
    client.config_set("maxmemory-policy", "allkeys-lru")
    try:
        with pytest.raises(SfnError, match=r"maxmemory-policy 'allkeys-lru'.*set it to 'noeviction'"):
            RedisStore(store_url)
        RedisStore(store_url, check_eviction=False).close()
    finally:
        client.config_set("maxmemory-policy", "noeviction")


def test_a_server_that_hides_its_config_is_used_with_a_warning(
    store_url: str, client: redis.Redis, caplog: pytest.LogCaptureFixture
) -> None:
    client.acl_setuser(
        "limited",
        enabled=True,
        passwords=["+secret"],
        keys=["*"],
        channels=["*"],
        commands=["+@all", "-config"],
    )
    limited_url = store_url.replace("redis://", "redis://limited:secret@")
    try:
        with caplog.at_level(logging.WARNING, logger="orchestrator.store.redis"):
            store = RedisStore(limited_url)
        store.put_state_machine(machine())

        assert store.get_state_machine(MACHINE_ARN) == machine()
        assert "make sure it is 'noeviction'" in caplog.text and "secret" not in caplog.text
        store.close()
    finally:
        client.acl_deluser("limited")
