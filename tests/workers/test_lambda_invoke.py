"""Invoking a registered Python function as Lambda would, and reading Lambda function names."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from workers.lambda_invoke import FunctionRaised, FunctionRef, InvokeCall, invoke_python, parse_function_name


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("f", FunctionRef("f")),
        ("f:prod", FunctionRef("f", "prod")),
        ("123456789012:function:f", FunctionRef("f", account="123456789012")),
        (
            "arn:aws:lambda:eu-west-1:123456789012:function:f:7",
            FunctionRef("f", "7", "eu-west-1", "123456789012"),
        ),
    ],
)
def test_function_names(text: str, ref: FunctionRef) -> None:
    assert parse_function_name(text) == ref


def test_not_a_function_name() -> None:
    assert parse_function_name("a:b:c") is None


def test_the_event_is_the_payload_and_an_empty_payload_is_an_empty_object() -> None:
    # given
    seen: list[Any] = []

    # when
    invoke_python(seen.append, InvokeCall("f", b'{"a": 1}'), {})
    invoke_python(seen.append, InvokeCall("f", b""), {})

    # expect
    assert seen == [{"a": 1}, {}]


def test_the_answer_carries_lambdas_headers() -> None:
    response = invoke_python(
        lambda event, context: [event, context], InvokeCall("f", b"1", qualifier="4"), {"c": 2}
    )

    assert response.status == 200
    assert json.loads(response.body) == [1, {"c": 2}]
    assert response.header("X-Amz-Executed-Version") == "4"
    assert response.header("Content-Length") == str(len(response.body))


def test_bytes_results_are_the_raw_body() -> None:
    assert invoke_python(lambda event: b'"raw"', InvokeCall("f"), {}).body == b'"raw"'


def test_payload_that_is_not_json_is_rejected_like_lambda() -> None:
    response = invoke_python(lambda event: event, InvokeCall("f", b"hello"), {})

    assert (response.status, response.header("x-amzn-ErrorType")) == (400, "InvalidRequestContentException")


def test_exceptions_are_raised_as_function_raised() -> None:
    def boom(event: Any) -> Any:
        raise ValueError("bad input")

    with pytest.raises(FunctionRaised) as raised:
        invoke_python(boom, InvokeCall("f"), {})

    assert (raised.value.error, raised.value.cause) == ("ValueError", "bad input")


def test_dry_run_and_event_invocations() -> None:
    # given
    called = threading.Event()

    # when
    dry = invoke_python(lambda event: called.set(), InvokeCall("f", invocation_type="DryRun"), {})
    event = invoke_python(lambda event: called.set(), InvokeCall("f", invocation_type="Event"), {})

    # expect
    assert (dry.status, event.status) == (204, 202)
    assert called.wait(5)
