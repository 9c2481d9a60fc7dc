from typing import Any

import pytest

from orchestrator.errors import ApiError
from orchestrator.service import StepFunctionsService
from tests.service.conftest import FakeRuntime, create

MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:machine"
EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:machine:e"


def error_of(call: Any, request: dict[str, Any]) -> ApiError:
    with pytest.raises(ApiError) as caught:
        call(request)
    return caught.value


def test_given_a_start_expect_the_execution_described_with_aws_members(service: StepFunctionsService) -> None:
    create(service)
    started = service.start_execution({"stateMachineArn": MACHINE, "name": "e", "input": '{"a": 1}'})
    described = service.describe_execution({"executionArn": EXECUTION})
    assert started["executionArn"] == EXECUTION
    assert described["status"] == "SUCCEEDED" and described["output"] == '{"a": 1}'
    assert described["inputDetails"] == {"included": True} == described["outputDetails"]
    assert described["startDate"] == started["startDate"] and described["stopDate"] >= described["startDate"]
    assert described["redriveStatus"] == "NOT_REDRIVABLE"
    assert described["redriveStatusReason"] == "Execution is SUCCEEDED and cannot be redriven"


def test_given_no_name_and_no_input_expect_a_uuid_name_and_empty_object(
    service: StepFunctionsService, runtime: FakeRuntime
) -> None:
    create(service)
    started = service.start_execution({"stateMachineArn": MACHINE})
    execution = runtime.launched[0][1]
    assert len(execution.name) == 36 and started["executionArn"].endswith(execution.name)
    assert execution.input == "{}"


def test_given_the_same_name_and_input_while_running_expect_the_same_execution(
    service: StepFunctionsService, runtime: FakeRuntime
) -> None:
    create(service)
    runtime.hold = True
    first = service.start_execution({"stateMachineArn": MACHINE, "name": "e", "input": "{}"})
    again = service.start_execution({"stateMachineArn": MACHINE, "name": "e", "input": "{}"})
    error = error_of(service.start_execution, {"stateMachineArn": MACHINE, "name": "e", "input": '{"x": 1}'})
    assert again == first and len(runtime.launched) == 1
    assert (error.code, error.message) == (
        "ExecutionAlreadyExists",
        f"Execution Already Exists: '{EXECUTION}'",
    )


def test_given_a_finished_execution_when_its_name_is_reused_expect_already_exists(
    service: StepFunctionsService,
) -> None:
    create(service)
    service.start_execution({"stateMachineArn": MACHINE, "name": "e"})
    assert (
        error_of(service.start_execution, {"stateMachineArn": MACHINE, "name": "e"}).code
        == "ExecutionAlreadyExists"
    )


def test_given_a_missing_machine_expect_does_not_exist(service: StepFunctionsService) -> None:
    error = error_of(service.start_execution, {"stateMachineArn": MACHINE})
    assert (error.code, error.message) == (
        "StateMachineDoesNotExist",
        f"State Machine Does Not Exist: '{MACHINE}'",
    )


def test_given_invalid_input_expect_invalid_execution_input(service: StepFunctionsService) -> None:
    create(service)
    assert (
        error_of(service.start_execution, {"stateMachineArn": MACHINE, "input": "{'a'}"}).code
        == "InvalidExecutionInput"
    )


def test_given_a_bad_name_expect_invalid_name(service: StepFunctionsService) -> None:
    create(service)
    assert (
        error_of(service.start_execution, {"stateMachineArn": MACHINE, "name": "a b"}).code == "InvalidName"
    )


def test_given_a_standard_machine_when_started_sync_expect_type_not_supported(
    service: StepFunctionsService,
) -> None:
    create(service)
    error = error_of(service.start_sync_execution, {"stateMachineArn": MACHINE})
    assert (error.code, error.message) == (
        "StateMachineTypeNotSupported",
        "This operation is not supported by this type of state machine",
    )


def test_given_an_express_machine_when_started_sync_expect_result_and_billing(
    service: StepFunctionsService,
) -> None:
    create(service, type="EXPRESS")
    result = service.start_sync_execution({"stateMachineArn": MACHINE, "name": "s", "input": "[1]"})
    assert result["executionArn"].startswith("arn:aws:states:us-east-1:123456789012:express:machine:s:")
    assert (result["status"], result["output"], result["input"], result["name"]) == (
        "SUCCEEDED",
        "[1]",
        "[1]",
        "s",
    )
    assert result["billingDetails"] == {"billedDurationInMilliseconds": 100, "billedMemoryUsedInMB": 64}
    assert "redriveStatus" not in result


def test_given_a_running_execution_when_stopped_expect_aborted_with_error_and_cause(
    service: StepFunctionsService, runtime: FakeRuntime
) -> None:
    create(service)
    runtime.hold = True
    service.start_execution({"stateMachineArn": MACHINE, "name": "e"})
    stopped = service.stop_execution({"executionArn": EXECUTION, "error": "Err", "cause": "Why"})
    described = service.describe_execution({"executionArn": EXECUTION})
    assert isinstance(stopped["stopDate"], float)
    assert (described["status"], described["error"], described["cause"]) == ("ABORTED", "Err", "Why")
    assert "output" not in described


def test_given_executions_when_listed_expect_newest_first_filter_and_pages(
    service: StepFunctionsService, runtime: FakeRuntime
) -> None:
    create(service)
    for name in ("e1", "e2", "e3"):
        service.start_execution({"stateMachineArn": MACHINE, "name": name})
    runtime.hold = True
    service.start_execution({"stateMachineArn": MACHINE, "name": "e4"})
    first = service.list_executions({"stateMachineArn": MACHINE, "maxResults": 3})
    rest = service.list_executions(
        {"stateMachineArn": MACHINE, "maxResults": 3, "nextToken": first["nextToken"]}
    )
    running = service.list_executions({"stateMachineArn": MACHINE, "statusFilter": "RUNNING"})
    assert [e["name"] for e in first["executions"] + rest["executions"]] == ["e4", "e3", "e2", "e1"]
    assert [e["name"] for e in running["executions"]] == ["e4"]
    assert first["executions"][1]["redriveCount"] == 0 and "stopDate" not in first["executions"][0]


def test_given_a_lowercase_status_filter_expect_aws_enum_message(service: StepFunctionsService) -> None:
    create(service)
    error = error_of(service.list_executions, {"stateMachineArn": MACHINE, "statusFilter": "succeeded"})
    assert error.message == (
        "1 validation error detected: Value 'succeeded' at 'statusFilter' failed to satisfy constraint: Member "
        "must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]"
    )


def test_given_an_unknown_execution_expect_does_not_exist(service: StepFunctionsService) -> None:
    error = error_of(service.describe_execution, {"executionArn": EXECUTION})
    assert (error.code, error.message) == (
        "ExecutionDoesNotExist",
        f"Execution Does Not Exist: '{EXECUTION}'",
    )
    assert error_of(service.describe_execution, {"executionArn": "bad"}).code == "InvalidArn"


def test_given_an_execution_expect_its_state_machine_described(service: StepFunctionsService) -> None:
    create(service)
    service.start_execution({"stateMachineArn": MACHINE, "name": "e"})
    described = service.describe_state_machine_for_execution({"executionArn": EXECUTION})
    assert described["stateMachineArn"] == MACHINE and "updateDate" in described and "status" not in described
