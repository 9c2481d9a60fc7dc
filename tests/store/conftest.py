"""Store implementations the contract suite runs against: each factory builds a fresh, empty store.

The Redis one uses the session's ``redis_url`` server (``tests/conftest.py``; skipped locally when
redis-server is missing, failing in CI) and flushes its database before each test.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import redis

from orchestrator.store.base import Store
from orchestrator.store.memory import MemoryStore
from orchestrator.store.redis import RedisStore


def memory_store(request: pytest.FixtureRequest) -> MemoryStore:
    return MemoryStore()


def redis_store(request: pytest.FixtureRequest) -> RedisStore:
    url: str = request.getfixturevalue("redis_url")
    with redis.Redis.from_url(url) as client:
        client.flushdb()
    store = RedisStore(url)
    request.addfinalizer(store.close)
    return store


STORE_FACTORIES: dict[str, Callable[[pytest.FixtureRequest], Store]] = {
    "memory": memory_store,
    "redis": redis_store,
}


@pytest.fixture(
    params=[
        pytest.param(name, marks=[pytest.mark.redis] if name == "redis" else []) for name in STORE_FACTORIES
    ]
)
def store(request: pytest.FixtureRequest) -> Store:
    return STORE_FACTORIES[request.param](request)
