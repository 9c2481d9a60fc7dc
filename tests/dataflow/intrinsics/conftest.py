"""Shared fixtures: a context object like the one AWS builds for an execution."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def context() -> dict[str, Any]:
    return {
        "Execution": {
            "Id": "arn:aws:states:us-east-1:111111111111:execution:sm:ex",
            "Name": "ex",
            "Input": {"k": "v"},
        },
        "StateMachine": {"Id": "arn:aws:states:us-east-1:111111111111:stateMachine:sm", "Name": "sm"},
        "State": {"Name": "S", "EnteredTime": "2024-01-01T00:00:00Z"},
    }
