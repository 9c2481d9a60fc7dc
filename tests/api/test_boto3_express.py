"""EXPRESS workflows through boto3: asynchronous and synchronous starts, the five-minute limit, and the
definitions an EXPRESS machine refuses (AWS: "Standard vs. Express workflows")."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from orchestrator.service import StepFunctionsService
from orchestrator.service.embedded import embedded_service
from orchestrator.service.executions import EXPRESS_MAX_DURATION_SECONDS
from tests.api.conftest import RunningServer

ROLE = "arn:aws:iam::111111111111:role/r"
PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def waiting(seconds: int, **top: Any) -> dict[str, Any]:
    return {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": seconds, "End": True}}, **top}


def task(resource: str) -> dict[str, Any]:
    return {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": resource, "End": True}}}


@pytest.fixture
def service() -> Iterator[StepFunctionsService]:
    service = embedded_service(time_skipping=True, account_id="111111111111")
    try:
        yield service
    finally:
        service.close()


@pytest.fixture
def sfn(serve: Callable[[StepFunctionsService], RunningServer], service: StepFunctionsService) -> Any:
    return serve(service).client(read_timeout=60)


def express(sfn: Any, definition: dict[str, Any], name: str = "x") -> str:
    created = sfn.create_state_machine(
        name=name, definition=json.dumps(definition), roleArn=ROLE, type="EXPRESS"
    )
    return str(created["stateMachineArn"])


def finished(sfn: Any, arn: str) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while (described := sfn.describe_execution(executionArn=arn))["status"] == "RUNNING":
        assert time.monotonic() < deadline, "execution did not finish"
        time.sleep(0.02)
    return described  # type: ignore[no-any-return]


def test_given_an_express_machine_when_started_twice_by_name_expect_two_express_executions(sfn: Any) -> None:
    arn = express(sfn, PASS)
    first = sfn.start_execution(stateMachineArn=arn, name="same", input="{}")["executionArn"]
    second = sfn.start_execution(stateMachineArn=arn, name="same", input="{}")["executionArn"]
    assert first != second
    assert first.startswith("arn:aws:states:us-east-1:111111111111:express:x:same:")
    assert [finished(sfn, a)["status"] for a in (first, second)] == ["SUCCEEDED", "SUCCEEDED"]


def test_given_a_sync_start_expect_every_required_member_and_billing(sfn: Any) -> None:
    result = sfn.start_sync_execution(stateMachineArn=express(sfn, PASS), name="n", input='{"a": 1}')
    assert {"executionArn", "startDate", "stopDate", "status"} <= result.keys()
    assert (result["status"], result["name"], json.loads(result["output"])) == ("SUCCEEDED", "n", {"a": 1})
    assert result["billingDetails"]["billedDurationInMilliseconds"] >= 100


def test_given_an_execution_longer_than_five_minutes_expect_timed_out(sfn: Any) -> None:
    result = sfn.start_sync_execution(stateMachineArn=express(sfn, waiting(600)))
    history = sfn.get_execution_history(executionArn=result["executionArn"])["events"]
    assert result["status"] == "TIMED_OUT" and "output" not in result
    assert history[-1]["type"] == "ExecutionTimedOut"
    billed = result["billingDetails"]["billedDurationInMilliseconds"]
    assert billed == EXPRESS_MAX_DURATION_SECONDS * 1000


def test_given_an_async_express_execution_past_the_limit_expect_timed_out(sfn: Any) -> None:
    arn = sfn.start_execution(stateMachineArn=express(sfn, waiting(3600)))["executionArn"]
    assert finished(sfn, arn)["status"] == "TIMED_OUT"


def test_given_a_shorter_machine_timeout_expect_it_kept(sfn: Any) -> None:
    result = sfn.start_sync_execution(stateMachineArn=express(sfn, waiting(600, TimeoutSeconds=10)))
    assert result["status"] == "TIMED_OUT"
    assert result["billingDetails"]["billedDurationInMilliseconds"] == 10_000


def test_given_a_shortened_limit_expect_a_real_time_timeout(
    serve: Callable[[StepFunctionsService], RunningServer],
) -> None:
    service = embedded_service(account_id="111111111111")  # a real clock
    service.express_max_duration_seconds = 1
    try:
        sfn = serve(service).client()
        started = time.monotonic()
        result = sfn.start_sync_execution(stateMachineArn=express(sfn, waiting(30)))
        assert result["status"] == "TIMED_OUT" and time.monotonic() - started < 10
    finally:
        service.close()


def test_given_a_standard_machine_expect_sync_start_refused(sfn: Any) -> None:
    arn = sfn.create_state_machine(name="s", definition=json.dumps(PASS), roleArn=ROLE)["stateMachineArn"]
    with pytest.raises(ClientError) as caught:
        sfn.start_sync_execution(stateMachineArn=arn)
    assert caught.value.response["Error"] == {
        "Code": "StateMachineTypeNotSupported",
        "Message": "This operation is not supported by this type of state machine",
    }


@pytest.mark.parametrize(
    ("resource", "complaint"),
    [
        (
            "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Express state machine does not support '.waitForTaskToken' service integration ",
        ),
        (
            "arn:aws:states:::states:startExecution.sync",
            "Express state machine does not support '.sync' service integration ",
        ),
        (
            "arn:aws:states:us-east-1:111111111111:activity:a",
            "Express state machine does not support Activity ARN",
        ),
    ],
)
def test_given_an_express_definition_aws_refuses_expect_invalid_definition_on_create_and_update(
    sfn: Any, resource: str, complaint: str
) -> None:
    with pytest.raises(sfn.exceptions.InvalidDefinition) as created:
        express(sfn, task(resource), name="bad")
    arn = express(sfn, PASS, name="good")
    with pytest.raises(sfn.exceptions.InvalidDefinition) as updated:
        sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(task(resource)))
    for caught in (created, updated):
        message = caught.value.response["Error"]["Message"]
        assert message.startswith("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: ")
        assert complaint in message and "/States/T/Resource" in message
