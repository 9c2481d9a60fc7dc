"""The TestState API run directly: one state, its mock, context and configuration, AWS's answers.

Expected values come from the conformance corpus (``test_state`` cases recorded against AWS) where one
shows the behaviour, otherwise from AWS's API reference for TestState.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from orchestrator.engine.test_state import run_test_state
from orchestrator.errors import ApiError
from workers.registry import TaskRegistry
from workers.resources import ResourceResolver

ROLE = "arn:aws:iam::111111111111:role/test"
LAMBDA = "arn:aws:lambda:us-east-1:111111111111:function:double"
INVOKE = "arn:aws:states:::lambda:invoke"
T0 = 1_700_000_000.0


def resolver() -> ResourceResolver:
    registry = TaskRegistry()
    registry.register("double", lambda event: {"doubled": event["n"] * 2})
    return ResourceResolver(registry, account_id="111111111111")


def test_state(state: dict[str, Any], state_input: Any = None, **members: Any) -> dict[str, Any]:
    request: dict[str, Any] = {"definition": json.dumps(state), "roleArn": ROLE, **members}
    if state_input is not None:
        request["input"] = json.dumps(state_input)
    return run_test_state(request, resolver(), now=T0)


test_state.__test__ = False  # type: ignore[attr-defined]


def inspection(response: dict[str, Any]) -> dict[str, Any]:
    data = response["inspectionData"]
    return {k: json.loads(v) if isinstance(v, str) else v for k, v in data.items()}


def rejected(state: dict[str, Any], **members: Any) -> ApiError:
    with pytest.raises(ApiError) as raised:
        test_state(state, {}, **members)
    return raised.value


MOCK_ERROR = {"errorOutput": {"error": "MockException", "cause": "Mock the cause."}}


# ---- states without a resource --------------------------------------------------------------------


def test_given_a_pass_state_expect_its_output_and_no_inspection_at_info() -> None:
    response = test_state({"Type": "Pass", "Result": {"r": 1}, "End": True}, {"v": 0})

    assert response == {"status": "SUCCEEDED", "output": '{"r":1}'}


def test_given_a_pass_state_with_next_expect_the_next_state() -> None:
    response = test_state({"Type": "Pass", "Next": "Elsewhere"}, {"v": 0})

    assert response["nextState"] == "Elsewhere"
    assert json.loads(response["output"]) == {"v": 0}


def test_given_debug_level_expect_each_processing_step_of_a_pass_state() -> None:
    state = {
        "Type": "Pass",
        "InputPath": "$.data",
        "Parameters": {"x.$": "$.a"},
        "ResultPath": "$.out",
        "End": True,
    }

    response = test_state(state, {"data": {"a": 1}}, inspectionLevel="DEBUG")

    assert inspection(response) == {
        "input": {"data": {"a": 1}},
        "afterInputPath": {"a": 1},
        "afterParameters": {"x": 1},
        "afterResultSelector": {"x": 1},
        "afterResultPath": {"data": {"a": 1}, "out": {"x": 1}},
    }


def test_given_a_pass_state_with_a_result_expect_the_result_and_what_follows_it() -> None:
    state = {"Type": "Pass", "InputPath": "$.data", "Result": {"r": 1}, "ResultPath": "$.out", "End": True}

    response = test_state(state, {"data": {"a": 1}}, inspectionLevel="DEBUG")

    assert inspection(response) == {
        "input": {"data": {"a": 1}},
        "result": {"r": 1},
        "afterResultSelector": {"r": 1},
        "afterResultPath": {"data": {"a": 1}, "out": {"r": 1}},
    }


def test_given_a_choice_state_expect_the_chosen_next_state() -> None:
    state = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.value", "NumericGreaterThan": 20, "Next": "Big"}],
        "Default": "Small",
    }

    response = test_state(state, {"value": 22}, inspectionLevel="TRACE")

    assert (response["status"], response["nextState"]) == ("SUCCEEDED", "Big")
    assert inspection(response) == {"input": {"value": 22}, "afterInputPath": {"value": 22}}


def test_given_a_fail_state_expect_failed_with_its_error_and_cause() -> None:
    response = test_state({"Type": "Fail", "Error": "Oops", "Cause": "because"}, {})

    assert response == {"status": "FAILED", "error": "Oops", "cause": "because"}


def test_given_a_wait_state_expect_it_does_not_wait() -> None:
    response = test_state({"Type": "Wait", "Seconds": 3600, "Next": "After"}, {"a": 1})

    assert response == {"status": "SUCCEEDED", "output": '{"a":1}', "nextState": "After"}


def test_given_a_state_name_expect_that_state_of_the_machine_to_run() -> None:
    machine = {
        "StartAt": "First",
        "States": {"First": {"Type": "Pass", "Next": "Second"}, "Second": {"Type": "Succeed"}},
    }

    response = run_test_state(
        {"definition": json.dumps(machine), "stateName": "First", "input": "{}"}, resolver(), now=T0
    )

    assert response["nextState"] == "Second"


def test_given_the_name_of_a_nested_state_expect_that_state_to_run() -> None:
    machine = {
        "StartAt": "Map",
        "States": {
            "Map": {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "Item",
                    "States": {"Item": {"Type": "Pass", "Result": 1, "End": True}},
                },
                "End": True,
            }
        },
    }

    response = run_test_state(
        {"definition": json.dumps(machine), "stateName": "Item", "input": "{}"}, resolver(), now=T0
    )

    assert response == {"status": "SUCCEEDED", "output": "1"}


def test_given_an_unknown_state_name_expect_a_validation_exception() -> None:
    machine = {"StartAt": "First", "States": {"First": {"Type": "Succeed"}}}

    with pytest.raises(ApiError) as raised:
        run_test_state({"definition": json.dumps(machine), "stateName": "dne"}, resolver())

    assert (raised.value.code, raised.value.message) == (
        "ValidationException",
        "State not found in definition",
    )


def test_given_an_invalid_state_expect_invalid_definition() -> None:
    error = rejected({"Type": "Pass", "End": True, "Bogus": 1})

    assert error.code == "InvalidDefinition"


# ---- Task states ------------------------------------------------------------------------------------


def test_given_a_task_expect_its_resource_to_run() -> None:
    response = test_state(
        {"Type": "Task", "Resource": LAMBDA, "End": True}, {"n": 21}, inspectionLevel="DEBUG"
    )

    assert json.loads(response["output"]) == {"doubled": 42}
    assert inspection(response) == {
        "input": {"n": 21},
        "afterInputPath": {"n": 21},
        "afterParameters": {"n": 21},
        "result": {"doubled": 42},
        "afterResultSelector": {"doubled": 42},
        "afterResultPath": {"doubled": 42},
    }


def test_given_a_mocked_result_expect_it_instead_of_the_resource() -> None:
    state = {"Type": "Task", "Resource": LAMBDA, "ResultSelector": {"v.$": "$.value"}, "Next": "N"}

    response = test_state(state, {"n": 1}, mock={"result": '{"value": 7}'})

    assert (response["output"], response["nextState"]) == ('{"v":7}', "N")


def test_given_a_mocked_error_without_handlers_expect_failed() -> None:
    response = test_state({"Type": "Task", "Resource": LAMBDA, "End": True}, {}, mock=MOCK_ERROR)

    assert response == {"status": "FAILED", "error": "MockException", "cause": "Mock the cause."}


RETRY = {"ErrorEquals": ["MockException"], "IntervalSeconds": 1, "MaxAttempts": 5, "BackoffRate": 2.0}


@pytest.mark.parametrize(
    ("count", "status", "details"),
    [
        (0, "RETRIABLE", {"retryIndex": 0, "retryBackoffIntervalSeconds": 1}),
        (4, "RETRIABLE", {"retryIndex": 0, "retryBackoffIntervalSeconds": 16}),
        (5, "FAILED", {"retryIndex": 0}),
    ],
)
def test_given_a_retrier_expect_retriable_until_its_attempts_are_spent(
    count: int, status: str, details: dict[str, int]
) -> None:
    state = {"Type": "Task", "Resource": LAMBDA, "Retry": [RETRY], "End": True}

    response = test_state(
        state, {}, mock=MOCK_ERROR, inspectionLevel="DEBUG", stateConfiguration={"retrierRetryCount": count}
    )

    assert (response["status"], response["error"]) == (status, "MockException")
    assert inspection(response)["errorDetails"] == details
    assert "output" not in response


def test_given_a_catcher_expect_caught_error_with_its_next_and_result_path() -> None:
    state = {
        "Type": "Task",
        "Resource": LAMBDA,
        "Catch": [
            {"ErrorEquals": ["Other"], "Next": "A"},
            {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handler"},
        ],
        "End": True,
    }

    response = test_state(state, {"in": 1}, mock=MOCK_ERROR, inspectionLevel="DEBUG")

    assert (response["status"], response["nextState"]) == ("CAUGHT_ERROR", "Handler")
    assert json.loads(response["output"]) == {
        "in": 1,
        "error": {"Error": "MockException", "Cause": "Mock the cause."},
    }
    assert inspection(response)["errorDetails"] == {"catchIndex": 1}


def test_given_a_task_without_role_or_mock_expect_a_validation_exception() -> None:
    with pytest.raises(ApiError) as raised:
        run_test_state(
            {"definition": json.dumps({"Type": "Task", "Resource": LAMBDA, "End": True})}, resolver()
        )

    assert raised.value.message == "RoleArn must be specified when testing a Task state"


# ---- mocks ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("state_type", ["Pass", "Succeed", "Fail"])
def test_given_a_mock_for_a_state_without_a_resource_expect_a_validation_exception(state_type: str) -> None:
    state = {"Type": state_type, **({"End": True} if state_type == "Pass" else {})}

    error = rejected(state, mock={"result": "{}"})

    assert error.message == f"State type '{state_type}' is not supported when a mock is specified"


@pytest.mark.parametrize(
    ("mock", "message"),
    [
        ({"result": "not JSON"}, "Mocked result must be valid JSON"),
        (
            {"result": "{}", **MOCK_ERROR},
            "A test mock should have only one of the following fields: [result, errorOutput].",
        ),
    ],
)
def test_given_a_malformed_mock_expect_a_validation_exception(mock: dict[str, Any], message: str) -> None:
    error = rejected({"Type": "Task", "Resource": INVOKE, "End": True}, mock=mock)

    assert (error.code, error.message) == ("ValidationException", message)


@pytest.mark.parametrize(
    ("resource", "result", "mode", "message"),
    [
        (
            "arn:aws:states:::aws-sdk:kms:encrypt",
            {"CiphertextBlob": 123},
            "STRICT",
            "Field 'CiphertextBlob' must be a string",
        ),
        (
            "arn:aws:states:::aws-sdk:kms:encrypt",
            {"CiphertextBlob": ""},
            "PRESENT",
            "Field 'CiphertextBlob' is smaller than the minimum length",
        ),
        (
            "arn:aws:states:::aws-sdk:lambda:getFunction",
            {"Configuration": {"MemorySize": 127}},
            "STRICT",
            "Field 'MemorySize' is less than the minimum value",
        ),
        (
            "arn:aws:states:::dynamodb:putItem",
            {"ConsumedCapacity": {"CapacityUnits": "1.5"}},
            "STRICT",
            "Field 'CapacityUnits' must be a number",
        ),
        ("arn:aws:states:::states:startExecution", {}, "STRICT", "Required field 'ExecutionArn' is missing"),
    ],
)
def test_given_a_mocked_result_that_does_not_fit_the_api_expect_aws_message(
    resource: str, result: Any, mode: str, message: str
) -> None:
    mock = {"result": json.dumps(result), "fieldValidationMode": mode}

    error = rejected({"Type": "Task", "Resource": resource, "End": True}, mock=mock)

    assert error.message == f"Mock result schema validation error: {message}"


@pytest.mark.parametrize("mode", ["PRESENT", "NONE"])
def test_given_a_lenient_validation_mode_expect_missing_members_accepted(mode: str) -> None:
    mock = {"result": '{"executionArn": "x"}', "fieldValidationMode": mode}

    response = test_state(
        {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution", "End": True}, {}, mock=mock
    )

    assert json.loads(response["output"]) == {"executionArn": "x"}


def test_given_unknown_members_in_a_mocked_result_expect_them_accepted() -> None:
    mock = {"result": '{"Payload": "out", "SdkHttpMetadata": {"HttpStatusCode": 200}}'}

    response = test_state({"Type": "Task", "Resource": INVOKE, "End": True}, {}, mock=mock)

    assert response["status"] == "SUCCEEDED"


# ---- Map and Parallel -------------------------------------------------------------------------------

MAP = {
    "Type": "Map",
    "ItemsPath": "$.Values",
    "ItemProcessor": {"StartAt": "Item", "States": {"Item": {"Type": "Pass", "End": True}}},
    "End": True,
}


def test_given_a_map_without_a_mock_expect_invalid_definition() -> None:
    assert rejected(MAP).code == "InvalidDefinition"


def test_given_a_mocked_map_expect_the_mock_as_its_result() -> None:
    response = test_state(MAP, {"Values": [1, 2]}, mock={"result": "[3, 4]"}, inspectionLevel="DEBUG")

    assert json.loads(response["output"]) == [3, 4]
    assert inspection(response) == {
        "input": {"Values": [1, 2]},
        "afterInputPath": {"Values": [1, 2]},
        "afterItemsPath": [1, 2],
        "maxConcurrency": 0,
        "afterResultSelector": [3, 4],
        "afterResultPath": [3, 4],
    }


@pytest.mark.parametrize(("failures", "status"), [(1, "SUCCEEDED"), (2, "RETRIABLE")])
def test_given_failed_iterations_expect_the_tolerance_to_decide(failures: int, status: str) -> None:
    state = {
        **MAP,
        "ToleratedFailureCount": 1,
        "Retry": [{"ErrorEquals": ["States.ExceedToleratedFailureThreshold"]}],
    }

    response = test_state(
        state,
        {"Values": [1, 2, 3]},
        mock={"result": "[1, 1, 1]"},
        stateConfiguration={"mapIterationFailureCount": failures},
    )

    assert response["status"] == status


def test_given_a_mocked_map_error_expect_the_state_failed_with_it() -> None:
    config = {"errorCausedByState": "Item"}

    response = test_state(MAP, {"Values": [1]}, mock=MOCK_ERROR, stateConfiguration=config)

    assert response == {"status": "FAILED", "error": "MockException", "cause": "Mock the cause."}


def test_given_map_items_that_are_not_an_array_expect_states_runtime() -> None:
    response = test_state({**MAP, "ItemsPath": "$$.Execution.Input"}, {"a": 1}, mock={"result": "[]"})

    assert (response["error"], response["cause"]) == (
        "States.Runtime",
        'Reference path "$.Execution.Input" must point to array.',
    )


PARALLEL = {
    "Type": "Parallel",
    "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}},
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}},
    ],
    "End": True,
}


def test_given_a_mocked_parallel_expect_the_mock_as_its_result() -> None:
    response = test_state(PARALLEL, {}, mock={"result": '["a", "b"]'})

    assert json.loads(response["output"]) == ["a", "b"]


def test_given_a_mocked_parallel_expect_no_input_path_step_in_the_inspection() -> None:
    state = {**PARALLEL, "InputPath": "$.in", "ResultPath": "$.out"}

    response = test_state(state, {"in": 1}, mock={"result": '["a", "b"]'}, inspectionLevel="DEBUG")

    assert inspection(response) == {
        "input": {"in": 1},
        "afterResultSelector": ["a", "b"],
        "afterResultPath": {"in": 1, "out": ["a", "b"]},
    }


def test_given_a_parallel_mock_of_the_wrong_size_expect_a_validation_exception() -> None:
    error = rejected(PARALLEL, mock={"result": '["a"]'})

    assert (
        error.message == "Mocked result must contain the same number of items as number of Parallel branches."
    )


# ---- the context object -----------------------------------------------------------------------------

SELECT_CONTEXT = {"Type": "Task", "Resource": INVOKE, "ResultSelector": {"c.$": "$$"}, "End": True}


def test_given_a_context_expect_it_as_the_whole_context_object() -> None:
    context = {"Execution": {"Name": "n"}, "State": {}}

    response = test_state(SELECT_CONTEXT, {}, mock={"result": "{}"}, context=json.dumps(context))

    assert json.loads(response["output"]) == {"c": context}


def test_given_no_context_expect_an_express_execution_of_the_state_alone() -> None:
    response = test_state(SELECT_CONTEXT, {"a": 1}, mock={"result": "{}"})

    context = json.loads(response["output"])["c"]
    assert context["Execution"]["Id"].startswith("arn:aws:states:us-east-1:111111111111:express:")
    assert (context["Execution"]["Input"], context["Execution"]["RoleArn"]) == ({"a": 1}, ROLE)
    assert context["State"] == {
        "Name": "StateName",
        "EnteredTime": "2023-11-14T22:13:20.000Z",
        "RetryCount": 0,
    }


def test_given_a_state_of_a_machine_and_no_role_expect_state_name_and_a_null_role() -> None:
    machine = {"StartAt": "Select", "States": {"Select": SELECT_CONTEXT}}
    request = {"definition": json.dumps(machine), "stateName": "Select", "mock": {"result": "{}"}}

    response = run_test_state(request, resolver(), now=T0)

    context = json.loads(response["output"])["c"]
    assert (context["State"]["Name"], context["Execution"]["RoleArn"]) == ("StateName", None)


def test_given_a_callback_task_and_no_context_expect_a_task_token() -> None:
    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody": {"Token.$": "$$.Task.Token"}},
        "End": True,
    }

    response = test_state(state, {}, mock={"result": "{}"}, inspectionLevel="DEBUG")

    assert inspection(response)["afterParameters"]["MessageBody"]["Token"]


@pytest.mark.parametrize(
    ("context", "detail"),
    [
        ({"Pokedex": {}}, "Field 'Pokedex' is not allowed"),
        ({"Execution": {"pokemon": 1}}, "Field 'pokemon' is not allowed"),
        ({"Execution": {"Id": 1}}, "Execution.Id must be a string"),
        ({"Map": {}}, "'Map' field is not supported when mocking a Context object"),
        (
            {"Task": {"Token": "t"}},
            "Context object contains 'Task' when state is not a Task state with a '.sync' or "
            "'.waitForTaskToken' service integration pattern",
        ),
    ],
)
def test_given_an_invalid_context_expect_a_validation_exception(context: dict[str, Any], detail: str) -> None:
    error = rejected(SELECT_CONTEXT, mock={"result": "{}"}, context=json.dumps(context))

    assert error.message == f"Invalid Context object provided: {detail}"
