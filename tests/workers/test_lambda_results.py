"""Lambda's answer → the task outcome, per integration style, as the conformance corpus recorded it."""

from __future__ import annotations

import json

from workers.lambda_invoke import InvokeResponse, service_error
from workers.lambda_results import parse_payload, to_outcome, unreachable

ERROR_DOCUMENT = (
    b'{"errorMessage": "Some exception was raised.", "errorType": "Exception", "requestId": "r-1", '
    b'"stackTrace": ["  File \\"/var/task/handler.py\\", line 2, in handler\\n"]}'
)


def _ok(body: bytes, **headers: str) -> InvokeResponse:
    base = {
        "x-amzn-requestid": "req-1",
        "x-amz-executed-version": "$LATEST",
        "date": "Mon, 01 Jan 2024 00:00:00 GMT",
    }
    return InvokeResponse(200, body, base | {k.lower(): v for k, v in headers.items()})


def _function_error(body: bytes) -> InvokeResponse:
    return _ok(body, **{"X-Amz-Function-Error": "Unhandled"})


def test_legacy_result_is_the_parsed_payload() -> None:
    assert to_outcome("legacy", _ok(b'{"a": [1, 2.0]}')).output == {"a": [1, 2.0]}


def test_payloads_that_are_not_json_stay_text() -> None:
    assert parse_payload(b"a" * 10) == "a" * 10
    assert parse_payload(b'"HelloWorld!"') == "HelloWorld!"
    assert parse_payload(b"0.0") == 0.0 and isinstance(parse_payload(b"0.0"), float)


def test_optimised_result_has_the_recorded_shape() -> None:
    # when
    output = to_outcome("optimised", _ok(b"{}")).output

    # expect
    assert list(output) == [
        "ExecutedVersion",
        "Payload",
        "SdkHttpMetadata",
        "SdkResponseMetadata",
        "StatusCode",
    ]
    assert output["Payload"] == {}
    assert output["StatusCode"] == 200
    assert output["SdkResponseMetadata"] == {"RequestId": "req-1"}
    metadata = output["SdkHttpMetadata"]
    assert metadata["HttpStatusCode"] == 200
    assert set(metadata["HttpHeaders"]) == {
        "Connection",
        "Content-Length",
        "Content-Type",
        "Date",
        "X-Amz-Executed-Version",
        "x-amzn-Remapped-Content-Length",
        "x-amzn-RequestId",
        "X-Amzn-Trace-Id",
    }
    assert metadata["HttpHeaders"]["Content-Length"] == "2"
    assert metadata["AllHttpHeaders"] == {name: [value] for name, value in metadata["HttpHeaders"].items()}


def test_legacy_function_error_keeps_the_payload_verbatim() -> None:
    outcome = to_outcome("legacy", _function_error(ERROR_DOCUMENT))

    assert (outcome.error, outcome.cause) == ("Exception", ERROR_DOCUMENT.decode())


def test_optimised_function_error_reserialises_the_cause_compactly() -> None:
    outcome = to_outcome("optimised", _function_error(ERROR_DOCUMENT))

    assert outcome.error == "Exception"
    assert outcome.cause == json.dumps(json.loads(ERROR_DOCUMENT), separators=(",", ":"))
    assert outcome.cause is not None and outcome.cause.startswith(
        '{"errorMessage":"Some exception was raised.",'
    )


def test_a_function_error_without_an_error_type_is_lambda_unknown() -> None:
    outcome = to_outcome("optimised", _function_error(b"Task timed out"))

    assert (outcome.error, outcome.cause) == ("Lambda.Unknown", "Task timed out")


def test_sdk_function_error_is_a_result_with_function_error() -> None:
    outcome = to_outcome("sdk", _function_error(ERROR_DOCUMENT))

    assert outcome.ok
    assert outcome.output == {
        "ExecutedVersion": "$LATEST",
        "FunctionError": "Unhandled",
        "Payload": ERROR_DOCUMENT.decode(),
        "StatusCode": 200,
    }


def test_api_errors_name_the_lambda_error_code() -> None:
    # given
    response = service_error(
        404, "ResourceNotFoundException", "Function not found: arn:aws:lambda:r:1:function:f"
    )
    request_id = response.request_id

    # when
    optimised = to_outcome("optimised", response)
    sdk = to_outcome("sdk", response)

    # expect
    assert optimised.error == "Lambda.ResourceNotFoundException"
    assert optimised.cause == (
        "Function not found: arn:aws:lambda:r:1:function:f (Service: AWSLambda; Status Code: 404; "
        f"Error Code: ResourceNotFoundException; Request ID: {request_id}; Proxy: null)"
    )
    assert sdk.error == "Lambda.ResourceNotFoundException"
    assert (
        sdk.cause
        == f"Function not found: arn:aws:lambda:r:1:function:f (Service: Lambda, Status Code: 404, Request ID: {request_id})"
    )


def test_an_unreachable_endpoint_is_a_client_exception() -> None:
    outcome = unreachable("Connection refused")

    assert (outcome.error, outcome.cause) == (
        "Lambda.SdkClientException",
        "Unable to execute HTTP request: Connection refused",
    )
