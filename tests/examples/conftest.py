"""Example tests run the examples as a user does: ``sfn server`` as its own process, scripts as others."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import free_port

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run_script(script: Path | str, *args: str | Path, timeout: float = 60) -> str:
    """Run an example script from its own directory; its standard output (it must succeed)."""
    script = Path(script)
    done = subprocess.run(
        [sys.executable, script.name, *map(str, args)],
        cwd=script.parent,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def sfn_server(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """``sfn_server(*options)`` → the URL of a started ``sfn server``, stopped after the test."""
    started: list[subprocess.Popen[bytes]] = []

    def start(*options: str) -> str:
        port = free_port()
        log_path = tmp_path / f"server-{port}.log"
        with log_path.open("wb") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "orchestrator.cli", "server", "--port", str(port), *options],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        started.append(server)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(url + "/health").status_code == 200:
                    return url
            except httpx.TransportError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.1)

    yield start
    for server in started:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)
