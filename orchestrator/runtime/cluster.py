"""A whole distributed deployment on one machine, for development, CI and crash tests.

``LocalCluster`` starts (unless given a Redis URL) a ``redis-server`` with AOF persistence in a scratch
directory, then coordinator and worker processes (``sfn coordinator``, ``sfn worker``), and stops them
all on exit. ``sfn cluster`` runs the API server in front of one.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

import redis


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class LocalCluster:
    def __init__(
        self,
        *,
        redis_url: str | None = None,
        coordinators: int = 2,
        workers: int = 2,
        worker_concurrency: int = 2,
        task_modules: Iterable[str] = (),
        lambda_endpoint: str | None = None,
        visibility_timeout: float = 3600.0,
        log_dir: Path | None = None,
    ) -> None:
        self.redis_url = redis_url
        self.coordinator_count = coordinators
        self.worker_count = workers
        self.worker_concurrency = worker_concurrency
        self.task_modules = list(task_modules)
        self.lambda_endpoint = lambda_endpoint
        self.visibility_timeout = visibility_timeout
        self._scratch = tempfile.TemporaryDirectory(prefix="sfn-cluster-")
        self.log_dir = log_dir or Path(self._scratch.name)
        self.redis_process: subprocess.Popen[bytes] | None = None
        self.redis_port: int | None = None
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    # ---- lifecycle ----------------------------------------------------------------------------

    def __enter__(self) -> LocalCluster:
        try:
            if self.redis_url is None:
                self.start_redis()
            for n in range(self.coordinator_count):
                self.start_coordinator(f"coordinator-{n}")
            for n in range(self.worker_count):
                self.start_worker(f"worker-{n}")
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            _wait_or_kill(process, 30)
        self.processes.clear()
        if self.redis_process is not None:
            self.redis_process.terminate()
            _wait_or_kill(self.redis_process, 10)
            self.redis_process = None
        self._scratch.cleanup()

    # ---- processes ----------------------------------------------------------------------------

    def start_redis(self) -> str:
        """Start (or restart, on the same port and data) the cluster's own ``redis-server`` (AOF
        ``everysec``, ``noeviction``); returns its URL."""
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError(
                "redis-server is not installed (apt-get install redis-server), or pass --redis"
            )
        if self.redis_port is None:
            self.redis_port = free_port()
        data = Path(self._scratch.name) / "redis"
        data.mkdir(exist_ok=True)
        command = [binary, "--port", str(self.redis_port), "--bind", "127.0.0.1", "--dir", str(data)]
        command += [
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            "--save",
            "",
            "--maxmemory-policy",
            "noeviction",
        ]
        with (self.log_dir / "redis.log").open("ab") as log:
            self.redis_process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        wait_for_redis(self.redis_url, self.redis_process)
        return self.redis_url

    def kill_redis(self) -> None:
        """``kill -9`` the cluster's redis-server (its AOF keeps what was fsynced)."""
        assert self.redis_process is not None, "the cluster did not start its own redis-server"
        self.redis_process.kill()
        self.redis_process.wait()
        self.redis_process = None

    def start_coordinator(self, name: str) -> subprocess.Popen[bytes]:
        return self._start(name, "coordinator", "--redis", self._url(), "--lease-seconds", "5")

    def start_worker(self, name: str) -> subprocess.Popen[bytes]:
        args = ["worker", "--redis", self._url(), "--concurrency", str(self.worker_concurrency)]
        args += ["--visibility-timeout", str(self.visibility_timeout)]
        for module in self.task_modules:
            args += ["--tasks", module]
        if self.lambda_endpoint is not None:
            args += ["--lambda-endpoint", self.lambda_endpoint]
        return self._start(name, *args)

    def kill(self, name: str) -> None:
        """``kill -9`` one process of the cluster."""
        process = self.processes.pop(name)
        process.kill()
        process.wait()

    def _start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        with (self.log_dir / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "orchestrator.cli", *args, "--log-level", "warning"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.processes[name] = process
        return process

    def _url(self) -> str:
        assert self.redis_url is not None
        return self.redis_url


def wait_for_redis(url: str, process: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    """Wait until the redis-server ``process`` answers PING at ``url`` (it must not exit first)."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"redis-server exited with {process.returncode}")
        try:
            with redis.Redis.from_url(url, socket_timeout=1.0) as client:
                if client.ping():
                    return
        except (redis.ConnectionError, redis.BusyLoadingError):
            if time.monotonic() >= deadline:
                raise
        time.sleep(0.05)


def _wait_or_kill(process: subprocess.Popen[bytes], timeout: float) -> None:
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
