"""Fixtures for the worker tests: a fresh task registry and the conformance suite's fake Lambda server."""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from workers.registry import TaskRegistry

CONFORMANCE_DIR = Path(
    os.environ.get(
        "SFN_CONFORMANCE_DIR", Path(__file__).resolve().parents[2].parent / "shared" / "conformance"
    )
)

# Function names the tests invoke on the fake, bound to the behaviours of the corpus' Lambda handlers.
FAKE_FUNCTIONS = {
    "identity": "id_function",
    "echo": "echo_function",
    "raiser": "raise_exception",
    "custom_raiser": "raise_custom_exception",
    "large": "large_output_string",
    "bytes_str": "return_bytes_str",
    "decorated": "return_decorated_input",
}


def _load_fake_lambda() -> ModuleType:
    path = CONFORMANCE_DIR / "fake_lambda.py"
    if not path.is_file():
        pytest.skip(f"the conformance suite's fake_lambda.py is not at {path}")
    spec = importlib.util.spec_from_file_location("sfn_conformance_fake_lambda", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def fake_lambda_url() -> Iterator[str]:
    """A running fake Lambda ``Invoke`` endpoint (loopback, free port), stopped after the session."""
    fake = _load_fake_lambda()
    lam: Any = fake.FakeLambda(functions=FAKE_FUNCTIONS, account_id="111111111111", region="us-east-1")
    server = fake.make_server(lam, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def registry() -> TaskRegistry:
    return TaskRegistry()
