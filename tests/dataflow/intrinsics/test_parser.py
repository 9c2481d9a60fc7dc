"""Intrinsic call syntax: what parses, what AWS would reject at definition time."""

from __future__ import annotations

import pytest

from orchestrator.dataflow.intrinsics import (
    IntrinsicCall,
    IntrinsicSyntaxError,
    PathArgument,
    StringLiteral,
    ValueLiteral,
    is_intrinsic,
    parse,
)


def test_a_call_parses_into_its_arguments() -> None:
    call = parse("States.Format('x={} y={}', $.x, States.MathAdd($$.Map.Item.Index, -1))")

    assert call.name == "States.Format"
    literal, path, nested = call.args
    assert literal == StringLiteral("x={} y={}", "x={} y={}")
    assert isinstance(path, PathArgument) and path.source == "input" and path.text == "$.x"
    assert isinstance(nested, IntrinsicCall) and nested.text == "States.MathAdd($$.Map.Item.Index, -1)"
    assert nested.args[1] == ValueLiteral(-1)


@pytest.mark.parametrize(
    ("text", "value"),
    [("1", 1), ("-2", -2), ("1.5", 1.5), ("2e3", 2000.0), ("true", True), ("false", False), ("null", None)],
)
def test_value_literals(text: str, value: object) -> None:
    assert parse(f"States.Array({text})").args == (ValueLiteral(value),)


def test_string_escapes_are_unescaped_and_kept_raw() -> None:
    (literal,) = parse("States.Array('it\\'s \\{\\} \\\\')").args

    assert literal == StringLiteral("it's {} \\", "it\\'s \\{\\} \\\\")


@pytest.mark.parametrize(
    ("text", "source", "variable"),
    [
        ("$", "input", None),
        ("$.a['b,c'][0]", "input", None),
        ("$.items[?(@.x == 'a,b')]", "input", None),
        ("$$.Execution.Input", "context", None),
        ("$myVar.field", "variable", "myVar"),
        ("$myVar", "variable", "myVar"),
    ],
)
def test_path_arguments(text: str, source: str, variable: str | None) -> None:
    (argument,) = parse(f"States.Array({text})").args

    assert isinstance(argument, PathArgument)
    assert (argument.text, argument.source, argument.variable) == (text, source, variable)


def test_no_arguments_and_spacing() -> None:
    assert parse("States.UUID()").args == ()
    assert len(parse("States.Array( 1 ,  $.a ,'x' )").args) == 3


@pytest.mark.parametrize(
    "text",
    [
        # Recorded as definition errors (test_illegal_escapes): \" is not an intrinsic escape.
        'States.StringToJson(\'{\\"text\\":\\"An \\\\\\"escaped double quote\\\\\\" here\\"}\')',
        "States.Format('He said, \\\"Hello, {}!\\\"', 'Test \\\"Name\\\" Here')",
        "States.Unknown(1)",
        "States.Format('x'",
        "States.Format('x') trailing",
        "States.Format('x',)",
        "States.Format('unterminated)",
        "States.Array($.a b)",
        "States.Array($$$.x)",
        "States.Array(abc)",
        "States.Array(1 2)",
        "Format('x')",
    ],
)
def test_syntax_errors(text: str) -> None:
    with pytest.raises(IntrinsicSyntaxError):
        parse(text)


def test_argument_counts_are_not_checked_when_parsing() -> None:
    assert parse("States.Hash()").name == "States.Hash"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("States.UUID()", True),
        ("States.Format('{}', $.a)", True),
        ("$.a", False),
        ("States.X", False),
        (5, False),
    ],
)
def test_is_intrinsic(text: object, expected: bool) -> None:
    assert is_intrinsic(text) is expected  # type: ignore[arg-type]
