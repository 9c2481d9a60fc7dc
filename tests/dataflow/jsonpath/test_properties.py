"""Properties of the path evaluator over generated JSON documents and paths."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orchestrator.dataflow.jsonpath import apply_result_path, compile_path, is_reference_path, read_path
from orchestrator.errors import StatesError

NAMES = st.text(
    alphabet=st.characters(categories=("L", "N"), include_characters="_-"), min_size=1, max_size=8
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=5)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(NAMES, inner, max_size=4),
    max_leaves=20,
)


def dotted(names: list[str]) -> str:
    return "$" + "".join(f".{name}" for name in names)


def bracketed(names: list[str]) -> str:
    return "$" + "".join(f"['{name}']" for name in names)


def applicable(document: Any, names: list[str]) -> bool:
    """Every node the path passes through before its last name is an object or missing."""
    node = document
    for name in names[:-1]:
        if not isinstance(node, dict):
            return False
        if name not in node:
            return True
        node = node[name]
    return isinstance(node, dict)


@given(st.lists(NAMES, min_size=1, max_size=5), JSON, JSON)
def test_what_result_path_writes_read_path_reads_back(names: list[str], document: Any, result: Any) -> None:
    if not applicable(document, names):
        with pytest.raises(StatesError):
            apply_result_path(document, dotted(names), result)
        return

    written = apply_result_path(document, dotted(names), result)

    assert read_path(dotted(names), written) == result
    assert read_path(bracketed(names), written) == result


@given(st.lists(NAMES, min_size=1, max_size=3), st.dictionaries(NAMES, JSON, max_size=4), JSON)
def test_result_path_writes_into_objects_created_on_the_way(
    names: list[str], document: Any, result: Any
) -> None:
    fresh = "_" + "".join(document) + names[0]  # longer than every key, so not one of them

    written = apply_result_path(document, dotted([fresh, *names]), result)

    assert read_path(dotted([fresh, *names]), written) == result
    assert {key: value for key, value in written.items() if key != fresh} == document


@given(st.lists(NAMES, min_size=1, max_size=5))
def test_dotted_and_bracketed_names_compile_to_the_same_reference_path(names: list[str]) -> None:
    assert is_reference_path(dotted(names))
    assert compile_path(dotted(names)).steps == compile_path(bracketed(names)).steps == tuple(names)


@given(JSON)
def test_a_deep_wildcard_reaches_every_value_below_the_root(document: Any) -> None:
    def count(value: Any) -> int:
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
        return sum(1 + count(child) for child in children)

    assert len(read_path("$..*", document)) == count(document)


@given(st.lists(SCALARS, max_size=10), st.integers(-12, 12), st.integers(-12, 12))
def test_slices_select_like_python_slices(items: list[Any], start: int, stop: int) -> None:
    assert read_path(f"$.items[{start}:{stop}]", {"items": items}) == items[start:stop]


@given(st.lists(SCALARS, min_size=1, max_size=10), st.data())
def test_an_index_reads_the_element(items: list[Any], data: st.DataObject) -> None:
    index = data.draw(st.integers(-len(items), len(items) - 1))

    assert read_path(f"$.items[{index}]", {"items": items}) == items[index]
