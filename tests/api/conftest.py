"""API tests start the real app with uvicorn on a free loopback port and drive it with boto3."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
import uvicorn
from botocore.config import Config

from orchestrator.api import create_app
from orchestrator.service import StepFunctionsService, definitions
from orchestrator.store.memory import MemoryStore
from tests.service.conftest import FakeResolver, FakeRuntime, fake_check, fake_diagnose


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RunningServer:
    """uvicorn serving an app in a background thread."""

    def __init__(self, service: StepFunctionsService) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(service), host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> RunningServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def client(self, region: str = "us-east-1", **config: Any) -> Any:
        return boto3.client(
            "stepfunctions",
            endpoint_url=self.url,
            region_name=region,
            aws_access_key_id="AKIDTEST",
            aws_secret_access_key="secret",
            config=Config(retries={"max_attempts": 1}, inject_host_prefix=False, **config),
        )


@pytest.fixture
def serve() -> Iterator[Callable[[StepFunctionsService], RunningServer]]:
    """``serve(service)`` → a started server, stopped at the end of the test."""
    servers: list[RunningServer] = []

    def start(service: StepFunctionsService) -> RunningServer:
        server = RunningServer(service).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__()


@pytest.fixture
def runtime() -> FakeRuntime:
    return FakeRuntime(MemoryStore())


@pytest.fixture
def fake_service(runtime: FakeRuntime, monkeypatch: pytest.MonkeyPatch) -> StepFunctionsService:
    monkeypatch.setattr(definitions, "check", fake_check)
    monkeypatch.setattr(definitions, "diagnose", fake_diagnose)
    return StepFunctionsService(runtime.store, runtime, FakeResolver(), account_id="111111111111")  # type: ignore[arg-type]


@pytest.fixture
def server(
    serve: Callable[[StepFunctionsService], RunningServer], fake_service: StepFunctionsService
) -> RunningServer:
    return serve(fake_service)
