"""Step Functions' JSONata functions: $partition, $range, $hash, $random, $uuid, $parse (and no $eval)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.dataflow.jsonata.conftest import Evaluate

FAILED = "The JSONata expression '{}' specified for the field 'Output' threw an error during evaluation. {}"


@pytest.mark.parametrize(
    ("arguments", "result"),
    [
        # Recorded: test_array_jsonata test_array_range_0 .. 3 (a single value is not wrapped in an array).
        ({"fst": 0, "snd": 9, "trd": 3}, [0, 3, 6, 9]),
        ({"fst": 0, "snd": 10, "trd": 3}, [0, 3, 6, 9]),
        ({"fst": 1, "snd": 9, "trd": 9}, 1),
        ({"fst": 1, "snd": 9, "trd": 2}, [1, 3, 5, 7, 9]),
    ],
)
def test_range_as_recorded(evaluate: Evaluate, arguments: dict[str, int], result: Any) -> None:
    expression = (
        "{% $range($states.input.FunctionInput.fst, $states.input.FunctionInput.snd,"
        " $states.input.FunctionInput.trd) %}"
    )

    assert evaluate(expression, {"FunctionInput": arguments}) == result


def test_range_counts_down_with_a_negative_step(evaluate: Evaluate) -> None:
    assert evaluate("{% $range(10, 0, -4) %}") == [10, 6, 2]


def test_range_rounds_non_integers_down(evaluate: Evaluate) -> None:
    assert evaluate("{% $range(0.9, 4.5, 1.9) %}") == [0, 1, 2, 3, 4]


def test_range_that_never_starts_is_undefined(cause_of: Callable[..., str]) -> None:
    assert cause_of("{% $range(5, 1, 1) %}").endswith("returned nothing (undefined).")


def test_range_with_a_zero_step_fails(cause_of: Callable[..., str]) -> None:
    assert cause_of("{% $range(0, 10, 0) %}") == FAILED.format(
        "$range(0, 10, 0)", "The third argument of the range function must not be zero"
    )


def test_range_of_strings_fails_its_signature(cause_of: Callable[..., str]) -> None:
    assert cause_of("{% $range('a', 10, 1) %}").endswith(
        'T0410: Argument 1 of function "range" does not match function signature'
    )


def test_partition_chunks_an_array(evaluate: Evaluate) -> None:
    assert evaluate("{% $partition([1, 2, 3, 4, 5], 2) %}") == [[1, 2], [3, 4], [5]]


def test_partition_keeps_a_single_chunk_two_dimensional(evaluate: Evaluate) -> None:
    assert evaluate("{% $partition($states.input, 2.7) %}", [1, 2]) == [[1, 2]]


def test_partition_of_an_empty_array_is_empty(evaluate: Evaluate) -> None:
    assert evaluate("{% $partition([], 3) %}") == []


@pytest.mark.parametrize("size", ["0", "-1", "0.5"])
def test_partition_needs_a_positive_size(cause_of: Callable[..., str], size: str) -> None:
    assert cause_of(f"{{% $partition([1, 2], {size}) %}}").endswith(
        "The second argument of the partition function must be a positive integer"
    )


def test_partition_does_not_change_its_input(evaluate: Evaluate) -> None:
    state_input = {"items": [1, 2, 3]}

    chunks = evaluate("{% $partition($states.input.items, 3) %}", state_input)
    chunks[0].append(4)

    assert state_input == {"items": [1, 2, 3]}


@pytest.mark.parametrize(
    ("algorithm", "digest"),
    [
        ("MD5", "812f45842bc6d66ee14572ce20db8e86"),
        ("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
        ("SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
        (
            "SHA-384",
            "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562",
        ),
        (
            "SHA-512",
            "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a"
            "533d30d425402d4f91316d871303aac4",
        ),
    ],
)
def test_hash_as_states_hash(evaluate: Evaluate, algorithm: str, digest: str) -> None:
    # Same digests as the recorded States.Hash cases (test_hash_calculations, "input data").
    assert (
        evaluate(
            "{% $hash($states.input.data, $states.input.algorithm) %}",
            {
                "data": "input data",
                "algorithm": algorithm,
            },
        )
        == digest
    )


def test_hash_with_an_unknown_algorithm_fails(cause_of: Callable[..., str]) -> None:
    assert cause_of("{% $hash('x', 'SHA-3') %}").endswith(
        "The second argument of the hash function must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512"
    )


def test_hash_of_a_number_fails_its_signature(cause_of: Callable[..., str]) -> None:
    assert cause_of("{% $hash(1, 'MD5') %}").endswith(
        'T0410: Argument 1 of function "hash" does not match function signature'
    )


def test_random_is_in_the_unit_interval(evaluate: Evaluate) -> None:
    values = [evaluate("{% $random() %}") for _ in range(20)]

    assert all(0 <= value < 1 for value in values)
    assert len(set(values)) > 1


def test_seeded_random_is_always_the_same_number(evaluate: Evaluate) -> None:
    first = evaluate("{% $random($states.input.seed) %}", {"seed": 42})

    assert evaluate("{% $random(42) %}") == first
    assert evaluate("{% $random(42.9) %}") == first
    assert 0 <= first < 1
    assert evaluate("{% $random(43) %}") != first


def test_seeded_random_is_java_util_random_next_double(evaluate: Evaluate) -> None:
    # new java.util.Random(42).nextDouble()
    assert evaluate("{% $random(42) %}") == 0.7275636800328681


def test_random_with_a_string_seed_fails_its_signature(cause_of: Callable[..., str]) -> None:
    assert cause_of("{% $random('x') %}").endswith(
        'T0410: Argument 1 of function "random" does not match function signature'
    )


def test_uuid_is_a_random_version_4_uuid(evaluate: Evaluate) -> None:
    first, second = evaluate("{% $uuid() %}"), evaluate("{% $uuid() %}")

    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", first)
    assert first != second


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # Recorded: test_json_manipulation_jsonata test_parse_0 .. 6.
        ("-0", 0),
        ("1", 1),
        ("1.1", 1.1),
        ("true", True),
        ('"HelloWorld"', "HelloWorld"),
        ('[1, 2, "HelloWorld"]', [1, 2, "HelloWorld"]),
        ('{"Arg1": 1, "Arg2": []}', {"Arg1": 1, "Arg2": []}),
    ],
)
def test_parse_as_recorded(evaluate: Evaluate, text: str, value: Any) -> None:
    result = evaluate("{% $parse($states.input.FunctionInput) %}", {"FunctionInput": text})

    assert result == value
    assert type(result) is type(value)


def test_parse_of_null_is_null_not_undefined(evaluate: Evaluate) -> None:
    assert evaluate("{% $parse('null') %}") is None


def test_parse_of_invalid_json_fails(cause_of: Callable[..., str]) -> None:
    cause = cause_of("{% $parse('{not json') %}")

    assert "The argument of the parse function must be a JSON text" in cause


def test_eval_is_not_available(cause_of: Callable[..., str]) -> None:
    assert cause_of("{% $eval('1 + 1') %}") == FAILED.format(
        "$eval('1 + 1')", "T1006: Attempted to invoke a non-function"
    )


def test_an_unknown_function_is_not_a_function(cause_of: Callable[..., str]) -> None:
    # Recorded: test_math_operations_jsonata test_math_random_seeded.
    cause = cause_of(
        "{% $randomSeeded($states.input.FunctionInput.fst) %}",
        {"FunctionInput": "fst"},
        field="Output/FunctionResult",
    )

    assert cause == (
        "The JSONata expression '$randomSeeded($states.input.FunctionInput.fst)' specified for the field "
        "'Output/FunctionResult' threw an error during evaluation. T1006: Attempted to invoke a non-function"
    )


def test_number_of_a_non_numeric_string_fails_as_in_javascript(cause_of: Callable[..., str]) -> None:
    assert cause_of("{% $number('x') %}").endswith('D3030: Unable to cast value to a number: "x"')


def test_number_still_converts(evaluate: Evaluate) -> None:
    assert evaluate("{% $number('12.5') + $number(true) %}") == 13.5
