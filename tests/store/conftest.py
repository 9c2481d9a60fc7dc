"""Store implementations the contract suite runs against. A Redis store joins by adding a factory here
(started on a free loopback port; skipped locally when redis-server is missing, failing in CI)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from orchestrator.store.base import Store
from orchestrator.store.memory import MemoryStore

STORE_FACTORIES: dict[str, Callable[[], Store]] = {
    "memory": MemoryStore,
}


@pytest.fixture(params=sorted(STORE_FACTORIES))
def store(request: pytest.FixtureRequest) -> Store:
    return STORE_FACTORIES[request.param]()
