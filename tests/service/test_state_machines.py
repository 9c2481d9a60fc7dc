import json

import pytest

from orchestrator.errors import ApiError
from orchestrator.service import StepFunctionsService
from tests.service.conftest import PASS_DEFINITION, ROLE, create

ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:machine"


def error_of(call, *args) -> ApiError:  # type: ignore[no-untyped-def]
    with pytest.raises(ApiError) as caught:
        call(*args)
    return caught.value


def test_given_a_new_machine_when_described_expect_aws_members(service: StepFunctionsService) -> None:
    created = service.create_state_machine(
        {"name": "machine", "definition": PASS_DEFINITION, "roleArn": ROLE}
    )
    described = service.describe_state_machine({"stateMachineArn": ARN})
    assert created["stateMachineArn"] == ARN and isinstance(created["creationDate"], float)
    assert described == {
        "stateMachineArn": ARN,
        "name": "machine",
        "status": "ACTIVE",
        "definition": PASS_DEFINITION,
        "roleArn": ROLE,
        "type": "STANDARD",
        "creationDate": created["creationDate"],
        "loggingConfiguration": {"level": "OFF", "includeExecutionData": False},
        "tracingConfiguration": {"enabled": False},
    }


def test_given_an_identical_create_expect_the_existing_machine(service: StepFunctionsService) -> None:
    first = service.create_state_machine({"name": "machine", "definition": PASS_DEFINITION, "roleArn": ROLE})
    other_role = ROLE + "-other"  # AWS: a different roleArn alone is ignored
    again = service.create_state_machine(
        {"name": "machine", "definition": PASS_DEFINITION, "roleArn": other_role}
    )
    assert again == first


def test_given_a_different_definition_under_a_taken_name_expect_already_exists(
    service: StepFunctionsService,
) -> None:
    create(service)
    other = json.dumps({"StartAt": "Q", "States": {"Q": {"Type": "Pass", "End": True}}})
    error = error_of(service.create_state_machine, {"name": "machine", "definition": other, "roleArn": ROLE})
    assert (error.code, error.message) == (
        "StateMachineAlreadyExists",
        f"State Machine Already Exists: '{ARN}'",
    )


def test_given_an_invalid_definition_expect_invalid_definition(service: StepFunctionsService) -> None:
    error = error_of(
        service.create_state_machine, {"name": "m", "definition": '{"StartAt": "A"}', "roleArn": ROLE}
    )
    assert error.code == "InvalidDefinition"
    assert (
        error.message
        == "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'"
    )


def test_given_a_resource_the_resolver_refuses_expect_invalid_definition(
    service: StepFunctionsService,
) -> None:
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    {
                        "StartAt": "T",
                        "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::nope", "End": True}},
                    }
                ],
            }
        },
    }
    error = error_of(
        service.create_state_machine, {"name": "m", "definition": json.dumps(definition), "roleArn": ROLE}
    )
    assert (error.code, error.message) == (
        "InvalidDefinition",
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Resource not runnable: arn:aws:states:::nope "
        "at /States/P/Branches[0]/States/T/Resource'",
    )


@pytest.mark.parametrize(
    "logging",
    [
        {"level": "ALL"},
        {"level": "ERROR", "includeExecutionData": True},
        {"level": "ALL", "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": "a"}}] * 2},
    ],
)
def test_given_a_logging_configuration_without_one_destination_expect_aws_error(
    service: StepFunctionsService, logging: dict
) -> None:
    request = {"name": "m", "definition": PASS_DEFINITION, "roleArn": ROLE, "loggingConfiguration": logging}
    error = error_of(service.create_state_machine, request)
    assert (error.code, error.message) == (
        "InvalidLoggingConfiguration",
        "Invalid Logging Configuration: Must specify exactly one Log Destination.",
    )


def test_given_a_version_description_without_publish_expect_validation_exception(
    service: StepFunctionsService,
) -> None:
    request = {"name": "m", "definition": PASS_DEFINITION, "roleArn": ROLE, "versionDescription": "v"}
    error = error_of(service.create_state_machine, request)
    assert (error.code, error.message) == (
        "ValidationException",
        "Version description can only be set when publish is true",
    )


