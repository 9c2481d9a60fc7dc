"""``sfn status`` on a real Redis: coordinators' heartbeats, queues, running executions, timers, Redis."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import redis
from typer.testing import CliRunner

from orchestrator import cli
from orchestrator.runtime.coordinator import Coordinator
from orchestrator.status import collect_status
from orchestrator.store.records import ExecutionRecord
from orchestrator.store.redis import RedisStore

runner = CliRunner()


@pytest.fixture
def prefix() -> str:
    return f"status-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def store(redis_url: str, prefix: str) -> Iterator[RedisStore]:
    opened = RedisStore(redis_url, prefix=prefix)
    yield opened
    opened.close()


def execution(name: str, status: str, minutes_ago: int) -> ExecutionRecord:
    return ExecutionRecord(
        arn=f"arn:aws:states:us-east-1:123456789012:execution:m:{name}-{uuid.uuid4().hex[:6]}",
        state_machine_arn="arn:aws:states:us-east-1:123456789012:stateMachine:m",
        name=name,
        input="{}",
        status=status,
        start_date=datetime.now(UTC) - timedelta(minutes=minutes_ago),
    )


def test_a_running_coordinator_is_alive_and_forgotten_when_it_stops(store: RedisStore) -> None:
    # given a coordinator that ticked once
    coordinator = Coordinator(store, transport=None, owner="coordinator-a", poll_seconds=0.05)
    coordinator.start()
    try:
        deadline = time.monotonic() + 5
        while not store.coordinators() and time.monotonic() < deadline:
            time.sleep(0.02)
        # expect its heartbeat, alive, with where it runs
        (beat,) = store.coordinators()
        assert beat["owner"] == "coordinator-a" and beat["alive"] and beat["pid"] > 0 and beat["host"]
    finally:
        coordinator.stop()
    # expect a stopped coordinator gone
    assert store.coordinators() == []


def test_an_expired_heartbeat_is_shown_dead(store: RedisStore, redis_url: str, prefix: str) -> None:
    store.heartbeat_coordinator("gone", {"host": "h", "pid": 1, "started": 1.0, "last_tick": 2.0}, 0.05)
    time.sleep(0.1)
    (beat,) = collect_status(redis_url, prefix=prefix, inspect_timeout=0)["coordinators"]
    assert beat["owner"] == "gone" and beat["alive"] is False
    assert beat["last_tick"] == "1970-01-01T00:00:02+00:00"


def test_running_executions_oldest_first_and_timers(store: RedisStore, redis_url: str, prefix: str) -> None:
    # given two running executions, a finished one and three timers (two due)
    old, young = execution("old", "RUNNING", 30), execution("young", "RUNNING", 1)
    for record in (young, execution("done", "SUCCEEDED", 60), old):
        store.create_execution(record, None)
    now = time.time()
    store.add_timer(old.arn, "t1", now - 10)
    store.add_timer(old.arn, "t2", now - 1)
    store.add_timer(young.arn, "t3", now + 60)
    # when the status is collected
    status = collect_status(redis_url, prefix=prefix, inspect_timeout=0, oldest=1)
    # expect the running ones counted, the oldest listed, the timers due counted
    runs = status["executions"]
    assert runs["running"] == 2 and runs["indexed"] == 3 and runs["complete"]
    assert [item["arn"] for item in runs["oldest_running"]] == [old.arn]
    timers = status["timers"]
    assert timers["pending"] == 3 and timers["due_now"] == 2
    assert timers["most_overdue_seconds"] >= 10 and timers["next_due"] is not None


def test_queue_depths_include_routed_queues_and_priorities(redis_url: str, prefix: str) -> None:
    # given a queue Kombu bound, with messages at three priority levels
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    queue = f"payments-{prefix}"
    levels = [queue, f"{queue}\x06\x163", f"{queue}\x06\x169"]
    try:
        client.sadd(f"_kombu.binding.{queue}", f"{queue}\x06\x16\x06\x16{queue}")
        for index, key in enumerate(levels):
            client.rpush(key, *[f"m{n}" for n in range(index + 1)])
        # when the status is collected
        waiting = collect_status(redis_url, prefix=prefix, inspect_timeout=0)["queues"]["waiting"]
    finally:
        client.delete(f"_kombu.binding.{queue}", *levels)
        client.close()
    # expect the queue's messages over all its levels, next to the default queues
    assert waiting[queue] == 6 and {"sfn-tasks", "sfn-timers"} <= set(waiting)


def test_redis_section(redis_url: str, prefix: str) -> None:
    server = collect_status(redis_url, prefix=prefix, inspect_timeout=0)["redis"]
    assert server["version"] and server["maxmemory_policy"] == "noeviction"


def test_workers_that_do_not_answer_leave_an_empty_list(redis_url: str, prefix: str) -> None:
    assert collect_status(redis_url, prefix=prefix, inspect_timeout=0.2)["workers"]["workers"] == []


def test_cli_json_and_tables(redis_url: str) -> None:
    # given the default prefix's store with a coordinator's heartbeat
    store = RedisStore(redis_url)
    try:
        store.heartbeat_coordinator("cli-coordinator", {"host": "h", "pid": 7}, 5)
        # when `sfn status --json` and `sfn status` run
        as_json = runner.invoke(cli.app, ["status", "--redis", redis_url, "--json", "--inspect-timeout", "0"])
        as_tables = runner.invoke(cli.app, ["status", "--redis", redis_url, "--inspect-timeout", "0"])
    finally:
        store.forget_coordinator("cli-coordinator")
        store.close()
    # expect the snapshot as JSON, and as tables naming the sections
    assert as_json.exit_code == 0, as_json.output
    snapshot = json.loads(as_json.stdout)
    assert {"redis", "coordinators", "workers", "queues", "executions", "timers"} <= set(snapshot)
    assert any(beat["owner"] == "cli-coordinator" for beat in snapshot["coordinators"])
    assert as_tables.exit_code == 0, as_tables.output
    assert "Coordinators" in as_tables.stdout and "cli-coord" in as_tables.stdout


def test_cli_unreachable_redis_exits_1() -> None:
    result = runner.invoke(cli.app, ["status", "--redis", "redis://127.0.0.1:1/0", "--inspect-timeout", "0"])
    assert result.exit_code == 1 and "cannot read Redis" in result.output
