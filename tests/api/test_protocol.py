import pytest

from orchestrator.api import protocol


def test_given_a_target_header_expect_the_action() -> None:
    assert protocol.action_of("AWSStepFunctions.StartExecution") == "StartExecution"
    assert protocol.action_of("AmazonSQS.SendMessage") is None
    assert protocol.action_of(None) is None


def test_given_a_sigv4_header_expect_key_id_and_region() -> None:
    header = (
        "AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/states/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=abc"
    )
    assert protocol.credential_scope(header) == ("AKID", "eu-west-1")
    assert protocol.credential_scope(None) == (None, None)


@pytest.mark.parametrize(
    ("code", "type_"),
    [
        ("StateMachineDoesNotExist", "com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist"),
        ("ValidationException", "com.amazon.coral.validate#ValidationException"),
        ("UnknownOperationException", "com.amazon.coral.service#UnknownOperationException"),
    ],
)
def test_given_an_error_code_expect_aws_namespaced_type(code: str, type_: str) -> None:
    assert protocol.error_type(code) == type_


def test_given_an_empty_body_expect_an_empty_request() -> None:
    assert protocol.decode(b"") == {}
