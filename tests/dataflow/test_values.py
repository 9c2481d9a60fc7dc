"""Type-strict JSON equality."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator.dataflow.values import canonical_key, json_equal


@pytest.mark.parametrize(
    ("left", "right", "equal"),
    [
        (1, 1, True),
        (1, 1.0, False),
        (True, 1, False),
        (None, None, True),
        ({"a": [1, {"b": 2}]}, {"a": [1, {"b": 2}]}, True),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}, True),
        ([1, 2], [2, 1], False),
        ({"a": 1}, {"a": 1, "b": 2}, False),
    ],
)
def test_json_equal_and_canonical_key_agree(left: Any, right: Any, equal: bool) -> None:
    assert json_equal(left, right) is equal
    assert (canonical_key(left) == canonical_key(right)) is equal
