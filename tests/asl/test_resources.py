"""Task Resource ARNs: parsing and the (resourceType, resource) names AWS records in Task* events."""

from __future__ import annotations

import pytest

from orchestrator.asl.resources import Resource, history_names, parse_resource


def test_lambda_function_arn_with_and_without_qualifier() -> None:
    # given / when
    plain = parse_resource("arn:aws:lambda:us-east-1:111111111111:function:lambda_func_72ac2bd5")
    aliased = parse_resource("arn:aws:lambda:eu-west-1:123456789012:function:greet:prod")

    # expect
    assert plain == Resource(
        arn="arn:aws:lambda:us-east-1:111111111111:function:lambda_func_72ac2bd5",
        kind="lambda_function",
        service="lambda",
        region="us-east-1",
        account="111111111111",
        function_name="lambda_func_72ac2bd5",
    )
    assert (aliased.function_name, aliased.qualifier, aliased.region) == ("greet", "prod", "eu-west-1")


@pytest.mark.parametrize(
    ("arn", "service", "action", "pattern"),
    [
        ("arn:aws:states:::lambda:invoke", "lambda", "invoke", ""),
        ("arn:aws:states:::lambda:invoke.waitForTaskToken", "lambda", "invoke", "waitForTaskToken"),
        ("arn:aws:states:::states:startExecution.sync", "states", "startExecution", "sync"),
        ("arn:aws:states:::states:startExecution.sync:2", "states", "startExecution", "sync:2"),
        ("arn:aws:states:::aws-sdk:s3:getObject", "aws-sdk:s3", "getObject", ""),
        (
            "arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken",
            "aws-sdk:s3",
            "listBuckets",
            "waitForTaskToken",
        ),
        ("arn:aws-cn:states:::sqs:sendMessage", "sqs", "sendMessage", ""),
    ],
)
def test_service_integrations(arn: str, service: str, action: str, pattern: str) -> None:
    # when
    resource = parse_resource(arn)

    # expect
    assert (resource.kind, resource.service, resource.action, resource.pattern) == (
        "service",
        service,
        action,
        pattern,
    )
    assert resource.region is None and resource.account is None


def test_activity() -> None:
    resource = parse_resource("arn:aws:states:us-east-1:111111111111:activity:activity-2893bde7")

    assert (resource.kind, resource.region, resource.account) == ("activity", "us-east-1", "111111111111")


@pytest.mark.parametrize(
    "text",
    [
        "greet",
        "arn:aws:states:::lambda:invoke.nosuchpattern",
        "arn:aws:lambda:us-east-1:111111111111:layer:x",
        "arn:aws:sqs:us-east-1:111111111111:queue",
        "arn:aws:states:::lambda",
        "",
    ],
)
def test_anything_else_is_unknown(text: str) -> None:
    assert parse_resource(text).kind == "unknown"


@pytest.mark.parametrize(
    ("arn", "names"),
    [
        ("arn:aws:states:::lambda:invoke", ("lambda", "invoke")),
        ("arn:aws:states:::lambda:invoke.waitForTaskToken", ("lambda", "invoke.waitForTaskToken")),
        ("arn:aws:states:::sqs:sendMessage.waitForTaskToken", ("sqs", "sendMessage.waitForTaskToken")),
        ("arn:aws:states:::states:startExecution.sync:2", ("states", "startExecution.sync:2")),
        ("arn:aws:states:::aws-sdk:dynamodb:putItem", ("aws-sdk:dynamodb", "putItem")),
    ],
)
def test_history_names_as_recorded(arn: str, names: tuple[str, str]) -> None:
    assert history_names(parse_resource(arn)) == names


def test_lambda_function_arns_have_no_task_event_names() -> None:
    with pytest.raises(ValueError, match="not a service integration"):
        history_names(parse_resource("arn:aws:lambda:us-east-1:111111111111:function:f"))
