"""States.UUID."""

from __future__ import annotations

import uuid

from orchestrator.dataflow.intrinsics import evaluate


def test_uuid_is_a_random_version_4_uuid() -> None:
    first, second = evaluate("States.UUID()", None, {}), evaluate("States.UUID()", None, {})

    assert uuid.UUID(first).version == 4
    assert first != second
