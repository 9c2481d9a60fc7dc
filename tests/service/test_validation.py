import json

import pytest

from orchestrator.errors import ApiError
from orchestrator.service import StepFunctionsService
from tests.service.conftest import FakeRuntime


def test_given_a_valid_definition_expect_ok(service: StepFunctionsService) -> None:
    result = service.validate_state_machine_definition({"definition": '{"StartAt": "A", "States": {}}'})
    assert result == {"result": "OK", "diagnostics": [], "truncated": False}


def test_given_an_invalid_definition_expect_fail_with_located_diagnostics(
    service: StepFunctionsService,
) -> None:
    result = service.validate_state_machine_definition({"definition": "{}", "type": "EXPRESS"})
    assert result == {
        "result": "FAIL",
        "diagnostics": [
            {
                "severity": "ERROR",
                "code": "SCHEMA_VALIDATION_FAILED",
                "location": "/",
                "message": "These fields are required: [States, StartAt]",
            }
        ],
        "truncated": False,
    }


def test_given_a_diagnostic_without_location_expect_no_location_member(service: StepFunctionsService) -> None:
    result = service.validate_state_machine_definition({"definition": "[]"})
    assert "location" not in result["diagnostics"][0]


def test_given_warnings_expect_them_only_at_warning_severity(service: StepFunctionsService) -> None:
    text = json.dumps({"StartAt": "A", "States": {}, "Comment": "warn"})
    errors_only = service.validate_state_machine_definition({"definition": text})
    with_warnings = service.validate_state_machine_definition({"definition": text, "severity": "WARNING"})
    assert errors_only["diagnostics"] == [] and errors_only["result"] == "OK"
    assert [d["severity"] for d in with_warnings["diagnostics"]] == ["WARNING"] and with_warnings[
        "result"
    ] == "OK"


def test_given_max_results_below_the_count_expect_truncated(service: StepFunctionsService) -> None:
    text = json.dumps({"Comment": "warn"})
    result = service.validate_state_machine_definition(
        {"definition": text, "severity": "WARNING", "maxResults": 1}
    )
    assert len(result["diagnostics"]) == 1 and result["truncated"] is True


def test_given_a_test_state_request_expect_it_passed_to_the_runtime(
    service: StepFunctionsService, runtime: FakeRuntime
) -> None:
    request = {"definition": '{"Type": "Pass", "End": true}', "input": '{"a": 1}'}
    assert service.test_state(request) == {"status": "SUCCEEDED", "output": '{"a": 1}'}
    assert runtime.test_state_requests == [request]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"mock": {"result": "{}", "errorOutput": {"error": "E"}}},
            "A test mock should have only one of the following fields: [result, errorOutput].",
        ),
        (
            {"mock": {"result": "{}"}, "revealSecrets": True},
            "TestState does not support RevealSecrets when a mock is specified.",
        ),
        (
            {"stateConfiguration": {"mapIterationFailureCount": 0}},
            "TestState does not support MapIterationFailureCount when a mock is not specified.",
        ),
        (
            {"mock": {"result": "not JSON string", "fieldValidationMode": "NONE"}},
            "Mocked result must be valid JSON",
        ),
    ],
)
def test_given_conflicting_test_state_parameters_expect_validation_exception(
    service: StepFunctionsService, runtime: FakeRuntime, extra: dict, message: str
) -> None:
    with pytest.raises(ApiError) as caught:
        service.test_state({"definition": '{"Type": "Task", "Resource": "x", "End": true}', **extra})
    assert (caught.value.code, caught.value.message) == ("ValidationException", message)
    assert runtime.test_state_requests == []


def test_given_test_state_without_definition_expect_must_not_be_null(service: StepFunctionsService) -> None:
    with pytest.raises(ApiError, match="Value null at 'definition'"):
        service.test_state({})
