"""ResourceResolver: registered Python functions and the Lambda-compatible endpoint, in AWS's shapes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.workers.conftest import CONFORMANCE_DIR
from workers.connections import ConnectionStore
from workers.outcome import TaskOutcome, TaskRequest
from workers.registry import TaskRegistry
from workers.resources import ResourceResolver

LEGACY = "arn:aws:lambda:us-east-1:111111111111:function:{}"
INVOKE = "arn:aws:states:::lambda:invoke"
SDK_INVOKE = "arn:aws:states:::aws-sdk:lambda:invoke"
CONTEXT = {"Execution": {"Name": "e1"}, "State": {"Name": "S"}}


def run(resolver: ResourceResolver, resource: str, parameters: Any, **extra: Any) -> TaskOutcome:
    return resolver.run(TaskRequest(resource=resource, parameters=parameters, context=CONTEXT, **extra))


@pytest.fixture
def local(registry: TaskRegistry) -> Iterator[ResourceResolver]:
    """A resolver with registered functions and no Lambda endpoint."""

    def greet(event: Any, context: dict[str, Any]) -> Any:
        return {"greeting": f"Hello, {event['name']}!", "state": context["State"]["Name"]}

    def fail(event: Any) -> Any:
        raise KeyError("missing")

    async def later(event: Any) -> Any:
        return event

    registry.register("greet", greet)
    registry.register("fail", fail)
    registry.register("later", later)
    registry.register("unmarshallable", lambda event: {1, 2})
    resolver = ResourceResolver(registry, region="eu-west-1", account_id="123456789012")
    yield resolver
    resolver.close()


@pytest.fixture
def remote(registry: TaskRegistry, fake_lambda_url: str) -> Iterator[ResourceResolver]:
    """A resolver that invokes the conformance suite's fake Lambda."""
    resolver = ResourceResolver(registry, lambda_endpoint=fake_lambda_url)
    yield resolver
    resolver.close()


# --- check ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "resource",
    [
        LEGACY.format("anything"),
        INVOKE,
        "arn:aws:states:::lambda:invoke.waitForTaskToken",
        SDK_INVOKE,
        "arn:aws:states:::states:startExecution.sync:2",
        "arn:aws:states:::http:invoke",
    ],
)
def test_check_accepts_what_can_run(local: ResourceResolver, resource: str) -> None:
    assert local.check(resource) is None


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:states:::sqs:sendMessage",
        "arn:aws:states:::aws-sdk:s3:getObject",
        "greet",
        "arn:aws:states:::lambda:invoke.sync",
        "arn:aws:states:::http:invoke.waitForTaskToken",
        "arn:aws:states:::http:get",
    ],
)
def test_check_refuses_the_rest_with_aws_wording(local: ResourceResolver, resource: str) -> None:
    assert local.check(resource) == (
        f"The resource provided {resource} is not recognized. The value is not a valid resource ARN, "
        "or the resource is not available in this region."
    )


# --- registered Python functions --------------------------------------------------------------------


def test_a_lambda_arn_runs_the_registered_function_with_input_and_context(local: ResourceResolver) -> None:
    outcome = run(local, "arn:aws:lambda:us-east-1:000000000000:function:greet:prod", {"name": "Ada"})

    assert outcome == TaskOutcome(output={"greeting": "Hello, Ada!", "state": "S"})


def test_lambda_invoke_wraps_the_registered_result_like_lambda(local: ResourceResolver) -> None:
    # when
    outcome = run(
        local,
        INVOKE,
        {"FunctionName": "arn:aws:lambda:eu-west-1:123456789012:function:greet", "Payload": {"name": "Ada"}},
    )

    # expect
    assert outcome.ok
    assert outcome.output["Payload"] == {"greeting": "Hello, Ada!", "state": "S"}
    assert outcome.output["StatusCode"] == 200
    assert outcome.output["ExecutedVersion"] == "$LATEST"
    body_length = len(json.dumps(outcome.output["Payload"]))
    assert outcome.output["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"] == str(body_length)


def test_sdk_invoke_returns_the_payload_as_text(local: ResourceResolver) -> None:
    outcome = run(local, SDK_INVOKE, {"FunctionName": "later:7", "Payload": "[1, 2]"})

    assert outcome.output == {"ExecutedVersion": "7", "Payload": "[1, 2]", "StatusCode": 200}


