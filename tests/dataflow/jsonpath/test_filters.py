"""Filter predicates with Jayway's operators and comparison rules."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator.dataflow.jsonpath import read_path

ITEMS: dict[str, Any] = {
    "limit": 2,
    "items": [
        {"id": 1, "name": "apple", "tags": ["red"], "price": 1.5},
        {"id": 2, "name": "Banana", "tags": [], "flag": False},
        {"id": 3, "name": "cherry", "tags": ["red", "small"], "price": None},
    ],
}


def ids(path: str) -> list[Any]:
    return [item["id"] for item in read_path(path, ITEMS)]


@pytest.mark.parametrize(
    ("predicate", "expected"),
    [
        ("@.id == 2", [2]),
        ("@.id != 2", [1, 3]),
        ("@.id > 1", [2, 3]),
        ("@.id >= 2 && @.id < 3", [2]),
        ("@.id == 1 || @.id == 3", [1, 3]),
        ("!(@.id == 1)", [2, 3]),
        ("@.price", [1, 3]),
        ("@.flag", [2]),
        ("!@.price", [2]),
        ("@.price == null", [3]),
        ("@.id == 1.0", [1]),
        ("@.id == '2'", [2]),
        ("@.name =~ /b.*/i", [2]),
        ("@.name =~ /an/", []),
        ("@.id in [1, 3]", [1, 3]),
        ("@.id nin [1, 3]", [2]),
        ("@.tags subsetof ['red', 'small']", [1, 2, 3]),
        ("@.tags anyof ['small']", [3]),
        ("@.tags noneof ['red']", [2]),
        ("@.tags size 2", [3]),
        ("@.tags empty true", [2]),
        ("@.name < 'b'", [1, 2]),
        ("@.id > 'a'", []),
        ("@.id <= $.limit", [1, 2]),
        ("@.tags.length() > 1", [3]),
    ],
)
def test_a_filter_keeps_the_elements_its_predicate_accepts(predicate: str, expected: list[int]) -> None:
    assert ids(f"$.items[?({predicate})]") == expected


def test_a_filter_on_an_object_tests_the_object_itself() -> None:
    assert read_path("$.item[?(@.id == 1)]", {"item": {"id": 1}}) == [{"id": 1}]


def test_a_filter_on_scalars_uses_the_current_element() -> None:
    assert read_path("$.values[?(@ > 2)]", {"values": [1, 2, 3, 4]}) == [3, 4]


def test_booleans_are_not_numbers_in_comparisons() -> None:
    assert read_path("$.values[?(@ == 1)]", {"values": [True, 1, 1.0]}) == [1, 1.0]
