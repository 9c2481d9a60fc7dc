"""Parsing and validating Step Functions Local mock configuration files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from orchestrator.mocking import MockConfigError, MockedResponse, load_mock_config, parse_mock_config

DOCS_EXAMPLE: dict[str, Any] = {
    "StateMachines": {
        "LambdaSQSIntegration": {
            "TestCases": {
                "HappyPath": {"LambdaState": "MockedLambdaSuccess", "SQSState": "MockedSQSSuccess"},
                "HybridPath": {"LambdaState": "MockedLambdaSuccess"},
            }
        }
    },
    "MockedResponses": {
        "MockedLambdaSuccess": {"0": {"Return": {"StatusCode": 200, "Payload": {"body": "Hello"}}}},
        "MockedSQSSuccess": {"0": {"Return": {"MessageId": "m-1"}}},
        "MockedLambdaRetry": {
            "0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "not ready"}},
            "1-2": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "timed out"}},
            "3": {"Return": {"StatusCode": 200}},
        },
    },
}


def problems_of(document: Any) -> list[str]:
    with pytest.raises(MockConfigError) as caught:
        parse_mock_config(document, source="mocks.json")
    return [problem.render() for problem in caught.value.problems]


def test_given_the_guides_example_expect_test_cases_and_responses_by_invocation() -> None:
    config = parse_mock_config(json.dumps(DOCS_EXAMPLE))
    assert config.test_case("LambdaSQSIntegration", "HybridPath") == {"LambdaState": "MockedLambdaSuccess"}
    assert config.test_case("LambdaSQSIntegration", "Missing") is None
    assert config.test_case("Other", "HappyPath") is None
    retry = [config.response("MockedLambdaRetry", n) for n in range(5)]
    assert [r.error if r else None for r in retry] == [
        "Lambda.ResourceNotReadyException",
        "Lambda.TimeoutException",
        "Lambda.TimeoutException",
        None,
        None,
    ]
    assert retry[3] == MockedResponse(output={"StatusCode": 200})


def test_given_any_json_value_as_return_expect_it_kept() -> None:
    config = parse_mock_config({"MockedResponses": {"R": {"0": {"Return": [1, "a"]}, "1": {"Return": None}}}})
    assert config.response("R", 0) == MockedResponse(output=[1, "a"])
    assert config.response("R", 1) == MockedResponse(output=None)


def test_given_a_gap_in_the_invocations_expect_it_loads_and_the_gap_answers_nothing() -> None:
    config = parse_mock_config({"MockedResponses": {"R": {"1": {"Return": 1}}, "Empty": {}}})
    assert config.response("R", 0) is None and config.response("R", 1) == MockedResponse(output=1)
    assert config.response("Empty", 0) is None


def test_given_a_test_case_naming_an_undefined_response_expect_it_loads() -> None:
    config = parse_mock_config({"StateMachines": {"M": {"TestCases": {"T": {"S": "Nowhere"}}}}})
    assert config.test_case("M", "T") == {"S": "Nowhere"}


def test_given_many_problems_expect_each_reported_with_its_json_location() -> None:
    document = {
        "StateMachines": {"M": {"TestCases": {"T": {"S": 3}}, "Extra": 1}},
        "MockedResponse": {},
        "MockedResponses": {
            "R": {
                "zero": {"Return": 1},
                "2-1": {"Return": 1},
                "0": {"Return": 1, "Throw": {"Error": "E"}},
                "1": {"Throw": {"Cause": 5}},
                "3": [],
                "4-6": {"Return": 1},
                "5": {"Return": 1},
            },
            "a/b": 7,
        },
    }
    assert problems_of(document) == [
        "/MockedResponse: unknown field (expected 'StateMachines' or 'MockedResponses')",
        "/StateMachines/M/Extra: unknown field (expected 'TestCases')",
        "/StateMachines/M/TestCases/T/S: must be the name of a mocked response (a non-empty string), not a number",
        "/MockedResponses/R/zero: 'zero' is not an invocation number ('0', '3') or an inclusive range ('1-2')",
        "/MockedResponses/R/2-1: the range '2-1' ends before it starts",
        "/MockedResponses/R/0: must have exactly one of 'Return' and 'Throw'",
        "/MockedResponses/R/1/Throw/Error: must be a non-empty string, not null",
        "/MockedResponses/R/1/Throw/Cause: must be a string, not a number",
        "/MockedResponses/R/3: must be an object with 'Return' or 'Throw', not an array",
        "/MockedResponses/R/5: invocations 5-5 are covered by more than one key",
        "/MockedResponses/a~1b: must be a JSON object, not a number",
    ]


def test_given_a_document_that_is_not_an_object_expect_one_problem_at_the_root() -> None:
    assert problems_of("[]") == ["/: must be a JSON object, not an array"]


def test_given_invalid_json_expect_the_line_and_column() -> None:
    assert problems_of('{"StateMachines": }') == ["/: not valid JSON (Expecting value, line 1, column 19)"]


def test_given_a_file_expect_its_name_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "MockConfigFile.json"
    path.write_text(json.dumps({"MockedResponses": {"R": {"0": {}}}}))
    with pytest.raises(MockConfigError) as caught:
        load_mock_config(path)
    assert str(caught.value) == (
        f"Invalid mock configuration {path}:\n  /MockedResponses/R/0: must have exactly one of 'Return' and 'Throw'"
    )


def test_given_a_missing_file_expect_a_mock_config_error(tmp_path: Path) -> None:
    with pytest.raises(MockConfigError, match="cannot read the file"):
        load_mock_config(tmp_path / "absent.json")


def test_given_a_valid_file_expect_its_path_as_the_source(tmp_path: Path) -> None:
    path = tmp_path / "mocks.json"
    path.write_text(json.dumps(DOCS_EXAMPLE))
    assert load_mock_config(path).source == str(path)
