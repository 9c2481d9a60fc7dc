"""Map-run records and UpdateMapRun in the distributed design: coordinators write a DISTRIBUTED Map's
record as its map run starts and ends, and an update posted to the parent's inbox reaches the running
map run (memory and Redis stores alike; the embedded runtime: ``tests/service/test_map_runs.py``)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from orchestrator.engine.model import MapRunUpdated
from orchestrator.store.records import MapRunRecord
from tests.runtime.test_coordinator import Cluster
from tests.store.conftest import memory_store, redis_store


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def cluster(request: pytest.FixtureRequest) -> Iterator[Cluster]:
    store = memory_store(request) if request.param == "memory" else redis_store(request)
    built = Cluster(store)
    built.coordinator().start()
    yield built
    built.close()


def waiting_map(seconds: int, **fields: Any) -> dict[str, Any]:
    return {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "Label": "each",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "W",
                    "States": {"W": {"Type": "Wait", "Seconds": seconds, "End": True}},
                },
                "End": True,
                **fields,
            }
        },
    }


def map_run_of(cluster: Cluster, arn: str) -> MapRunRecord:
    for _ in range(500):
        found = cluster.store.list_map_runs(arn)
        if found:
            return found[0]  # type: ignore[no-any-return]
        time.sleep(0.01)
    raise AssertionError("no map run was recorded")


def children(cluster: Cluster, run: MapRunRecord) -> list[Any]:
    return [e for e in cluster.store.list_executions(run.state_machine_arn) if e.map_run_arn == run.arn]


def test_given_a_distributed_map_expect_its_map_run_recorded_from_start_to_end(cluster: Cluster) -> None:
    arn = cluster.start(waiting_map(0, MaxConcurrency=2), [1, 2, 3])

    cluster.finished(arn)

    run = map_run_of(cluster, arn)
    assert (run.status, run.execution_arn, run.max_concurrency, run.item_count) == ("SUCCEEDED", arn, 2, 3)
    assert run.stop_date is not None and run.stop_date >= run.start_date
    assert cluster.store.get_map_run(run.arn) == run
    assert len(children(cluster, run)) == 3


def test_given_max_concurrency_raised_expect_the_waiting_items_started(cluster: Cluster) -> None:
    arn = cluster.start(waiting_map(3, MaxConcurrency=1), [1, 2, 3])
    run = map_run_of(cluster, arn)

    cluster.runtime.deliver(arn, MapRunUpdated(run.arn, max_concurrency=0))

    for _ in range(250):
        started = children(cluster, run)
        if len(started) == 3:
            break
        time.sleep(0.01)
    assert len(started) == 3
    assert cluster.store.get_map_run(run.arn).max_concurrency == 0
    assert cluster.finished(arn).status == "SUCCEEDED"
