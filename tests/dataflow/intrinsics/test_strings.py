"""States.Format and States.StringSplit."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator.dataflow.intrinsics import evaluate
from orchestrator.errors import StatesError


def call(text: str, state_input: Any = None, context: Any = None) -> Any:
    return evaluate(text, state_input, context)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Recorded: test_generic test_format_1_0 .. test_format_1_6.
        ("", "Formatting argument ."),
        (" ", "Formatting argument  ."),
        ("HelloWorld", "Formatting argument HelloWorld."),
        (None, "Formatting argument null."),
        (1, "Formatting argument 1."),
        (1.1, "Formatting argument 1.1."),
        ('{"Arg1": 1, "Arg2": []}', 'Formatting argument {"Arg1": 1, "Arg2": []}.'),
        # Java's Map/List toString.
        ({"Arg1": 1, "Arg2": [], "n": {"x": None}}, "Formatting argument {Arg1=1, Arg2=[], n={x=null}}."),
        (["a", 1, True, 2.5], "Formatting argument [a, 1, true, 2.5]."),
        (1e21, "Formatting argument 1.0E21."),
    ],
)
def test_format_prints_arguments_as_aws_does(value: Any, expected: str) -> None:
    assert call("States.Format('Formatting argument {}.', $.v)", {"v": value}) == expected


def test_format_of_a_context_object_member() -> None:
    # Recorded: test_context_json_path prints $$.StateMachine as {Id=..., Name=...}.
    context = {"Execution": {"Name": "ex"}, "StateMachine": {"Id": "arn:sm", "Name": "sm"}}

    result = call("States.Format('fst={} and snd={}.', $$.Execution.Name, $$.StateMachine)", {}, context)

    assert result == "fst=ex and snd={Id=arn:sm, Name=sm}."


def test_format_escapes_in_a_literal_template() -> None:
    assert call("States.Format('\\{{}\\} \\'q\\' \\\\', 5)") == "{5} 'q' \\"


def test_format_template_from_a_path() -> None:
    assert call("States.Format($.t, $.n)", {"t": "Hello {}", "n": "Ada"}) == "Hello Ada"
    assert call("States.Format('no placeholders')") == "no placeholders"


@pytest.mark.parametrize(
    "text",
    [
        "States.Format('{} {}', 'x')",
        "States.Format('{}', 'x', 'y')",
        "States.Format('Hello {', 'x')",
        "States.Format('Hello {{}}', 'x')",
        "States.Format('}')",
        "States.Format(123)",
        "States.Format($.t, 1)",
    ],
)
def test_format_rejects(text: str) -> None:
    with pytest.raises(StatesError) as raised:
        call(text, {"t": 123})

    assert raised.value.cause.endswith("Invalid arguments in States.Format")


@pytest.mark.parametrize(
    ("text", "delimiters", "expected"),
    [
        ("1,2,3,4,5", ",", ["1", "2", "3", "4", "5"]),
        ("This.is+a,test=string", ".+,=", ["This", "is", "a", "test", "string"]),
        ("Hello\nWorld", "\n", ["Hello", "World"]),
        (",,a,,b,,", ",", ["a", "b"]),
        ("", ",", []),
        ("abc", "", ["abc"]),
        # Recorded: test_string_split_context_object.
        (
            "Value1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n",
            ",",
            [
                "Value1",
                "Value2",
                "Value3\nValue4",
                "Value5",
                "Value6\n",
                "\ntrue",
                "1",
                "'HelloWorld'\nNull",
                "None",
                "\n   \n",
            ],
        ),
    ],
)
def test_string_split_drops_empty_parts(text: str, delimiters: str, expected: list[str]) -> None:
    assert call("States.StringSplit($.s, $.d)", {"s": text, "d": delimiters}) == expected


def test_string_split_rejects_non_strings() -> None:
    with pytest.raises(StatesError):
        call("States.StringSplit($.s, ',')", {"s": 1})
