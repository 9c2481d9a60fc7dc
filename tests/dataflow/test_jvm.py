"""Java rendering and rounding rules that AWS's runtime leaks into outputs."""

from __future__ import annotations

import pytest

from orchestrator.dataflow.jvm import JavaRandom, java_class_name, java_double_str, java_round, java_to_string


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "1.0"),
        (0.001, "0.001"),
        (1234567.0, "1234567.0"),
        (1e7, "1.0E7"),
        (1.5e-5, "1.5E-5"),
        (-2.5e-10, "-2.5E-10"),
        (123456789.123, "1.23456789123E8"),
        (0.0, "0.0"),
        (float("inf"), "Infinity"),
    ],
)
def test_double_to_string(value: float, text: str) -> None:
    assert java_double_str(value) == text


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(1.49, 1), (1.5, 2), (-1.5, -1), (-2.5, -2), (2.5, 3), (-0.5, 0), (0.49999999999999994, 0)],
)
def test_math_round_ties_go_up(value: float, rounded: int) -> None:
    assert java_round(value) == rounded


def test_to_string_of_maps_and_lists() -> None:
    assert java_to_string({"a": [1, "x", None], "b": {"c": False}}) == "{a=[1, x, null], b={c=false}}"


def test_class_names() -> None:
    assert [java_class_name(value) for value in ("s", True, 1, 2**40, 2**70, 1.5, None, [])] == [
        "java.lang.String",
        "java.lang.Boolean",
        "java.lang.Integer",
        "java.lang.Long",
        "java.math.BigInteger",
        "java.lang.Double",
        "null",
        "com.fasterxml.jackson.databind.node.ArrayNode",
    ]


def test_java_random_matches_the_jvm_sequence() -> None:
    # new Random(42).nextInt() == -1170105035 on the JVM; nextInt(10) gives 0, 3, 8, ...
    assert JavaRandom(42)._next(32) == -1170105035
    generator = JavaRandom(42)
    assert [generator.next_int(10) for _ in range(3)] == [0, 3, 8]
    assert JavaRandom(7).next_int(16) == JavaRandom(7).next_int(16)
