"""JSONata errors in AWS's cause: ``<code>: <message>`` worded as the JavaScript reference words them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

THREW = "The JSONata expression '{}' specified for the field 'Output' threw an error during evaluation. {}"


@pytest.mark.parametrize(
    ("expression", "error"),
    [
        ("$nope(1)", "T1006: Attempted to invoke a non-function"),
        ("1 + 'a'", 'T2002: The right side of the "+" operator must evaluate to a number'),
        ("'a' < 1", 'T2009: The values "a" and 1 either side of operator "<" must be of the same data type'),
        ("$sqrt(-1)", "D3060: The sqrt function cannot be applied to a negative number: -1"),
        ("$replace('a', '', 'b')", "D3010: Second argument of replace function cannot be an empty string"),
        (
            "$single([1, 2])",
            "D3138: The $single() function expected exactly 1 matching result.  Instead it matched more.",
        ),
        ("foo bar", 'S0201: Syntax error: "bar"'),
        ("(1", 'S0203: Expected ")" before end of expression'),
    ],
)
def test_library_errors_are_worded_as_in_javascript(
    cause_of: Callable[..., str], expression: str, error: str
) -> None:
    assert cause_of(f"{{% {expression} %}}") == THREW.format(expression, error)


@pytest.mark.parametrize("expression", ["1 / 0", "$power(10, 400)"])
def test_an_infinite_number_is_out_of_range(cause_of: Callable[..., str], expression: str) -> None:
    # jsonata-python raises ZeroDivisionError / OverflowError; JavaScript's Infinity is D1001.
    assert cause_of(f"{{% {expression} %}}") == THREW.format(expression, "D1001: Number out of range: null")
