"""Lambda ``Invoke``: one call, answered by a registered Python function or by a Lambda-compatible endpoint.

Both answer with an :class:`InvokeResponse` shaped like Lambda's HTTP response (status, headers, body),
so :mod:`workers.lambda_results` turns either into the Step Functions result the same way. The endpoint
is called as AWS Step Functions Local calls its ``LAMBDA_ENDPOINT``:
``POST {url}/2015-03-31/functions/{FunctionName}/invocations[?Qualifier=Q]``.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import inspect
import json
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

# name | name:qualifier | ACCOUNT:function:name[:qualifier] | arn:PARTITION:lambda:REGION:ACCOUNT:function:name[:qualifier]
_FUNCTION_NAME = re.compile(
    r"^(?:arn:[^:]+:lambda:(?P<region>[^:]*):(?P<account>[^:]*):function:|(?P<partial_account>\d{12}):function:)?"
    r"(?P<name>[^:]+)(?::(?P<qualifier>[^:]+))?$"
)
# Lambda's own limit is 15 minutes; a Task's TimeoutSeconds (enforced by the engine) is usually shorter.
_DEFAULT_READ_TIMEOUT = 900.0 + 60.0


@dataclass(frozen=True)
class FunctionRef:
    """A Lambda ``FunctionName`` taken apart: the name, and the qualifier/region/account it carries."""

    name: str
    qualifier: str | None = None
    region: str | None = None
    account: str | None = None

    def arn(self, region: str, account: str) -> str:
        return f"arn:aws:lambda:{self.region or region}:{self.account or account}:function:{self.name}"


def parse_function_name(function_name: str) -> FunctionRef | None:
    """Read a name, ``name:qualifier``, partial ARN or full ARN; ``None`` if it is none of them."""
    match = _FUNCTION_NAME.match(function_name)
    if match is None:
        return None
    return FunctionRef(
        name=match["name"],
        qualifier=match["qualifier"],
        region=match["region"] or None,
        account=match["account"] or match["partial_account"] or None,
    )


@dataclass
class InvokeCall:
    """The Invoke request: the function (as the caller named it), the payload bytes and the options."""

    function_name: str
    payload: bytes = b""
    qualifier: str | None = None
    invocation_type: str = "RequestResponse"
    log_type: str | None = None
    client_context: str | None = None
    timeout_seconds: float | None = None


@dataclass
class InvokeResponse:
    """Lambda's answer. ``headers`` keys are lower-case."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def request_id(self) -> str:
        return self.header("x-amzn-RequestId") or str(uuid.uuid4())


class FunctionRaised(Exception):
    """A registered Python function raised: the task fails with the exception's class name and text."""

    def __init__(self, error: str, cause: str) -> None:
        super().__init__(f"{error}: {cause}")
        self.error = error
        self.cause = cause


class LambdaUnreachable(Exception):
    """The Lambda endpoint did not answer (connection refused, timeout): AWS's ``SdkClientException``."""


def service_error(status: int, error_type: str, message: str) -> InvokeResponse:
    """A Lambda API error response (``x-amzn-ErrorType`` and a JSON ``Message``), as Lambda sends it."""
    body = json.dumps({"Type": "User", "Message": message}).encode()
    return InvokeResponse(status, body, _lambda_headers(body, {"x-amzn-errortype": error_type}))


def invoke_python(fn: Callable[..., Any], call: InvokeCall, context: dict[str, Any]) -> InvokeResponse:
    """Run a registered function as Lambda would run it; raises :class:`FunctionRaised` if it raises."""
    version = _executed_version(call.qualifier)
    try:
        event = json.loads(call.payload) if call.payload.strip() else {}
    except ValueError as e:
        return service_error(
            400, "InvalidRequestContentException", f"Could not parse request body into json: {e}"
        )
    if call.invocation_type == "DryRun":
        return InvokeResponse(204, b"", _lambda_headers(b"", {"x-amz-executed-version": version}))
    if call.invocation_type == "Event":
        threading.Thread(target=_call_quietly, args=(fn, event, context), daemon=True).start()
        return InvokeResponse(202, b"", _lambda_headers(b"", {"x-amz-executed-version": version}))
    try:
        result = call_task_function(fn, event, context)
    except Exception as e:
        raise FunctionRaised(type(e).__name__, str(e)) from e
    extra = {"x-amz-executed-version": version, "x-amzn-remapped-content-length": "0"}
    if isinstance(result, bytes | bytearray):
        body = bytes(result)
    else:
        try:
            body = json.dumps(result).encode()
        except (TypeError, ValueError) as e:
            request_id = str(uuid.uuid4())
            document = {
                "errorMessage": f"Unable to marshal response: {e}",
                "errorType": "Runtime.MarshalError",
                "requestId": request_id,
                "stackTrace": [],
            }
            body = json.dumps(document).encode()
            extra |= {"x-amz-function-error": "Unhandled", "x-amzn-requestid": request_id}
    return InvokeResponse(200, body, _lambda_headers(body, extra))


