"""Path functions at the end of a path."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator.dataflow.jsonpath import PathNotFound, read_path

DATA: dict[str, Any] = {"numbers": [1, 2, 3, 4], "object": {"a": 1, "b": 2}, "text": "abc", "empty": []}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$.numbers.length()", 4),
        ("$.object.length()", 2),
        ("$.text.length()", None),
        ("$.numbers.min()", 1.0),
        ("$.numbers.max()", 4.0),
        ("$.numbers.sum()", 10.0),
        ("$.numbers.avg()", 2.5),
        ("$.numbers.stddev()", 1.118033988749895),
        ("$.object.keys()", ["a", "b"]),
        ("$.numbers.first()", 1),
        ("$.numbers.last()", 4),
        ("$.numbers[*].length()", 4),
    ],
)
def test_a_function_applies_to_what_the_path_found(path: str, expected: Any) -> None:
    assert read_path(path, DATA) == expected


def test_an_aggregation_of_no_numbers_fails() -> None:
    with pytest.raises(PathNotFound) as raised:
        read_path("$.empty.sum()", DATA)

    assert raised.value.detail == "Aggregation function attempted to calculate value using empty array"
