"""Mocked service integrations, as AWS Step Functions Local runs them (``SFN_MOCK_CONFIG``).

A mock configuration file (:mod:`orchestrator.mocking.config`) defines test cases per state machine
name; ``StartExecution`` on ``<state machine ARN>#<test case>`` runs one. The service binds the new
execution to its test case (:mod:`orchestrator.mocking.test_cases`) and :class:`MockingResolver`, which
wraps the real resolver, answers that execution's mocked Task states from the file, invocation by
invocation (retries, loops and Map iterations each take the next response).

Use: ``embedded_service(mock_config=load_mock_config(path))`` (or ``mock_config=path``).
"""

from __future__ import annotations

import os
from pathlib import Path

from orchestrator.mocking.config import (
    InvocationRange,
    MockConfig,
    MockConfigError,
    MockedResponse,
    Problem,
    load_mock_config,
    parse_mock_config,
)
from orchestrator.mocking.resolver import MockingResolver, UnknownTestCase
from orchestrator.mocking.test_cases import TestCaseRuns, split_test_case

ENVIRONMENT_VARIABLE = "SFN_MOCK_CONFIG"

__all__ = [
    "ENVIRONMENT_VARIABLE",
    "InvocationRange",
    "MockConfig",
    "MockConfigError",
    "MockedResponse",
    "MockingResolver",
    "Problem",
    "TestCaseRuns",
    "UnknownTestCase",
    "as_mock_config",
    "load_mock_config",
    "mock_config_path_from_environment",
    "parse_mock_config",
    "split_test_case",
]


def as_mock_config(value: MockConfig | str | Path | None) -> MockConfig | None:
    """A loaded configuration from a :class:`MockConfig` or a file path (``None`` stays ``None``)."""
    if value is None or isinstance(value, MockConfig):
        return value
    return load_mock_config(value)


def mock_config_path_from_environment() -> str | None:
    """``SFN_MOCK_CONFIG`` when it is set and not empty (Step Functions Local's variable)."""
    return os.environ.get(ENVIRONMENT_VARIABLE) or None
