"""Session fixtures shared by the whole test tree: ``redis_url``, one throwaway Redis server per session.

Locally the tests that need it skip when ``redis-server`` is missing; in CI (``CI`` set) they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.redis_server import RedisServerMissing, redis_server, redis_server_binary


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    try:
        redis_server_binary()
    except RedisServerMissing as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(str(error))
    with redis_server() as url:
        yield url
