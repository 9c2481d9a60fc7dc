"""A throwaway ``redis-server`` for tests: a free loopback port, no persistence, stopped by its PID."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

from orchestrator.runtime.cluster import wait_for_redis


class RedisServerMissing(RuntimeError):
    """No ``redis-server`` binary on the PATH."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def redis_server_binary() -> str:
    """The ``redis-server`` to run; :class:`RedisServerMissing` when there is none."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RedisServerMissing("redis-server is not installed (apt-get install redis-server)")
    return binary


@contextmanager
def redis_server(*extra: str, start_timeout: float = 10.0) -> Iterator[str]:
    """Run a ``redis-server`` until the block ends; yields its URL (database 0). ``extra`` are more
    command-line options (``"--maxmemory-policy", "allkeys-lru"``)."""
    binary = redis_server_binary()
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", *extra]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        wait_for_redis(url, process, start_timeout)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def database_url(url: str, db: int) -> str:
    """The same server's database ``db`` (test suites keep apart from each other's leftovers that way)."""
    return f"{url.rsplit('/', 1)[0]}/{db}"


STORE_TESTS_DB = 1
"""The store suites' database: the distributed runtime's tests (coordinators, Celery) use database 0."""
