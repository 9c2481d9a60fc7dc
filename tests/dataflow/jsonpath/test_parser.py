"""Which texts are JSONPaths (and which are ASL Reference Paths)."""

from __future__ import annotations

import pytest

from orchestrator.dataflow.jsonpath import InvalidPathError, compile_path, is_reference_path, is_valid_path


@pytest.mark.parametrize(
    "path",
    [
        "$",
        "$.a",
        "$.a.b[0]",
        "$['a b']",
        "$.a[-1]",
        "$.a[*]",
        "$.*",
        "$..a",
        "$..*",
        "$..[0]",
        "$.a[1:3]",
        "$.a[:2]",
        "$.a[0,1]",
        "$['a','b']",
        "$.a[?(@.x > 1)]",
        "$.a[?(@.x == 'y' && !@.z)]",
        "$.a[?(@.name =~ /ab.*/i)]",
        "$.a.length()",
        "$.delivery-partner",
        " $.a ",
    ],
)
def test_valid_paths(path: str) -> None:
    assert is_valid_path(path)


@pytest.mark.parametrize(
    "path",
    [
        "",
        "a",
        "$.",
        "$..",
        "$$.x",
        "$x",
        "$.a b",
        "$[",
        "$['a'",
        "$.a[x]",
        "$.a[1:2:3]",
        "$.nope()",
        "$.length().a",
        "$.a[?(@.x ==)]",
        "$.a[?(@.x)",
        "$a",
    ],
)
def test_invalid_paths(path: str) -> None:
    assert not is_valid_path(path)
    with pytest.raises(InvalidPathError):
        compile_path(path)


@pytest.mark.parametrize("path", ["$", "$.a", "$.a.b", "$['a'].b", "$.a[0]", "$.a[0].b[12]"])
def test_reference_paths(path: str) -> None:
    assert is_reference_path(path)


@pytest.mark.parametrize(
    "path",
    ["$.a[*]", "$..a", "$.a[-1]", "$.a[0,1]", "$.a[1:2]", "$['a','b']", "$.a[?(@.x)]", "$.a.length()", "x"],
)
def test_not_reference_paths(path: str) -> None:
    assert not is_reference_path(path)
