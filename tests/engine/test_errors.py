"""How ``ErrorEquals`` matches error names (States.ALL, States.TaskFailed, States.Runtime) and Catch order."""

from __future__ import annotations

import pytest

from orchestrator.asl.models import Catcher
from orchestrator.engine.catch import find_catcher
from orchestrator.engine.errors import matches


@pytest.mark.parametrize(
    ("error_equals", "error", "expected"),
    [
        (["Custom"], "Custom", True),
        (["Custom"], "custom", False),
        (["Other", "Custom"], "Custom", True),
        (["States.ALL"], "Custom", True),
        (["States.ALL"], "States.Timeout", True),
        (["States.ALL"], "States.DataLimitExceeded", True),
        (["States.TaskFailed"], "Custom", True),
        (["States.TaskFailed"], "States.Timeout", False),
        (["States.Timeout"], "States.Timeout", True),
        (["States.Runtime"], "States.Runtime", False),
        (["States.ALL"], "States.Runtime", False),
        (["States.TaskFailed"], "States.Runtime", False),
    ],
)
def test_error_equals_matching(error_equals: list[str], error: str, expected: bool) -> None:
    assert matches(error_equals, error) is expected


def test_find_catcher_returns_the_first_that_matches() -> None:
    catchers = [
        Catcher.model_validate({"ErrorEquals": ["A"], "Next": "first"}),
        Catcher.model_validate({"ErrorEquals": ["B", "States.ALL"], "Next": "second"}),
        Catcher.model_validate({"ErrorEquals": ["B"], "Next": "third"}),
    ]

    found = [find_catcher(catchers, error) for error in ("A", "B", "States.Runtime")]

    assert [c.next if c else None for c in found] == ["first", "second", None]
