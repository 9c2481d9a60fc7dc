"""The endpoint driven by boto3 (as users and the conformance checker drive it)."""

import json
import threading
import time

import httpx
import pytest
from botocore.exceptions import ClientError

from tests.api.conftest import RunningServer
from tests.service.conftest import FakeRuntime

DEFINITION = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
ROLE = "arn:aws:iam::111111111111:role/r"


def test_given_a_machine_when_started_through_boto3_expect_described_results(server: RunningServer) -> None:
    sfn = server.client()
    created = sfn.create_state_machine(name="m", definition=DEFINITION, roleArn=ROLE)
    started = sfn.start_execution(stateMachineArn=created["stateMachineArn"], name="e", input='{"x": 1}')
    described = sfn.describe_execution(executionArn=started["executionArn"])
    history = sfn.get_execution_history(executionArn=started["executionArn"])["events"]
    assert created["stateMachineArn"] == "arn:aws:states:us-east-1:111111111111:stateMachine:m"
    assert (described["status"], json.loads(described["output"])) == ("SUCCEEDED", {"x": 1})
    assert described["startDate"] == started["startDate"]  # boto3 parsed the epoch numbers into datetimes
    assert [e["type"] for e in history] == ["ExecutionStarted", "ExecutionSucceeded"]


def test_given_an_api_error_expect_boto3_to_see_aws_code_and_message(server: RunningServer) -> None:
    sfn = server.client()
    arn = "arn:aws:states:us-east-1:111111111111:stateMachine:missing"
    with pytest.raises(ClientError) as caught:
        sfn.start_execution(stateMachineArn=arn)
    error = caught.value.response
    assert error["Error"] == {
        "Code": "StateMachineDoesNotExist",
        "Message": f"State Machine Does Not Exist: '{arn}'",
    }
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_given_a_validation_error_expect_validation_exception_code(server: RunningServer) -> None:
    with pytest.raises(ClientError) as caught:
        server.client().list_state_machines(maxResults=1001)
    assert caught.value.response["Error"]["Code"] == "ValidationException"


def test_given_the_sigv4_region_expect_arns_in_that_region(server: RunningServer) -> None:
    created = server.client(region="eu-west-1").create_state_machine(
        name="m", definition=DEFINITION, roleArn=ROLE
    )
    assert created["stateMachineArn"].startswith("arn:aws:states:eu-west-1:111111111111:")


def test_given_an_express_machine_expect_start_sync_execution_to_answer_the_result(
    server: RunningServer,
) -> None:
    sfn = server.client()
    arn = sfn.create_state_machine(name="x", definition=DEFINITION, roleArn=ROLE, type="EXPRESS")[
        "stateMachineArn"
    ]
    result = sfn.start_sync_execution(stateMachineArn=arn, input="{}")
    assert result["status"] == "SUCCEEDED" and result["billingDetails"]["billedMemoryUsedInMB"] == 64


def test_given_test_state_expect_the_runtime_answer(server: RunningServer, runtime: FakeRuntime) -> None:
    result = server.client().test_state(
        definition='{"Type": "Pass", "End": true}', roleArn=ROLE, input='{"a": 1}'
    )
    assert result["status"] == "SUCCEEDED" and json.loads(result["output"]) == {"a": 1}


def test_given_an_unknown_target_expect_unknown_operation(server: RunningServer) -> None:
    answer = httpx.post(server.url, headers={"X-Amz-Target": "AWSStepFunctions.Explode"}, content=b"{}")
    assert answer.status_code == 400
    assert answer.json()["__type"] == "com.amazon.coral.service#UnknownOperationException"


def test_given_a_body_that_is_not_json_expect_serialization_exception(server: RunningServer) -> None:
    answer = httpx.post(
        server.url, headers={"X-Amz-Target": "AWSStepFunctions.ListStateMachines"}, content=b"{"
    )
    assert (answer.status_code, answer.json()["__type"]) == (
        400,
        "com.amazon.coral.service#SerializationException",
    )


def test_given_an_unexpected_failure_expect_500_without_a_stack(
    server: RunningServer, runtime: FakeRuntime
) -> None:
    def explode(request: dict) -> dict:
        raise RuntimeError("secret internals")

    runtime.test_state = explode  # type: ignore[method-assign]
    answer = httpx.post(
        server.url,
        headers={"X-Amz-Target": "AWSStepFunctions.TestState", "Content-Type": "application/x-amz-json-1.0"},
        content=json.dumps({"definition": "{}"}).encode(),
    )
    assert answer.status_code == 500
    assert answer.json()["__type"] == "com.amazon.coral.service#InternalFailure"
    assert "secret" not in answer.text


def test_given_a_sync_host_prefix_expect_the_request_served(server: RunningServer) -> None:
    answer = httpx.post(
        server.url,
        headers={"Host": "sync-127.0.0.1", "X-Amz-Target": "AWSStepFunctions.ListStateMachines"},
        content=b"{}",
    )
    assert answer.json() == {"stateMachines": []}


def test_given_the_health_route_expect_ok(server: RunningServer) -> None:
    assert httpx.get(server.url + "/health").json() == {"status": "ok"}


def test_given_a_blocked_sync_execution_expect_other_calls_answered_and_stop_to_release_it(
    server: RunningServer, runtime: FakeRuntime
) -> None:
    sfn = server.client(read_timeout=30)
    arn = sfn.create_state_machine(name="x", definition=DEFINITION, roleArn=ROLE, type="EXPRESS")[
        "stateMachineArn"
    ]
    runtime.hold = True
    results: list[dict] = []
    worker = threading.Thread(target=lambda: results.append(sfn.start_sync_execution(stateMachineArn=arn)))
    worker.start()
    deadline = time.monotonic() + 10
    while not (running := sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    sfn.stop_execution(executionArn=running[0]["executionArn"], error="Stopped")
    worker.join(timeout=10)
    assert results[0]["status"] == "ABORTED" and results[0]["error"] == "Stopped"