def call_task_function(fn: Callable[..., Any], event: Any, context: dict[str, Any]) -> Any:
    """Call ``fn(event, context)``, or ``fn(event)`` when it takes one argument; await coroutines."""
    result = fn(event, context) if _takes_context(fn) else fn(event)
    if inspect.isawaitable(result):
        return asyncio.run(_await(result))
    return result


class LambdaEndpoint:
    """A Lambda-compatible HTTP endpoint (``--lambda-endpoint URL``): AWS Lambda's REST ``Invoke``."""

    def __init__(self, url: str, *, region: str, account_id: str) -> None:
        self.url = url.rstrip("/")
        self.region = region
        self.account_id = account_id
        self._client = httpx.Client(timeout=httpx.Timeout(10.0, read=_DEFAULT_READ_TIMEOUT))

    def invoke(self, call: InvokeCall) -> InvokeResponse:
        headers = {
            "Content-Type": "application/json",
            "X-Amz-Invocation-Type": call.invocation_type,
            # Unsigned, but shaped like SigV4 so emulators (LocalStack, the conformance fake) read region/account.
            "Authorization": (
                f"AWS4-HMAC-SHA256 Credential={self.account_id}/{time.strftime('%Y%m%d', time.gmtime())}/"
                f"{self.region}/lambda/aws4_request, SignedHeaders=host, Signature=0"
            ),
        }
        if call.log_type:
            headers["X-Amz-Log-Type"] = call.log_type
        if call.client_context:
            headers["X-Amz-Client-Context"] = call.client_context
        params = {"Qualifier": call.qualifier} if call.qualifier else None
        read = (call.timeout_seconds + 5.0) if call.timeout_seconds else _DEFAULT_READ_TIMEOUT
        url = f"{self.url}/2015-03-31/functions/{quote(call.function_name, safe='')}/invocations"
        try:
            response = self._client.post(
                url,
                content=call.payload,
                headers=headers,
                params=params,
                timeout=httpx.Timeout(10.0, read=read),
            )
        except httpx.TimeoutException as e:
            raise LambdaUnreachable(f"Read timed out ({e})") from e
        except httpx.HTTPError as e:
            raise LambdaUnreachable(f"{e}") from e
        return InvokeResponse(
            response.status_code,
            response.content,
            {name.lower(): value for name, value in response.headers.items()},
        )

    def close(self) -> None:
        self._client.close()


def _lambda_headers(body: bytes, extra: dict[str, str]) -> dict[str, str]:
    """The headers Lambda's front end sends with every Invoke answer (lower-case keys)."""
    now = time.time()
    headers = {
        "content-type": "application/json",
        "date": email.utils.formatdate(now, usegmt=True),
        "x-amzn-requestid": str(uuid.uuid4()),
        "connection": "keep-alive",
        "x-amzn-trace-id": f"root=1-{int(now):08x}-{secrets.token_hex(12)};sampled=0;lineage=1",
    }
    headers.update(extra)
    headers["content-length"] = str(len(body))
    return headers


def _executed_version(qualifier: str | None) -> str:
    return qualifier if qualifier and qualifier.isdigit() else "$LATEST"


def _takes_context(fn: Callable[..., Any]) -> bool:
    try:
        parameters = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return True
    positional = [
        p
        for p in parameters
        if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    ]
    return len(positional) >= 2 or any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters)


async def _await(awaitable: Any) -> Any:
    return await awaitable


def _call_quietly(fn: Callable[..., Any], event: Any, context: dict[str, Any]) -> None:
    # An asynchronous (Event) invocation has no caller to report a failure to.
    with contextlib.suppress(Exception):
        call_task_function(fn, event, context)