def test_given_missing_members_expect_must_not_be_null(service: StepFunctionsService) -> None:
    error = error_of(service.create_state_machine, {"name": "m", "definition": PASS_DEFINITION})
    assert error.message.endswith(
        "Value null at 'roleArn' failed to satisfy constraint: Member must not be null"
    )


def test_given_an_unknown_type_expect_enum_validation(service: StepFunctionsService) -> None:
    error = error_of(
        service.create_state_machine,
        {"name": "m", "definition": PASS_DEFINITION, "roleArn": ROLE, "type": "FAST"},
    )
    assert "Member must satisfy enum value set: [STANDARD, EXPRESS]" in error.message


def test_given_an_unknown_machine_when_described_expect_does_not_exist(service: StepFunctionsService) -> None:
    error = error_of(service.describe_state_machine, {"stateMachineArn": ARN})
    assert (error.code, error.message) == (
        "StateMachineDoesNotExist",
        f"State Machine Does Not Exist: '{ARN}'",
    )


def test_given_an_update_expect_a_new_revision_only_when_something_changed(
    service: StepFunctionsService,
) -> None:
    create(service)
    first = service.update_state_machine({"stateMachineArn": ARN, "roleArn": ROLE + "2"})
    same = service.update_state_machine({"stateMachineArn": ARN, "roleArn": ROLE + "2"})
    described = service.describe_state_machine({"stateMachineArn": ARN})
    assert first["revisionId"] == same["revisionId"] == described["revisionId"]
    assert described["roleArn"] == ROLE + "2"


def test_given_an_update_with_nothing_expect_missing_required_parameter(
    service: StepFunctionsService,
) -> None:
    create(service)
    error = error_of(service.update_state_machine, {"stateMachineArn": ARN})
    assert error.code == "MissingRequiredParameter"
    assert error.message == (
        "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified"
    )


def test_given_an_invalid_logging_update_expect_invalid_logging_configuration(
    service: StepFunctionsService,
) -> None:
    create(service)
    error = error_of(
        service.update_state_machine, {"stateMachineArn": ARN, "loggingConfiguration": {"level": "ALL"}}
    )
    assert error.code == "InvalidLoggingConfiguration"


def test_given_machines_when_listed_expect_name_order_and_pages(service: StepFunctionsService) -> None:
    for name in ("b", "a", "c"):
        create(service, name)
    first = service.list_state_machines({"maxResults": 2})
    second = service.list_state_machines({"nextToken": first["nextToken"]})
    assert [m["name"] for m in first["stateMachines"]] == ["a", "b"]
    assert [m["name"] for m in second["stateMachines"]] == ["c"] and "nextToken" not in second
    assert set(first["stateMachines"][0]) == {"stateMachineArn", "name", "type", "creationDate"}


def test_given_a_deleted_machine_expect_it_gone_and_a_second_delete_fine(
    service: StepFunctionsService,
) -> None:
    create(service)
    assert service.delete_state_machine({"stateMachineArn": ARN}) == {}
    assert service.delete_state_machine({"stateMachineArn": ARN}) == {}
    assert service.list_state_machines({})["stateMachines"] == []


def test_given_tags_expect_tag_untag_and_list(service: StepFunctionsService) -> None:
    create(service, tags=[{"key": "a", "value": "1"}])
    service.tag_resource({"resourceArn": ARN, "tags": [{"key": "b", "value": "2"}]})
    service.untag_resource({"resourceArn": ARN, "tagKeys": ["a"]})
    assert service.list_tags_for_resource({"resourceArn": ARN}) == {"tags": [{"key": "b", "value": "2"}]}
    error = error_of(service.list_tags_for_resource, {"resourceArn": ARN + "x"})
    assert error.code == "ResourceNotFound"


def test_given_a_definition_over_1_mib_expect_validation_exception_without_the_whole_text(
    service: StepFunctionsService,
) -> None:
    request = {"name": "m", "definition": "x" * (1048576 + 1), "roleArn": ROLE}
    error = error_of(service.create_state_machine, request)
    assert error.code == "ValidationException" and len(error.message) < 5000
    assert error.message.endswith("Member must have length less than or equal to 1048576")
