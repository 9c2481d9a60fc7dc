"""Resource resolution: which code runs a Task state's ``Resource``, and running it.

**Calling your own Python functions.** Name them the way AWS names Lambda functions, so the same
definition runs on AWS unchanged. A function registered with ``@task`` (``workers.registry``) as ``greet``
answers every spelling AWS has for invoking a Lambda function called ``greet``:

* ``"Resource": "arn:aws:lambda:us-east-1:123456789012:function:greet"`` (any region, account or
  qualifier): the function gets the task input, its return value is the task result;
* ``"Resource": "arn:aws:states:::lambda:invoke"`` with ``"Parameters": {"FunctionName": "greet",
  "Payload.$": "$"}`` (a name, ``name:qualifier``, a partial or a full ARN): the function gets
  ``Payload``, the result is Lambda's response document (``{"Payload": <return value>, "StatusCode":
  200, ...}``), as on AWS;
* ``"Resource": "arn:aws:states:::aws-sdk:lambda:invoke"``, the same with the AWS SDK's response.

A function is called as ``fn(input, context)`` (or ``fn(input)`` if it takes one argument), where
``context`` is the context object (``$$``). An exception fails the task with Error = the exception's
class name and Cause = ``str(exception)``.

**Real Lambda functions.** A name that is not registered is invoked on the Lambda-compatible endpoint
given as ``lambda_endpoint`` (``sfn server --lambda-endpoint URL``), as AWS Step Functions Local does;
without an endpoint it fails as AWS does for a missing function (``Lambda.ResourceNotFoundException``).

**HTTP APIs.** ``"Resource": "arn:aws:states:::http:invoke"`` (AWS's HTTP Task) calls the API in
``Parameters`` with the credentials of a named connection configured outside the definition
(``workers.http_task``, ``workers.connections``).

``check`` accepts those integrations and ``arn:aws:states:::states:startExecution[.sync|.sync:2]``
(nested executions, which the runtime runs itself, not this resolver); every other resource is refused
with AWS's "not recognized" message, because nothing here can run it yet.
"""

from __future__ import annotations

import json
from typing import Any

from orchestrator.asl.resources import Resource, parse_resource
from workers.connections import ConnectionStore
from workers.http_task import HttpInvoker
from workers.lambda_invoke import (
    FunctionRaised,
    InvokeCall,
    InvokeResponse,
    LambdaEndpoint,
    LambdaUnreachable,
    invoke_python,
    parse_function_name,
    service_error,
)
from workers.lambda_results import Style, to_outcome, unreachable
from workers.outcome import TaskOutcome, TaskRequest
from workers.registry import TaskRegistry

_INVOKE_PATTERNS = ("", "waitForTaskToken")
_NESTED_EXECUTION_PATTERNS = ("", "sync", "sync:2", "waitForTaskToken")


def not_recognized(arn: str) -> str:
    """AWS's CreateStateMachine message for a Task ``Resource`` it cannot run."""
    return (
        f"The resource provided {arn} is not recognized. The value is not a valid resource ARN, "
        "or the resource is not available in this region."
    )


