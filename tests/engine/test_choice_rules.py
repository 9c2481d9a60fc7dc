"""Choice rules in JSONPath mode: every comparison operator and its Path variant, the Is* tests,
StringMatches wildcards, timestamps with offsets, And/Or/Not, and a few properties."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orchestrator.asl.models import ChoiceRule
from orchestrator.engine.choice_rules import evaluate_rule
from orchestrator.errors import StatesError

CONTEXT = {"Execution": {"Name": "exec-1"}, "State": {"Name": "Choose"}}


def holds(rule: dict[str, Any], value: Any, context: Any = None) -> bool:
    return evaluate_rule(ChoiceRule.model_validate({**rule, "Next": "X"}), value, context or CONTEXT)


def compare(operator: str, value: Any, operand: Any) -> bool:
    """``operator`` applied to ``$.v`` = ``value`` and the literal ``operand``."""
    return holds({"Variable": "$.v", operator: operand}, {"v": value})


def compare_path(operator: str, value: Any, operand: Any) -> bool:
    """``operator``+``Path`` applied to ``$.v`` = ``value`` and ``$.w`` = ``operand``."""
    return holds({"Variable": "$.v", f"{operator}Path": "$.w"}, {"v": value, "w": operand})


ORDERINGS = [
    # (operator suffix, smaller-vs-larger, equal, larger-vs-smaller)
    ("Equals", False, True, False),
    ("LessThan", True, False, False),
    ("GreaterThan", False, False, True),
    ("LessThanEquals", True, True, False),
    ("GreaterThanEquals", False, True, True),
]

FAMILIES = [
    ("Numeric", 1, 2.5),
    ("String", "apple", "banana"),
    ("Timestamp", "2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z"),
]


@pytest.mark.parametrize("evaluate", [compare, compare_path], ids=["literal", "path"])
@pytest.mark.parametrize(("family", "small", "large"), FAMILIES, ids=[f[0] for f in FAMILIES])
@pytest.mark.parametrize(("suffix", "below", "equal", "above"), ORDERINGS, ids=[o[0] for o in ORDERINGS])
def test_every_ordering_operator_of_every_family(
    evaluate: Any, family: str, small: Any, large: Any, suffix: str, below: bool, equal: bool, above: bool
) -> None:
    operator = family + suffix

    outcomes = (
        evaluate(operator, small, large),
        evaluate(operator, small, small),
        evaluate(operator, large, small),
    )

    assert outcomes == (below, equal, above)


@pytest.mark.parametrize("evaluate", [compare, compare_path], ids=["literal", "path"])
def test_boolean_equals(evaluate: Any) -> None:
    assert (evaluate("BooleanEquals", True, True), evaluate("BooleanEquals", False, True)) == (True, False)


@pytest.mark.parametrize(
    ("operator", "value", "operand"),
    [
        ("NumericEquals", "1", 1),
        ("NumericEquals", True, 1),
        ("NumericLessThan", None, 5),
        ("StringEquals", 1, "1"),
        ("StringEquals", ["a"], "a"),
        ("BooleanEquals", "true", True),
        ("BooleanEquals", 1, True),
        ("TimestampEquals", 1704067200, "2024-01-01T00:00:00Z"),
        ("TimestampLessThan", "not a timestamp", "2024-01-01T00:00:00Z"),
        ("StringMatches", 5, "*"),
    ],
)
def test_a_value_of_the_wrong_type_makes_the_comparison_false(
    operator: str, value: Any, operand: Any
) -> None:
    assert compare(operator, value, operand) is False


def test_a_path_operand_of_the_wrong_type_makes_the_comparison_false() -> None:
    assert compare_path("NumericGreaterThan", 5, "1") is False


def test_numeric_equals_compares_ints_and_floats_by_value() -> None:
    assert compare("NumericEquals", 1, 1.0) is True


# ---- Is* tests ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operator", "value"),
    [
        ("IsNull", None),
        ("IsNumeric", 3),
        ("IsNumeric", -1.5),
        ("IsString", ""),
        ("IsBoolean", False),
        ("IsTimestamp", "2024-02-29T12:30:00.5+05:30"),
        ("IsPresent", None),
    ],
)
def test_type_tests_hold_for_their_type_and_their_negation_does_not(operator: str, value: Any) -> None:
    assert (compare(operator, value, True), compare(operator, value, False)) == (True, False)


@pytest.mark.parametrize(
    ("operator", "value"),
    [
        ("IsNull", 0),
        ("IsNumeric", "3"),
        ("IsNumeric", True),
        ("IsString", None),
        ("IsBoolean", "true"),
        ("IsTimestamp", "2024-01-01"),
        ("IsTimestamp", "2024-01-01 00:00:00Z"),
        ("IsTimestamp", "2024-13-01T00:00:00Z"),
    ],
)
def test_type_tests_do_not_hold_for_other_values(operator: str, value: Any) -> None:
    assert compare(operator, value, True) is False


def test_is_present_on_a_missing_path_is_false_and_its_negation_true() -> None:
    rule = {"Variable": "$.missing.deeper"}

    assert (holds({**rule, "IsPresent": True}, {}), holds({**rule, "IsPresent": False}, {})) == (False, True)


def test_a_missing_variable_is_a_runtime_error_for_other_operators() -> None:
    with pytest.raises(StatesError) as raised:
        holds({"Variable": "$.missing", "IsNull": True}, {})

    assert raised.value.error == "States.Runtime"
    assert "Invalid path '$.missing'" in raised.value.cause


def test_a_missing_path_operand_is_a_runtime_error() -> None:
    with pytest.raises(StatesError) as raised:
        holds({"Variable": "$.v", "StringEqualsPath": "$.nope"}, {"v": "a"})

    assert (raised.value.error, "'$.nope'" in raised.value.cause) == ("States.Runtime", True)


def test_the_variable_may_address_the_context_object() -> None:
    assert holds({"Variable": "$$.Execution.Name", "StringEquals": "exec-1"}, {}) is True


def test_a_path_operand_may_address_the_context_object() -> None:
    assert holds({"Variable": "$.n", "StringEqualsPath": "$$.State.Name"}, {"n": "Choose"}) is True


# ---- StringMatches --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        ("log-*.txt", "log-2024-01.txt", True),
        ("log-*.txt", "log-.txt", True),
        ("log-*.txt", "log-1.txt.gz", False),
        ("*", "", True),
        ("a*b*c", "aXXbYYc", True),
        ("exact", "exact", True),
        ("exact", "exactly", False),
        ("a.c", "abc", False),
        ("(x)+", "(x)+", True),
        ("multi*", "multi\nline", True),
        (r"star\*", "star*", True),
        (r"star\*", "starry", False),
        ("back\\\\slash", "back\\slash", True),
        ("back\\\\*", "back\\anything", True),
    ],
)
def test_string_matches_wildcards_and_escapes(pattern: str, value: str, expected: bool) -> None:
    assert compare("StringMatches", value, pattern) is expected


# ---- timestamps -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("2024-01-01T01:00:00+01:00", "2024-01-01T00:00:00Z"),
        ("2023-12-31T19:00:00-05:00", "2024-01-01T00:00:00Z"),
        ("2024-01-01T00:00:00.000Z", "2024-01-01T00:00:00Z"),
        ("2024-01-01T05:30:00.250+05:30", "2024-01-01T00:00:00.25Z"),
    ],
)
def test_timestamps_compare_as_instants_whatever_their_offset(left: str, right: str) -> None:
    assert compare("TimestampEquals", left, right) is True


def test_fractional_seconds_order_timestamps() -> None:
    assert compare("TimestampLessThan", "2024-01-01T00:00:00.1Z", "2024-01-01T00:00:00.2Z") is True


def test_an_offset_moves_a_timestamp_past_a_later_looking_one() -> None:
    assert compare("TimestampGreaterThan", "2024-01-01T10:00:00-05:00", "2024-01-01T12:00:00Z") is True


# ---- And / Or / Not ---------------------------------------------------------------------------------


BETWEEN = {"And": [{"Variable": "$.n", "NumericGreaterThan": 1}, {"Variable": "$.n", "NumericLessThan": 10}]}
EDGES = {"Or": [{"Variable": "$.n", "NumericEquals": 0}, {"Variable": "$.n", "NumericEquals": 100}]}


@pytest.mark.parametrize(
    ("n", "between", "edge"), [(5, True, False), (0, False, True), (100, False, True), (10, False, False)]
)
def test_and_or(n: int, between: bool, edge: bool) -> None:
    assert (holds(BETWEEN, {"n": n}), holds(EDGES, {"n": n})) == (between, edge)


def test_not_negates_and_nests() -> None:
    rule = {"Not": {"Or": [BETWEEN, {"Not": {"Variable": "$.s", "StringEquals": "x"}}]}}

    assert (
        holds(rule, {"n": 50, "s": "x"}),
        holds(rule, {"n": 5, "s": "x"}),
        holds(rule, {"n": 50, "s": "y"}),
    ) == (
        True,
        False,
        False,
    )


def test_and_stops_at_the_first_false_rule() -> None:
    # The second rule would raise States.Runtime (missing variable) if it were evaluated.
    rule = {"And": [{"Variable": "$.n", "NumericEquals": 0}, {"Variable": "$.missing", "NumericEquals": 0}]}

    assert holds(rule, {"n": 1}) is False


# ---- properties -----------------------------------------------------------------------------------

NUMBERS = st.integers(min_value=-(2**53), max_value=2**53) | st.floats(allow_nan=False, allow_infinity=False)
JSON_SCALARS = st.none() | st.booleans() | NUMBERS | st.text(max_size=8)


@given(NUMBERS, NUMBERS)
def test_numeric_operators_agree_with_python_ordering(a: float, b: float) -> None:
    assert compare("NumericLessThan", a, b) == (a < b)
    assert compare("NumericGreaterThanEquals", a, b) == (a >= b)
    assert compare_path("NumericEquals", a, b) == (a == b)


@given(st.text())
def test_string_equals_is_reflexive(text: str) -> None:
    assert compare("StringEquals", text, text) is True
    assert compare("StringLessThan", text, text) is False


@given(st.text(), st.text())
def test_string_less_than_and_greater_than_are_exclusive(a: str, b: str) -> None:
    outcomes = [
        compare("StringLessThan", a, b),
        compare("StringEquals", a, b),
        compare("StringGreaterThan", a, b),
    ]

    assert outcomes.count(True) == 1


@given(st.text(alphabet=st.characters(exclude_characters="*\\"), max_size=12))
def test_a_pattern_without_wildcards_matches_only_itself(text: str) -> None:
    assert compare("StringMatches", text, text) is True
    assert compare("StringMatches", text + "x", text) is False


@given(JSON_SCALARS)
def test_not_is_the_negation_of_its_rule(value: Any) -> None:
    rule = {"Variable": "$.v", "IsString": True}

    assert holds({"Not": rule}, {"v": value}) is not holds(rule, {"v": value})
