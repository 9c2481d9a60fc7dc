"""Properties of the intrinsic functions over generated arguments."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from orchestrator.dataflow.intrinsics import evaluate
from orchestrator.dataflow.values import json_equal

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-1000, 1000)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=4)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=10,
)


def call(text: str, **state_input: Any) -> Any:
    return evaluate(text, state_input, {})


@given(st.lists(JSON, max_size=20), st.integers(1, 25))
def test_array_partition_chunks_concatenate_to_the_input(items: list[Any], size: int) -> None:
    chunks = call("States.ArrayPartition($.a, $.n)", a=items, n=size)

    assert [item for chunk in chunks for item in chunk] == items
    assert all(len(chunk) == size for chunk in chunks[:-1])
    assert all(0 < len(chunk) <= size for chunk in chunks)


@given(st.integers(-500, 500), st.integers(-500, 500), st.integers(-50, 50).filter(bool))
def test_array_range_matches_an_inclusive_python_range(start: int, end: int, step: int) -> None:
    expected = list(range(start, end + (1 if step > 0 else -1), step))

    assert call("States.ArrayRange($.a, $.b, $.c)", a=start, b=end, c=step) == expected
    assert len(expected) <= 1000


@given(st.text(max_size=200))
def test_base64_round_trips_any_text(text: str) -> None:
    encoded = call("States.Base64Encode($.s)", s=text)

    assert call("States.Base64Decode($.s)", s=encoded) == text


@given(JSON)
def test_json_to_string_and_back_is_the_same_value(value: Any) -> None:
    text = call("States.JsonToString($.v)", v=value)

    assert json_equal(call("States.StringToJson($.s)", s=text), value)


@given(st.lists(JSON, max_size=12))
def test_array_unique_has_no_duplicates_and_keeps_every_value(items: list[Any]) -> None:
    unique = call("States.ArrayUnique($.a)", a=items)

    assert all(not json_equal(a, b) for index, a in enumerate(unique) for b in unique[index + 1 :])
    assert all(call("States.ArrayContains($.u, $.v)", u=unique, v=item) for item in items)


@given(st.integers(-(2**20), 2**20), st.integers(-(2**20), 2**20))
def test_math_add_adds_integers(left: int, right: int) -> None:
    assert call("States.MathAdd($.a, $.b)", a=left, b=right) == left + right


@given(st.integers(-1000, 1000), st.integers(1, 1000), st.integers())
def test_math_random_with_a_seed_is_in_range_and_repeatable(start: int, width: int, seed: int) -> None:
    first = call("States.MathRandom($.a, $.b, $.s)", a=start, b=start + width, s=seed)

    assert start <= first < start + width
    assert call("States.MathRandom($.a, $.b, $.s)", a=start, b=start + width, s=seed) == first


@given(st.text(alphabet="ab,;", max_size=30), st.text(alphabet=",;", min_size=1, max_size=2))
def test_string_split_parts_are_non_empty_and_free_of_delimiters(text: str, delimiters: str) -> None:
    parts = call("States.StringSplit($.s, $.d)", s=text, d=delimiters)

    assert all(part and not set(part) & set(delimiters) for part in parts)
    assert "".join(parts) == "".join(char for char in text if char not in delimiters)
