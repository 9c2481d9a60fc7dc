"""Definition text → dict: Jackson-like syntax errors, non-objects, YAML, duplicate state names."""

from __future__ import annotations

import pytest

from orchestrator.asl.parse import load_definition, parse_definition
from orchestrator.errors import DefinitionError


def rejection(text: str, **options: bool) -> DefinitionError:
    with pytest.raises(DefinitionError) as raised:
        load_definition(text, **options)
    return raised.value


def test_a_json_object_loads() -> None:
    assert load_definition('{"StartAt": "A", "States": {}}') == {"StartAt": "A", "States": {}}


def test_a_bare_word_is_reported_like_jackson() -> None:
    error = rejection("not a definition")

    location = '[Source: (String)"not a definition"; line: 1, column: 4]'
    (diagnostic,) = error.diagnostics
    assert diagnostic.code == "INVALID_JSON_DESCRIPTION"
    assert diagnostic.path == location
    assert diagnostic.message == (
        "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or "
        f"'false')\n at {location}"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"a" 1}',
            "Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value",
        ),
        (
            '{"a": 1,}',
            "Unexpected character ('}' (code 125)): was expecting double-quote to start field name",
        ),
        (
            '{"a": [1 2]}',
            "Unexpected character ('2' (code 50)): was expecting comma to separate Array entries",
        ),
        (
            '{"a": 1 "b": 2}',
            "Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries",
        ),
        ('{"a": ', "Unexpected end-of-input: expected close marker for Object"),
        ('{"a": "b', "Unexpected end-of-input: was expecting closing quote for a string value"),
    ],
)
def test_syntax_errors_use_jackson_wording(text: str, message: str) -> None:
    (diagnostic,) = rejection(text).diagnostics

    assert diagnostic.code == "INVALID_JSON_DESCRIPTION"
    assert diagnostic.message.startswith(message + "\n at [Source: (String)")


def test_the_source_is_cut_at_500_characters() -> None:
    text = "x" * 600

    (diagnostic,) = rejection(text).diagnostics

    assert diagnostic.path == f'[Source: (String)"{"x" * 500}"[truncated 100 chars]; line: 1, column: 601]'


@pytest.mark.parametrize("text", [" ", "[]", "1", '"text"', "null"])
def test_blank_text_and_non_objects_are_not_definitions(text: str) -> None:
    (diagnostic,) = rejection(text).diagnostics

    assert (diagnostic.code, diagnostic.message, diagnostic.path) == (
        "SCHEMA_VALIDATION_FAILED",
        "Definition must be a valid JSON object",
        None,
    )


def test_text_after_the_first_value_is_ignored_like_jackson_read_tree() -> None:
    assert load_definition('{"StartAt": "A"} trailing') == {"StartAt": "A"}


def test_yaml_is_read_only_when_allowed() -> None:
    text = "StartAt: A\nStates:\n  A: {Type: Succeed}\n"

    assert load_definition(text, allow_yaml=True) == {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
    assert rejection(text).diagnostics[0].code == "INVALID_JSON_DESCRIPTION"


def test_duplicate_state_names_are_found_in_nested_programs_too() -> None:
    text = (
        '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "A": {"Type": "Succeed"},'
        ' "P": {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "B", "States":'
        ' {"B": {"Type": "Succeed"}, "B": {"Type": "Succeed"}}}]}}}'
    )

    _, duplicates = parse_definition(text)

    assert [d.render() for d in duplicates] == [
        "DUPLICATE_STATE_NAME: Duplicate State name: A at /States/A",
        "DUPLICATE_STATE_NAME: Duplicate State name: B at /States/P/Branches[0]/States/B",
    ]
