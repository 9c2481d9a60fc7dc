"""Reading a path from the state input, the context object or a variable."""

from __future__ import annotations

import pytest

from orchestrator.dataflow.jsonpath import InvalidPathError, PathNotFound
from orchestrator.dataflow.references import read_reference

STATE_INPUT = {"a": [1, 2]}
CONTEXT = {"Execution": {"Name": "ex"}}
VARIABLES = {"PokemonList": ["Charizard", "Pikachu"], "_x1": {"y": 1}}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$", STATE_INPUT),
        ("$.a[1]", 2),
        ("$$.Execution.Name", "ex"),
        ("$$", CONTEXT),
        ("$PokemonList", ["Charizard", "Pikachu"]),
        ("$PokemonList[0]", "Charizard"),
        ("$_x1.y", 1),
    ],
)
def test_each_kind_of_path_reads_its_own_data(path: str, expected: object) -> None:
    assert read_reference(path, STATE_INPUT, CONTEXT, variables=VARIABLES) == expected


def test_an_undefined_variable_finds_nothing() -> None:
    with pytest.raises(PathNotFound):
        read_reference("$nope.x", STATE_INPUT, CONTEXT, variables=VARIABLES)
    with pytest.raises(PathNotFound):
        read_reference("$PokemonList", STATE_INPUT, CONTEXT)


def test_misses_and_bad_paths_raise() -> None:
    with pytest.raises(PathNotFound):
        read_reference("$.b", STATE_INPUT, CONTEXT)
    with pytest.raises(InvalidPathError):
        read_reference("$.a b", STATE_INPUT, CONTEXT)
