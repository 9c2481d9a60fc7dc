import pytest

from orchestrator.errors import ApiError
from orchestrator.service.inputs import execution_input


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        (
            "not a json",
            "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token "
            "'null', 'true' or 'false')",
        ),
        ("{'a': 1}", "Unexpected character (''' (code 39)): was expecting double-quote to start field name"),
        ("", "Invalid execution input."),
        (
            '{"a": 1 "b": 2}',
            "Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries",
        ),
        ("[1 2]", "Unexpected character ('2' (code 50)): was expecting comma to separate Array entries"),
        (
            '{"a": NaN}',
            "Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow",
        ),
    ],
)
def test_given_invalid_json_expect_aws_invalid_execution_input(text: str, detail: str) -> None:
    with pytest.raises(ApiError) as caught:
        execution_input(text)
    assert caught.value.code == "InvalidExecutionInput"
    assert caught.value.message == f"Invalid State Machine Execution Input: '{detail}'"


@pytest.mark.parametrize("text", ["1", '"s"', "null", '{"a": [1, 2]}'])
def test_given_any_json_value_expect_it_accepted_verbatim(text: str) -> None:
    assert execution_input(text) == text


def test_given_no_input_expect_an_empty_object() -> None:
    assert execution_input(None) == "{}"