def test_an_exception_fails_with_its_class_name_and_text(local: ResourceResolver) -> None:
    for resource, parameters in [(LEGACY.format("fail"), {}), (INVOKE, {"FunctionName": "fail"})]:
        assert run(local, resource, parameters) == TaskOutcome(error="KeyError", cause="'missing'")


def test_a_result_that_is_not_json_fails_like_lambdas_runtime(local: ResourceResolver) -> None:
    outcome = run(local, LEGACY.format("unmarshallable"), {})

    assert outcome.error == "Runtime.MarshalError"


def test_an_unknown_function_without_endpoint_is_resource_not_found(local: ResourceResolver) -> None:
    outcome = run(local, INVOKE, {"FunctionName": "nope"})

    assert outcome.error == "Lambda.ResourceNotFoundException"
    assert outcome.cause is not None
    assert outcome.cause.startswith(
        "Function not found: arn:aws:lambda:eu-west-1:123456789012:function:nope:$LATEST "
        "(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: "
    )
    assert outcome.cause.endswith("; Proxy: null)")


def test_missing_function_name_and_unsupported_resources_fail(local: ResourceResolver) -> None:
    assert run(local, INVOKE, {"Payload": {}}).error == "States.Runtime"
    assert run(local, "arn:aws:states:::sqs:sendMessage", {}).error == "States.Runtime"


# --- the Lambda-compatible endpoint (the conformance suite's fake) ---------------------------------


def test_registered_functions_win_over_the_endpoint(remote: ResourceResolver, registry: TaskRegistry) -> None:
    registry.register("identity", lambda event: "local")

    assert run(remote, LEGACY.format("identity"), {}).output == "local"


def test_legacy_invoke_returns_the_function_result(remote: ResourceResolver) -> None:
    parameters = {"FunctionName": "identity", "Payload": None}

    assert run(remote, LEGACY.format("identity"), parameters) == TaskOutcome(output=parameters)


def test_legacy_function_error_cause_is_the_payload_verbatim(remote: ResourceResolver) -> None:
    outcome = run(remote, LEGACY.format("raiser"), {})

    assert outcome.error == "Exception"
    assert outcome.cause is not None
    assert outcome.cause.startswith(
        '{"errorMessage": "Some exception was raised.", "errorType": "Exception", '
    )


@pytest.mark.parametrize(
    ("payload", "expected", "length"),
    [
        (None, {}, "2"),
        ('"HelloWorld"', "HelloWorld", "12"),
        ("0.0", 0.0, "3"),
        (["string-literal"], ["string-literal"], "18"),
    ],
)
def test_lambda_invoke_payloads_as_recorded(
    remote: ResourceResolver, payload: Any, expected: Any, length: str
) -> None:
    # when
    outcome = run(remote, INVOKE, {"FunctionName": "identity", "Payload": payload})

    # expect
    assert outcome.output["Payload"] == expected
    assert type(outcome.output["Payload"]) is type(expected)
    assert outcome.output["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"] == length


def test_lambda_invoke_output_has_the_recorded_keys(remote: ResourceResolver) -> None:
    # given the recorded answer of AWS for the same call, when the corpus is there
    case_file = (
        CONFORMANCE_DIR
        / "cases"
        / "v2_services_test_lambda_task_service--TestTaskServiceLambda--test_invoke.json"
    )
    if not case_file.is_file():
        pytest.skip("conformance cases not available")
    recorded = json.loads(case_file.read_text())["expected"]["output"]
    recorded.pop("final")

    # when
    output = run(remote, INVOKE, {"FunctionName": "identity", "Payload": None}).output

    # expect
    assert set(output) == set(recorded)
    for key in ("AllHttpHeaders", "HttpHeaders"):
        assert set(output["SdkHttpMetadata"][key]) == set(recorded["SdkHttpMetadata"][key])
    static = (
        "Connection",
        "Content-Length",
        "Content-Type",
        "X-Amz-Executed-Version",
        "x-amzn-Remapped-Content-Length",
    )
    for name in static:
        assert (
            output["SdkHttpMetadata"]["HttpHeaders"][name] == recorded["SdkHttpMetadata"]["HttpHeaders"][name]
        )
        assert (
            output["SdkHttpMetadata"]["AllHttpHeaders"][name]
            == recorded["SdkHttpMetadata"]["AllHttpHeaders"][name]
        )
    assert (
        output["SdkResponseMetadata"]["RequestId"]
        == output["SdkHttpMetadata"]["HttpHeaders"]["x-amzn-RequestId"]
    )


