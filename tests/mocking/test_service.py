"""End to end: mocked test cases through ``embedded_service(mock_config=...)`` with boto3-shaped requests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from orchestrator.errors import ApiError
from orchestrator.mocking import MockConfigError, parse_mock_config
from orchestrator.service import StepFunctionsService
from orchestrator.service.embedded import embedded_service

ROLE = "arn:aws:iam::123456789012:role/r"
TASKS = """
from workers import task

@task
def Notify(event):
    return {"notified": event}
"""
LAMBDA_SQS = {
    "StartAt": "LambdaState",
    "States": {
        "LambdaState": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"Payload.$": "$", "FunctionName": "HelloWorldFunction"},
            "Retry": [
                {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2}
            ],
            "ResultSelector": {"body.$": "$.Payload.body"},
            "Next": "SQSState",
        },
        "SQSState": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage",
            "Parameters": {
                "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q",
                "MessageBody.$": "$",
            },
            "Next": "Notify",
        },
        "Notify": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Notify",
            "End": True,
        },
    },
}
ITEMS = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "MaxConcurrency": 1,
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Work",
                "States": {
                    "Work": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::lambda:invoke",
                        "Parameters": {"FunctionName": "work", "Payload.$": "$"},
                        "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 1, "MaxAttempts": 1}],
                        "Catch": [{"ErrorEquals": ["Fatal"], "Next": "Recover"}],
                        "End": True,
                    },
                    "Recover": {"Type": "Pass", "Result": "caught", "End": True},
                },
            },
            "End": True,
        }
    },
}
CONFIG: dict[str, Any] = {
    "StateMachines": {
        "LambdaSQS": {
            "TestCases": {
                "HappyPath": {"LambdaState": "LambdaSuccess", "SQSState": "SQSSuccess"},
                "RetryPath": {"LambdaState": "LambdaRetry", "SQSState": "SQSSuccess"},
                "TooFewRetries": {"LambdaState": "LambdaFailsOnce"},
            }
        },
        "Items": {"TestCases": {"Mixed": {"Work": "WorkResponses"}}},
        "Express": {"TestCases": {"Happy": {"LambdaState": "LambdaSuccess", "SQSState": "SQSSuccess"}}},
        "Callback": {"TestCases": {"Approved": {"Approval": "SQSSuccess"}}},
    },
    "MockedResponses": {
        "LambdaSuccess": {"0": {"Return": {"StatusCode": 200, "Payload": {"body": "Hello"}}}},
        "SQSSuccess": {"0": {"Return": {"MessageId": "m-1"}}},
        "LambdaRetry": {
            "0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "not ready"}},
            "1-2": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "timed out"}},
            "3": {"Return": {"StatusCode": 200, "Payload": {"body": "Hello at last"}}},
        },
        "LambdaFailsOnce": {"0": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "timed out"}}},
        "WorkResponses": {
            "0": {"Return": "a"},
            "1": {"Throw": {"Error": "Boom", "Cause": "retried"}},
            "2": {"Return": "b"},
            "3": {"Throw": {"Error": "Fatal", "Cause": "caught"}},
        },
    },
}


@pytest.fixture
def service(tmp_path: Path) -> Iterator[StepFunctionsService]:
    tasks = tmp_path / "tasks.py"
    tasks.write_text(TASKS)
    service = embedded_service(
        task_modules=[str(tasks)], time_skipping=True, mock_config=parse_mock_config(CONFIG)
    )
    yield service
    service.close()


def create(service: StepFunctionsService, name: str, definition: dict[str, Any], **extra: Any) -> str:
    request = {"name": name, "definition": json.dumps(definition), "roleArn": ROLE, **extra}
    return str(service.dispatch("CreateStateMachine", request)["stateMachineArn"])


def run(service: StepFunctionsService, machine_arn: str, input: Any = None) -> dict[str, Any]:
    """Start an execution, wait for its end; DescribeExecution's answer plus its history's event types."""
    request: dict[str, Any] = {"stateMachineArn": machine_arn}
    if input is not None:
        request["input"] = json.dumps(input)
    arn = service.dispatch("StartExecution", request)["executionArn"]
    service.runtime.wait(arn, timeout=30)
    described: dict[str, Any] = service.dispatch("DescribeExecution", {"executionArn": arn})
    events = service.dispatch("GetExecutionHistory", {"executionArn": arn})["events"]
    described["events"] = events
    return described


def types(described: dict[str, Any]) -> list[str]:
    return [event["type"] for event in described["events"]]


def test_given_the_happy_path_expect_mocked_results_and_the_unmocked_task_run_for_real(
    service: StepFunctionsService,
) -> None:
    machine = create(service, "LambdaSQS", LAMBDA_SQS)
    described = run(service, f"{machine}#HappyPath", {"who": "me"})
    assert described["status"] == "SUCCEEDED"
    assert described["stateMachineArn"] == machine and described["executionArn"].startswith(
        "arn:aws:states:us-east-1:123456789012:execution:LambdaSQS:"
    )
    assert json.loads(described["output"]) == {"notified": {"MessageId": "m-1"}}
    sqs = next(e for e in described["events"] if e["type"] == "TaskStateEntered" and "SQS" in json.dumps(e))
    assert json.loads(sqs["stateEnteredEventDetails"]["input"]) == {"body": "Hello"}


def test_given_the_retry_path_expect_each_attempt_to_take_the_next_response(
    service: StepFunctionsService,
) -> None:
    machine = create(service, "LambdaSQS", LAMBDA_SQS)
    described = run(service, f"{machine}#RetryPath")
    assert described["status"] == "SUCCEEDED"
    failures = [
        e["taskFailedEventDetails"]["error"] for e in described["events"] if e["type"] == "TaskFailed"
    ]
    assert failures == [
        "Lambda.ResourceNotReadyException",
        "Lambda.TimeoutException",
        "Lambda.TimeoutException",
    ]
    succeeded = [e for e in described["events"] if e["type"] == "TaskSucceeded"]
    assert json.loads(succeeded[0]["taskSucceededEventDetails"]["output"])["Payload"] == {
        "body": "Hello at last"
    }


def test_given_a_retry_with_no_mocked_response_expect_the_execution_to_fail_with_states_runtime(
    service: StepFunctionsService,
) -> None:
    machine = create(service, "LambdaSQS", LAMBDA_SQS)
    described = run(service, f"{machine}#TooFewRetries")
    assert described["status"] == "FAILED" and described["error"] == "States.Runtime"
    assert described["cause"] == (
        "The mocked response 'LambdaFailsOnce' has no entry for invocation 1 of state 'LambdaState' "
        "(test case 'TooFewRetries')"
    )
    assert types(described).count("TaskFailed") == 2  # States.Runtime is not retried, even by States.ALL


def test_given_a_map_expect_its_iterations_to_share_the_states_invocations(
    service: StepFunctionsService,
) -> None:
    machine = create(service, "Items", ITEMS)
    described = run(service, f"{machine}#Mixed", [1, 2, 3])
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == ["a", "b", "caught"]


def test_given_an_express_machine_expect_start_sync_execution_to_run_the_test_case(
    service: StepFunctionsService,
) -> None:
    machine = create(service, "Express", LAMBDA_SQS, type="EXPRESS")
    answer = service.dispatch("StartSyncExecution", {"stateMachineArn": f"{machine}#Happy"})
    assert answer["status"] == "SUCCEEDED"
    assert json.loads(answer["output"]) == {"notified": {"MessageId": "m-1"}}
    assert answer["stateMachineArn"] == machine


def test_given_no_test_case_expect_every_task_to_run_for_real(service: StepFunctionsService) -> None:
    machine = create(service, "LambdaSQS", LAMBDA_SQS)
    described = run(service, machine)
    assert described["status"] == "FAILED" and described["error"] == "Lambda.ResourceNotFoundException"


def test_given_an_unknown_test_case_expect_start_execution_rejected(service: StepFunctionsService) -> None:
    machine = create(service, "LambdaSQS", LAMBDA_SQS)
    with pytest.raises(ApiError) as caught:
        service.dispatch("StartExecution", {"stateMachineArn": f"{machine}#Nope"})
    assert caught.value.code == "StateMachineDoesNotExist"
    assert "Test case 'Nope' is not defined for state machine 'LambdaSQS'" in caught.value.message
    with pytest.raises(ApiError) as missing_machine:
        service.dispatch("StartExecution", {"stateMachineArn": f"{machine}x#HappyPath"})
    assert missing_machine.value.message == f"State Machine Does Not Exist: '{machine}x'"


def test_given_no_mock_config_expect_a_test_case_suffix_rejected_as_aws_does() -> None:
    service = embedded_service()
    try:
        machine = create(service, "Plain", {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
        with pytest.raises(ApiError) as caught:
            service.dispatch("StartExecution", {"stateMachineArn": f"{machine}#HappyPath"})
        assert caught.value.code == "StateMachineDoesNotExist"
        assert caught.value.message == f"State Machine Does Not Exist: '{machine}#HappyPath'"
    finally:
        service.close()


def test_given_an_invalid_mock_config_file_expect_the_service_not_built(tmp_path: Path) -> None:
    path = tmp_path / "MockConfigFile.json"
    path.write_text('{"MockedResponses": {"R": {"first": {"Return": 1}}}}')
    with pytest.raises(MockConfigError, match=r"/MockedResponses/R/first"):
        embedded_service(mock_config=path)


def test_given_a_mock_config_in_distributed_mode_expect_it_refused_not_ignored() -> None:
    from orchestrator.service.distributed import distributed_service

    with pytest.raises(ValueError, match="embedded mode only"):
        distributed_service("redis://127.0.0.1:1/0", mock_config=parse_mock_config(CONFIG))


def test_given_a_mocked_wait_for_task_token_task_expect_the_mock_to_end_it(
    service: StepFunctionsService,
) -> None:
    definition = {
        "StartAt": "Approval",
        "States": {
            "Approval": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {
                    "QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/q",
                    "MessageBody.$": "$$.Task.Token",
                },
                "End": True,
            }
        },
    }
    machine = create(service, "Callback", definition)

    described = run(service, f"{machine}#Approved")

    assert (described["status"], json.loads(described["output"])) == ("SUCCEEDED", {"MessageId": "m-1"})
    # As the corpus's mock variant records it: submitted, then ended by the mocked response.
    assert types(described)[-5:-2] == ["TaskStarted", "TaskSubmitted", "TaskSucceeded"]
