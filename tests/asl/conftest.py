"""Shared fixtures of the definition tests."""

from __future__ import annotations

import importlib

import pytest


def _has(module: str, *names: str) -> bool:
    try:
        loaded = importlib.import_module(module)
    except ImportError:
        return False
    return all(hasattr(loaded, name) for name in names)


def paths_ready() -> bool:
    """Whether the JSONPath parser the validator relies on is importable."""
    return _has("orchestrator.dataflow.jsonpath", "is_valid_path", "is_reference_path")


def dataflow_ready() -> bool:
    """Whether both the JSONPath and the intrinsic-function parsers are importable."""
    return paths_ready() and _has("orchestrator.dataflow.intrinsics", "parse")


@pytest.fixture
def paths() -> None:
    """Skip a test that validates paths until ``orchestrator.dataflow.jsonpath`` provides its checks."""
    if not paths_ready():
        pytest.skip("orchestrator.dataflow.jsonpath.is_valid_path / is_reference_path are not available yet")


@pytest.fixture
def intrinsics(paths: None) -> None:
    """Skip a test that validates intrinsic calls until ``orchestrator.dataflow.intrinsics.parse`` exists."""
    if not dataflow_ready():
        pytest.skip("orchestrator.dataflow.intrinsics.parse is not available yet")