class ResourceResolver:
    """Runs Task resources: registered Python functions first, then a Lambda-compatible endpoint; HTTP
    Tasks through ``connections`` (read from the environment on first use when not given)."""

    def __init__(
        self,
        registry: TaskRegistry,
        *,
        lambda_endpoint: str | None = None,
        region: str = "us-east-1",
        account_id: str = "123456789012",
        connections: ConnectionStore | None = None,
    ) -> None:
        self.registry = registry
        self.region = region
        self.account_id = account_id
        self._endpoint = (
            LambdaEndpoint(lambda_endpoint, region=region, account_id=account_id) if lambda_endpoint else None
        )
        self._connections = connections
        self._http: HttpInvoker | None = None

    def check(self, resource: str) -> str | None:
        """``None`` if a Task may use ``resource``, else the message CreateStateMachine rejects it with."""
        parsed = parse_resource(resource)
        if (
            parsed.kind == "lambda_function"
            or _is_lambda_invoke(parsed) is not None
            or _is_http_invoke(parsed)
        ):
            return None
        if (
            parsed.kind == "service"
            and parsed.service == "states"
            and parsed.action == "startExecution"
            and parsed.pattern in _NESTED_EXECUTION_PATTERNS
        ):
            return None
        return not_recognized(resource)

    def run(self, request: TaskRequest) -> TaskOutcome:
        """Run one task attempt to its outcome; task failures are outcomes, never exceptions.

        For ``.waitForTaskToken`` resources this performs the invocation only; the task's result then
        comes from SendTaskSuccess/SendTaskFailure, which is the runtime's business.
        """
        parsed = parse_resource(request.resource)
        if parsed.kind == "lambda_function":
            assert parsed.function_name is not None
            call = InvokeCall(
                function_name=request.resource,
                payload=_json_bytes(request.parameters),
                qualifier=None,
                timeout_seconds=request.timeout_seconds,
            )
            return self._invoke(call, "legacy", request)
        if _is_http_invoke(parsed):
            return self.http.invoke(request.parameters, timeout_seconds=request.timeout_seconds)
        style = _is_lambda_invoke(parsed)
        if style is None:
            return TaskOutcome.failure("States.Runtime", not_recognized(request.resource))
        parameters = request.parameters if isinstance(request.parameters, dict) else {}
        function_name = parameters.get("FunctionName")
        if not isinstance(function_name, str) or not function_name:
            return TaskOutcome.failure(
                "States.Runtime",
                f"The Parameters '{_compact(request.parameters)}' could not be used to start the Task: "
                "[The field 'FunctionName' is required but was missing]",
            )
        call = InvokeCall(
            function_name=function_name,
            payload=_payload_bytes(parameters.get("Payload")),
            qualifier=_optional_str(parameters.get("Qualifier")),
            invocation_type=_optional_str(parameters.get("InvocationType")) or "RequestResponse",
            log_type=_optional_str(parameters.get("LogType")),
            client_context=_optional_str(parameters.get("ClientContext")),
            timeout_seconds=request.timeout_seconds,
        )
        return self._invoke(call, style, request)

    @property
    def http(self) -> HttpInvoker:
        """The HTTP Task runner (created on first use)."""
        if self._http is None:
            self._http = HttpInvoker(self._connections, region=self.region)
        return self._http

    def close(self) -> None:
        if self._endpoint is not None:
            self._endpoint.close()
        if self._http is not None:
            self._http.close()

    def _invoke(self, call: InvokeCall, style: Style, request: TaskRequest) -> TaskOutcome:
        try:
            response = self._answer(call, request.context)
        except FunctionRaised as e:
            return TaskOutcome.failure(e.error, e.cause)
        except LambdaUnreachable as e:
            return unreachable(str(e))
        return to_outcome(style, response)

    def _answer(self, call: InvokeCall, context: dict[str, Any]) -> InvokeResponse:
        ref = parse_function_name(call.function_name)
        if ref is None:
            return service_error(
                400,
                "InvalidParameterValueException",
                f"1 validation error detected: Value '{call.function_name}' at 'functionName' failed to "
                "satisfy constraint: Member must satisfy regular expression pattern",
            )
        fn = self.registry.get(ref.name)
        if fn is not None:
            if call.qualifier is None:
                call.qualifier = ref.qualifier
            return invoke_python(fn, call, context)
        if self._endpoint is not None:
            return self._endpoint.invoke(call)
        qualifier = call.qualifier or ref.qualifier or "$LATEST"
        return service_error(
            404,
            "ResourceNotFoundException",
            f"Function not found: {ref.arn(self.region, self.account_id)}:{qualifier}",
        )


def _is_lambda_invoke(resource: Resource) -> Style | None:
    """The result style of the optimised or SDK Lambda ``invoke`` integration; ``None`` for others."""
    if resource.kind != "service" or resource.action != "invoke" or resource.pattern not in _INVOKE_PATTERNS:
        return None
    if resource.service == "lambda":
        return "optimised"
    if resource.service == "aws-sdk:lambda":
        return "sdk"
    return None


def _is_http_invoke(resource: Resource) -> bool:
    """``arn:aws:states:::http:invoke``: the HTTP Task, which has only the request-response pattern."""
    return (
        resource.kind == "service"
        and resource.service == "http"
        and resource.action == "invoke"
        and resource.pattern == ""
    )


def _payload_bytes(payload: Any) -> bytes:
    """Step Functions sends a string ``Payload`` as it is (it must be JSON text) and anything else as JSON;
    no ``Payload`` (or ``null``) reaches the function as ``{}``, as on AWS."""
    if payload is None:
        return b"{}"
    if isinstance(payload, str):
        return payload.encode()
    return _json_bytes(payload)


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _optional_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
