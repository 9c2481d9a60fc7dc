"""Store implementations the contract suite runs against: each factory builds a fresh, empty store.

The Redis one uses the session's ``redis_url`` server (``tests/conftest.py``; skipped locally when
redis-server is missing, failing in CI) and flushes its own database (``STORE_TESTS_DB``) before each test.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import redis

from orchestrator.store.base import Store
from orchestrator.store.memory import MemoryStore
from orchestrator.store.redis import RedisStore
from tests.redis_server import STORE_TESTS_DB, database_url


def memory_store(request: pytest.FixtureRequest) -> MemoryStore:
    return MemoryStore()


def redis_store(request: pytest.FixtureRequest) -> RedisStore:
    url = database_url(request.getfixturevalue("redis_url"), STORE_TESTS_DB)
    with redis.Redis.from_url(url) as client:
        client.flushdb()
    store = RedisStore(url)
    request.addfinalizer(store.close)
    return store


STORE_FACTORIES: dict[str, Callable[[pytest.FixtureRequest], Store]] = {
    "memory": memory_store,
    "redis": redis_store,
}


@pytest.fixture
def store_url(redis_url: str) -> str:
    """The session server's database for the store suites."""
    return database_url(redis_url, STORE_TESTS_DB)


@pytest.fixture(
    params=[
        pytest.param(name, marks=[pytest.mark.redis] if name == "redis" else []) for name in STORE_FACTORIES
    ]
)
def store(request: pytest.FixtureRequest) -> Store:
    return STORE_FACTORIES[request.param](request)
