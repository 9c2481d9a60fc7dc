import pytest

from orchestrator.errors import ApiError
from orchestrator.service import arns


def test_given_a_state_machine_arn_when_parsed_expect_its_parts() -> None:
    parsed = arns.parse_state_machine("arn:aws:states:us-east-1:111111111111:stateMachine:m:3")
    assert (parsed.region, parsed.account_id, parsed.state_machine_name, parsed.qualifier) == (
        "us-east-1",
        "111111111111",
        "m",
        "3",
    )
    assert parsed.base() == "arn:aws:states:us-east-1:111111111111:stateMachine:m"


def test_given_no_arn_prefix_expect_aws_invalid_arn_message() -> None:
    with pytest.raises(ApiError) as caught:
        arns.parse_state_machine("not_a_valid_arn")
    assert (caught.value.code, caught.value.message) == (
        "InvalidArn",
        "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'",
    )


def test_given_an_execution_arn_where_a_state_machine_is_expected_expect_resource_type_error() -> None:
    with pytest.raises(ApiError) as caught:
        arns.parse_state_machine("arn:aws:states:us-east-1:111111111111:execution:m:e")
    assert caught.value.message == "Invalid Arn: 'Resource type not valid in this context: execution'"


def test_given_a_machine_arn_when_building_execution_arns_expect_aws_shapes() -> None:
    machine = "arn:aws:states:us-east-1:111111111111:stateMachine:m"
    assert arns.execution_arn(machine, "e") == "arn:aws:states:us-east-1:111111111111:execution:m:e"
    express = arns.execution_arn(machine, "e", express=True).split(":")
    assert express[5:8] == ["express", "m", "e"] and len(express[8]) == 36


@pytest.mark.parametrize("name", ["a b", "a/b", "a:b", "x\u0007", "a*", "{a}"])
def test_given_a_forbidden_character_expect_invalid_name(name: str) -> None:
    with pytest.raises(ApiError) as caught:
        arns.validate_name(name)
    assert (caught.value.code, caught.value.message) == ("InvalidName", f"Invalid Name: '{name}'")


def test_given_a_long_name_expect_validation_exception() -> None:
    with pytest.raises(ApiError) as caught:
        arns.validate_name("n" * 81)
    assert caught.value.code == "ValidationException"
    assert arns.validate_name("n" * 80) == "n" * 80


def test_given_a_role_without_arn_prefix_expect_invalid_arn() -> None:
    with pytest.raises(ApiError, match="InvalidArn"):
        arns.validate_role_arn("role")
