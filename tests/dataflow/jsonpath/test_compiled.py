"""Reading paths: definite paths give a value, indefinite ones a list, misses fail as Jayway (AWS) words it."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator.dataflow.jsonpath import PathNotFound, compile_path, read_path

DOCUMENT: dict[str, Any] = {
    "a": {"b": [1, 2, {"c": 3}], "n": None, "s": "text", "f": 1.5},
    "users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}],
    "delivery-partner": "UQS",
}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$", DOCUMENT),
        ("$.a.s", "text"),
        ("$['a']['s']", "text"),
        ('$["a"].s', "text"),
        ("$.a.b[2].c", 3),
        ("$.a.b[-1]", {"c": 3}),
        ("$.a.n", None),
        ("$.delivery-partner", "UQS"),
        ("$.['a'].f", 1.5),
        ("$['a','delivery-partner']", {"a": DOCUMENT["a"], "delivery-partner": "UQS"}),
    ],
)
def test_a_definite_path_reads_one_value(path: str, expected: Any) -> None:
    assert read_path(path, DOCUMENT) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$.users[*].year", [1997, 1998]),
        ("$.users.*.status", [0, 1]),
        ("$..year", [1997, 1998]),
        ("$..c", [3]),
        ("$.a.b[0,1]", [1, 2]),
        ("$.a.b[1:]", [2, {"c": 3}]),
        ("$.a.b[:-1]", [1, 2]),
        ("$.users[?(@.status == 0)]", [{"year": 1997, "status": 0}]),
        ("$.users[*].missing", []),
        ("$.a.s[*]", []),
    ],
)
def test_an_indefinite_path_reads_a_list(path: str, expected: list[Any]) -> None:
    assert read_path(path, DOCUMENT) == expected


def test_a_deep_scan_lists_matches_in_document_order() -> None:
    document = {"x": 1, "a": {"x": 2, "b": [{"x": 3}]}, "c": {"x": 4}}

    assert read_path("$..x", document) == [1, 2, 3, 4]


def test_the_recorded_bracket_escape_case_keeps_the_backslash() -> None:
    # Recorded: test_escape_sequence_parsing[ESCAPE_SEQUENCES_JSONPATH] reads $['Test\""Name"'].
    document = {'Test\\""Name"': 'Value"\\'}

    assert read_path('$[\'Test\\""Name"\']', document) == 'Value"\\'


def test_a_missing_last_property_finds_no_results() -> None:
    # Recorded: "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']".
    with pytest.raises(PathNotFound) as raised:
        read_path("$.NoSuchInputPath", {"int-literal": 0})

    assert raised.value.detail == "No results for path: $['NoSuchInputPath']"
    assert (
        raised.value.cause == "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"
    )


def test_a_missing_intermediate_property_is_a_missing_property() -> None:
    # Recorded: "Invalid path '$.no.such.result.path' : Missing property in path $['no']".
    with pytest.raises(PathNotFound) as raised:
        read_path("$.no.such.result.path", {})

    assert raised.value.detail == "Missing property in path $['no']"


def test_a_property_of_a_scalar_names_the_java_class_found() -> None:
    with pytest.raises(PathNotFound) as raised:
        read_path("$.a.s.x", DOCUMENT)

    assert raised.value.detail == (
        "Expected to find an object with property ['x'] in path $['a']['s'] but found 'java.lang.String'. "
        "This is not a json object according to the JsonProvider: "
        "'com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider'."
    )


def test_an_index_of_a_non_array_is_a_filter_error() -> None:
    with pytest.raises(PathNotFound) as raised:
        read_path("$.a[0].b", DOCUMENT)

    assert raised.value.detail.startswith(
        "Filter: [0]['b'] can only be applied to arrays. Current context is: {"
    )


def test_an_index_of_null_says_the_path_is_null() -> None:
    with pytest.raises(PathNotFound) as raised:
        read_path("$.a.n[0]", DOCUMENT)

    assert raised.value.detail == "The path $['a']['n'] is null"


def test_an_index_past_the_end_reads_null_like_jackson() -> None:
    assert read_path("$.a.b[7]", DOCUMENT) is None


def test_an_index_past_the_end_is_a_miss_in_strict_mode() -> None:
    with pytest.raises(PathNotFound):
        compile_path("$.a.b[7]").read(DOCUMENT, strict=True)


def test_a_missing_property_before_an_indefinite_step_still_fails() -> None:
    with pytest.raises(PathNotFound) as raised:
        read_path("$.missing[*]", DOCUMENT)

    assert raised.value.detail == "Missing property in path $['missing']"


def test_compiled_paths_are_cached_and_expose_their_steps() -> None:
    compiled = compile_path("$.a.b[0]")

    assert compile_path("$.a.b[0]") is compiled
    assert compiled.steps == ("a", "b", 0)
    assert compiled.definite
    assert compile_path("$.a[*]").steps is None
    assert not compile_path("$.a[*]").definite
    assert compiled.jayway == "$['a']['b'][0]"
