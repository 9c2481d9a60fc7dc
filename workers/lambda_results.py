"""Lambda's answer → the task's result or failure, for each of the three ways a Task calls Lambda.

What AWS records (the conformance corpus):

* ``legacy`` (``arn:aws:lambda:...:function:NAME``): the result is the function's JSON result; a function
  error fails with ``errorType`` and the payload *verbatim* as the cause.
* ``optimised`` (``arn:aws:states:::lambda:invoke``): the result is ``{ExecutedVersion, Payload,
  SdkHttpMetadata, SdkResponseMetadata, StatusCode}`` with ``Payload`` parsed from JSON; a function error
  fails with ``errorType`` and the error document re-serialised compactly (``{"errorMessage":"..."}``).
* ``sdk`` (``arn:aws:states:::aws-sdk:lambda:invoke``): the SDK's InvokeResponse, ``Payload`` left as text;
  a function error does not fail the task, it shows as ``FunctionError``.

Lambda API errors (404 and so on) fail as ``Lambda.<ErrorCode>`` with the AWS SDK's cause text.
"""

from __future__ import annotations

import email.utils
import json
import secrets
import time
from typing import Any, Literal

from workers.lambda_invoke import InvokeResponse
from workers.outcome import TaskOutcome

Style = Literal["legacy", "optimised", "sdk"]

UNKNOWN_FUNCTION_ERROR = "Lambda.Unknown"

# The headers Lambda answers Invoke with, spelt as AWS records them in SdkHttpMetadata.
_RECORDED_HEADERS = (
    "X-Amz-Executed-Version",
    "x-amzn-Remapped-Content-Length",
    "Connection",
    "x-amzn-RequestId",
    "Content-Length",
    "Date",
    "X-Amzn-Trace-Id",
    "Content-Type",
)
_OPTIONAL_HEADERS = ("X-Amz-Function-Error", "X-Amz-Log-Result")


def to_outcome(style: Style, response: InvokeResponse) -> TaskOutcome:
    """Map one Invoke answer to the task's outcome as AWS does for ``style``."""
    if response.status >= 300:
        return _api_error(style, response)
    function_error = response.header("X-Amz-Function-Error")
    if function_error is not None and style != "sdk":
        return _function_error(style, response)
    if style == "legacy":
        return TaskOutcome(output=parse_payload(response.body))
    if style == "optimised":
        return TaskOutcome(output=_optimised_result(response))
    return TaskOutcome(output=_sdk_result(response, function_error))


def unreachable(message: str) -> TaskOutcome:
    """The endpoint did not answer: the AWS SDK's client-side failure."""
    return TaskOutcome.failure("Lambda.SdkClientException", f"Unable to execute HTTP request: {message}")


def parse_payload(body: bytes) -> Any:
    """The payload as JSON; bytes that are not JSON stay text (the engine then checks the size limit)."""
    text = _text(body)
    if not text.strip():
        return ""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _function_error(style: Style, response: InvokeResponse) -> TaskOutcome:
    text = _text(response.body)
    try:
        document: Any = json.loads(text)
    except ValueError:
        document = None
    error_type = document.get("errorType") if isinstance(document, dict) else None
    error = error_type if isinstance(error_type, str) and error_type else UNKNOWN_FUNCTION_ERROR
    if style == "legacy" or document is None:
        return TaskOutcome.failure(error, text)
    return TaskOutcome.failure(error, json.dumps(document, separators=(",", ":"), ensure_ascii=False))


def _api_error(style: Style, response: InvokeResponse) -> TaskOutcome:
    try:
        document: Any = json.loads(response.body)
    except ValueError:
        document = None
    if not isinstance(document, dict):
        document = {}
    code = (response.header("x-amzn-ErrorType") or document.get("__type") or "AWSLambdaException").split(":")[
        0
    ]
    message = document.get("Message") or document.get("message") or _text(response.body)
    request_id = response.request_id
    if style == "sdk":
        name = code if code.endswith("Exception") else f"{code}Exception"
        cause = f"{message} (Service: Lambda, Status Code: {response.status}, Request ID: {request_id})"
        return TaskOutcome.failure(f"Lambda.{name}", cause)
    cause = (
        f"{message} (Service: AWSLambda; Status Code: {response.status}; Error Code: {code}; "
        f"Request ID: {request_id}; Proxy: null)"
    )
    return TaskOutcome.failure(f"Lambda.{code}", cause)


def _optimised_result(response: InvokeResponse) -> dict[str, Any]:
    headers = _recorded_headers(response)
    result: dict[str, Any] = {"ExecutedVersion": headers["X-Amz-Executed-Version"]}
    if "X-Amz-Log-Result" in headers:
        result["LogResult"] = headers["X-Amz-Log-Result"]
    result["Payload"] = parse_payload(response.body)
    result["SdkHttpMetadata"] = {
        "AllHttpHeaders": {name: [value] for name, value in headers.items()},
        "HttpHeaders": dict(sorted(headers.items(), key=lambda item: item[0].lower())),
        "HttpStatusCode": response.status,
    }
    result["SdkResponseMetadata"] = {"RequestId": headers["x-amzn-RequestId"]}
    result["StatusCode"] = response.status
    return result


def _sdk_result(response: InvokeResponse, function_error: str | None) -> dict[str, Any]:
    result: dict[str, Any] = {"ExecutedVersion": response.header("X-Amz-Executed-Version") or "$LATEST"}
    if function_error is not None:
        result["FunctionError"] = function_error
    log_result = response.header("X-Amz-Log-Result")
    if log_result is not None:
        result["LogResult"] = log_result
    result["Payload"] = _text(response.body)
    result["StatusCode"] = response.status
    return result


def _recorded_headers(response: InvokeResponse) -> dict[str, str]:
    """The recorded header set, values from the response (or what Lambda would have sent)."""
    now = time.time()
    fallback = {
        "X-Amz-Executed-Version": "$LATEST",
        "x-amzn-Remapped-Content-Length": "0",
        "Connection": "keep-alive",
        "x-amzn-RequestId": response.request_id,
        "Date": email.utils.formatdate(now, usegmt=True),
        "X-Amzn-Trace-Id": f"root=1-{int(now):08x}-{secrets.token_hex(12)};sampled=0;lineage=1",
        "Content-Type": "application/json",
    }
    headers: dict[str, str] = {}
    for name in _RECORDED_HEADERS:
        value = str(len(response.body)) if name == "Content-Length" else response.header(name)
        headers[name] = value if value is not None else fallback[name]
    for name in _OPTIONAL_HEADERS:
        value = response.header(name)
        if value is not None:
            headers[name] = value
    return headers


def _text(body: bytes) -> str:
    return body.decode("utf-8", errors="replace")
