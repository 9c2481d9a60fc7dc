"""Shared fixtures of the definition tests."""

from __future__ import annotations

import importlib

import pytest


def dataflow_ready() -> bool:
    """Whether the path and intrinsic parsers the validator relies on are importable."""
    try:
        jsonpath = importlib.import_module("orchestrator.dataflow.jsonpath")
        intrinsics = importlib.import_module("orchestrator.dataflow.intrinsics")
    except ImportError:
        return False
    return all(hasattr(jsonpath, name) for name in ("is_valid_path", "is_reference_path")) and hasattr(
        intrinsics, "parse"
    )


@pytest.fixture
def paths() -> None:
    """Skip a test that validates paths or intrinsic calls until ``orchestrator.dataflow`` provides them."""
    if not dataflow_ready():
        pytest.skip("orchestrator.dataflow.jsonpath / intrinsics parsers are not available yet")
