import pytest

from orchestrator.errors import ApiError
from orchestrator.service import StepFunctionsService
from tests.service.conftest import FakeRuntime, create

ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:machine"


def test_given_publish_on_create_expect_version_one(service: StepFunctionsService) -> None:
    created = service.create_state_machine(
        {
            "name": "machine",
            "definition": '{"StartAt": "P", "States": {}}',
            "roleArn": "arn:aws:iam::1:role/r",
            "publish": True,
            "versionDescription": "first",
        }
    )
    assert created["stateMachineVersionArn"] == ARN + ":1"
    assert service.describe_state_machine({"stateMachineArn": ARN + ":1"})["description"] == "first"
    assert [m["name"] for m in service.list_state_machines({})["stateMachines"]] == ["machine"]


def test_given_an_unchanged_machine_when_published_twice_expect_the_same_version(
    service: StepFunctionsService,
) -> None:
    create(service)
    first = service.publish_state_machine_version({"stateMachineArn": ARN})
    second = service.publish_state_machine_version({"stateMachineArn": ARN})
    service.update_state_machine({"stateMachineArn": ARN, "roleArn": "arn:aws:iam::1:role/other"})
    third = service.publish_state_machine_version({"stateMachineArn": ARN})
    assert first == second and third["stateMachineVersionArn"] == ARN + ":2"
    listed = service.list_state_machine_versions({"stateMachineArn": ARN})["stateMachineVersions"]
    assert [v["stateMachineVersionArn"] for v in listed] == [ARN + ":2", ARN + ":1"]


def test_given_an_alias_when_started_expect_execution_reports_alias_and_version(
    service: StepFunctionsService, runtime: FakeRuntime
) -> None:
    create(service, publish=True)
    alias = service.create_state_machine_alias(
        {"name": "live", "routingConfiguration": [{"stateMachineVersionArn": ARN + ":1", "weight": 100}]}
    )
    started = service.start_execution({"stateMachineArn": alias["stateMachineAliasArn"], "name": "e"})
    described = service.describe_execution({"executionArn": started["executionArn"]})
    assert alias["stateMachineAliasArn"] == ARN + ":live"
    assert started["executionArn"] == "arn:aws:states:us-east-1:123456789012:execution:machine:e"
    assert described["stateMachineArn"] == ARN
    assert described["stateMachineAliasArn"] == ARN + ":live"
    assert described["stateMachineVersionArn"] == ARN + ":1"
    assert runtime.launched[-1][0].arn == ARN + ":1"


def test_given_a_version_used_by_an_alias_when_deleted_expect_conflict(service: StepFunctionsService) -> None:
    create(service, publish=True)
    service.create_state_machine_alias(
        {"name": "live", "routingConfiguration": [{"stateMachineVersionArn": ARN + ":1", "weight": 100}]}
    )
    with pytest.raises(ApiError, match="ConflictException"):
        service.delete_state_machine_version({"stateMachineVersionArn": ARN + ":1"})
    service.delete_state_machine_alias({"stateMachineAliasArn": ARN + ":live"})
    assert service.delete_state_machine_version({"stateMachineVersionArn": ARN + ":1"}) == {}


def test_given_weights_not_summing_to_100_expect_validation_exception(service: StepFunctionsService) -> None:
    create(service, publish=True)
    with pytest.raises(ApiError, match="Sum of routing configuration weights must equal 100"):
        service.create_state_machine_alias(
            {"name": "live", "routingConfiguration": [{"stateMachineVersionArn": ARN + ":1", "weight": 50}]}
        )
