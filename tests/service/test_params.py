import pytest

from orchestrator.errors import ApiError
from orchestrator.service import params


def test_given_a_missing_member_expect_aws_not_null_message() -> None:
    with pytest.raises(ApiError) as caught:
        params.required({}, "executionArn")
    assert caught.value.message == (
        "1 validation error detected: Value null at 'executionArn' failed to satisfy constraint: "
        "Member must not be null"
    )


def test_given_a_value_outside_an_enum_expect_the_allowed_values_listed() -> None:
    with pytest.raises(ApiError, match=r"enum value set: \[A, B\]"):
        params.enum({"m": "c"}, "m", ["A", "B"])
    assert params.enum({}, "m", ["A"], default="A") == "A"


def test_given_wrong_types_expect_serialization_exception() -> None:
    for call in (
        lambda: params.string({"m": 1}, "m"),
        lambda: params.boolean({"m": "yes"}, "m"),
        lambda: params.integer({"m": True}, "m", minimum=0, maximum=5),
    ):
        with pytest.raises(ApiError, match="SerializationException"):
            call()


def test_given_an_integer_below_its_minimum_expect_validation_exception() -> None:
    with pytest.raises(ApiError, match="greater than or equal to 0"):
        params.integer({"m": -1}, "m", minimum=0, maximum=5)