def test_lambda_invoke_function_errors(remote: ResourceResolver) -> None:
    # when
    plain = run(remote, INVOKE, {"FunctionName": "raiser"})
    custom = run(remote, INVOKE, {"FunctionName": "custom_raiser"})

    # expect compact causes
    assert plain.error == "Exception"
    assert plain.cause is not None and plain.cause.startswith(
        '{"errorMessage":"Some exception was raised.","errorType":"Exception","requestId":"'
    )
    assert custom.error == "CustomException"
    assert custom.cause is not None and custom.cause.startswith(
        '{"errorMessage":"","errorType":"CustomException",'
    )


def test_lambda_invoke_missing_function(remote: ResourceResolver) -> None:
    outcome = run(remote, INVOKE, {"FunctionName": "no_such_function"})

    assert outcome.error == "Lambda.ResourceNotFoundException"
    assert outcome.cause is not None
    assert outcome.cause.startswith(
        "Function not found: arn:aws:lambda:us-east-1:111111111111:function:no_such_function:$LATEST "
        "(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: "
    )


def test_bytes_and_oversized_results(remote: ResourceResolver) -> None:
    assert run(remote, INVOKE, {"FunctionName": "bytes_str"}).output["Payload"] == "HelloWorld!"
    large = run(remote, LEGACY.format("large"), {}).output
    assert large == "a" * (257 * 1024)


def test_decorated_input(remote: ResourceResolver) -> None:
    outcome = run(remote, INVOKE, {"FunctionName": "decorated", "Payload": ["string-literal"]})

    assert outcome.output["Payload"] == "input-event-['string-literal']"


def test_invoke_options(remote: ResourceResolver) -> None:
    # when
    asynchronous = run(remote, INVOKE, {"FunctionName": "identity", "InvocationType": "Event"})
    qualified = run(remote, INVOKE, {"FunctionName": "111111111111:function:identity:3", "LogType": "Tail"})

    # expect
    assert (asynchronous.output["StatusCode"], asynchronous.output["Payload"]) == (202, "")
    assert qualified.output["ExecutedVersion"] == "3"
    assert "LogResult" in qualified.output


def test_sdk_invoke_against_the_endpoint(remote: ResourceResolver) -> None:
    # when
    ok = run(remote, SDK_INVOKE, {"FunctionName": "echo"})
    failed = run(remote, SDK_INVOKE, {"FunctionName": "raiser"})
    missing = run(remote, SDK_INVOKE, {"FunctionName": "nope"})

    # expect
    assert ok.output == {
        "ExecutedVersion": "$LATEST",
        "Payload": '{"Return": "HelloWorld"}',
        "StatusCode": 200,
    }
    assert failed.ok and failed.output["FunctionError"] == "Unhandled"
    assert missing.error == "Lambda.ResourceNotFoundException"
    assert missing.cause is not None and "(Service: Lambda, Status Code: 404, Request ID: " in missing.cause


def test_an_unreachable_endpoint(registry: TaskRegistry) -> None:
    # given a port nothing listens on
    resolver = ResourceResolver(registry, lambda_endpoint="http://127.0.0.1:9")

    # when
    outcome = run(resolver, INVOKE, {"FunctionName": "identity"})
    resolver.close()

    # expect
    assert outcome.error == "Lambda.SdkClientException"
    assert outcome.cause is not None and outcome.cause.startswith("Unable to execute HTTP request: ")


# --- the HTTP Task --------------------------------------------------------------------------------


def test_http_invoke_runs_the_http_task_with_the_resolvers_connections(registry: TaskRegistry) -> None:
    # given a resolver whose connections know no "missing" connection
    resolver = ResourceResolver(registry, connections=ConnectionStore())
    parameters = {
        "ApiEndpoint": "https://api.example.com/v1",
        "Method": "GET",
        "InvocationConfig": {"ConnectionArn": "arn:aws:events:us-east-1:123456789012:connection/missing/1"},
    }

    # when
    outcome = run(resolver, "arn:aws:states:::http:invoke", parameters)

    # expect the HTTP Task's failure for an unknown connection (no request is attempted)
    assert outcome.error == "Events.ConnectionResource.ResourceNotFound"
    resolver.close()
