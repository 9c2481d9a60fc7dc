"""MockingResolver: mocked answers for test-case executions, the inner resolver for everything else."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator.mocking import MockingResolver, UnknownTestCase, parse_mock_config
from workers.outcome import TaskOutcome, TaskRequest

EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:M:e"
CONFIG = parse_mock_config(
    {
        "StateMachines": {"M": {"TestCases": {"T": {"Mocked": "R", "Dangling": "Undefined"}, "Empty": {}}}},
        "MockedResponses": {
            "R": {
                "0": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "timed out"}},
                "1-2": {"Return": {"n": [1]}},
            }
        },
    },
    source="mocks.json",
)


class InnerResolver:
    """Records what reaches it and answers ``{"real": <state name>}``."""

    def __init__(self) -> None:
        self.requests: list[TaskRequest] = []
        self.closed = False

    def check(self, resource: str) -> str | None:
        return None if resource.startswith("arn:aws:lambda") else f"not recognized: {resource}"

    def run(self, request: TaskRequest) -> TaskOutcome:
        self.requests.append(request)
        return TaskOutcome(output={"real": request.context.get("State", {}).get("Name")})

    def close(self) -> None:
        self.closed = True


def request(state: str, execution: str = EXECUTION) -> TaskRequest:
    context: dict[str, Any] = {
        "Execution": {"Id": execution},
        "StateMachine": {"Name": "M"},
        "State": {"Name": state, "RetryCount": 0},
    }
    return TaskRequest(resource="arn:aws:states:::lambda:invoke", parameters={}, context=context)


@pytest.fixture
def inner() -> InnerResolver:
    return InnerResolver()


@pytest.fixture
def resolver(inner: InnerResolver) -> MockingResolver:
    mocking = MockingResolver(inner, CONFIG)
    mocking.start_test_case(EXECUTION, "M", "T")
    return mocking


def test_given_a_mocked_state_expect_successive_invocations_to_take_successive_responses(
    resolver: MockingResolver, inner: InnerResolver
) -> None:
    outcomes = [resolver.run(request("Mocked")) for _ in range(3)]
    assert outcomes == [
        TaskOutcome(error="Lambda.TimeoutException", cause="timed out", final=True),
        TaskOutcome(output={"n": [1]}, final=True),
        TaskOutcome(output={"n": [1]}, final=True),
    ]
    assert inner.requests == []


def test_given_a_returned_value_changed_by_its_user_expect_the_next_invocation_unaffected(
    resolver: MockingResolver,
) -> None:
    resolver.run(request("Mocked"))
    first = resolver.run(request("Mocked"))
    first.output["n"].append(2)
    assert resolver.run(request("Mocked")).output == {"n": [1]}


def test_given_an_invocation_no_entry_covers_expect_states_runtime(resolver: MockingResolver) -> None:
    for _ in range(3):
        resolver.run(request("Mocked"))
    outcome = resolver.run(request("Mocked"))
    assert outcome.error == "States.Runtime"
    assert outcome.cause == (
        "The mocked response 'R' has no entry for invocation 3 of state 'Mocked' (test case 'T')"
    )


def test_given_a_state_mapped_to_an_undefined_response_expect_states_runtime(
    resolver: MockingResolver,
) -> None:
    outcome = resolver.run(request("Dangling"))
    assert outcome.error == "States.Runtime"
    assert outcome.cause is not None and "'Undefined'" in outcome.cause


def test_given_a_state_the_test_case_does_not_name_expect_the_real_resource(
    resolver: MockingResolver, inner: InnerResolver
) -> None:
    assert resolver.run(request("Unmocked")) == TaskOutcome(output={"real": "Unmocked"})
    assert len(inner.requests) == 1


def test_given_an_execution_without_a_test_case_expect_the_real_resource(
    resolver: MockingResolver, inner: InnerResolver
) -> None:
    other = "arn:aws:states:us-east-1:123456789012:execution:M:other"
    assert resolver.run(request("Mocked", other)) == TaskOutcome(output={"real": "Mocked"})


def test_given_a_request_without_a_context_expect_the_real_resource(
    resolver: MockingResolver, inner: InnerResolver
) -> None:
    bare = TaskRequest(resource="arn:aws:states:::lambda:invoke", parameters={}, context={})
    assert resolver.run(bare) == TaskOutcome(output={"real": None})
    assert inner.requests == [bare]


def test_given_an_unknown_test_case_expect_unknown_test_case(inner: InnerResolver) -> None:
    mocking = MockingResolver(inner, CONFIG)
    with pytest.raises(UnknownTestCase) as caught:
        mocking.start_test_case(EXECUTION, "M", "Nope")
    assert str(caught.value) == (
        "Test case 'Nope' is not defined for state machine 'M' in the mock configuration mocks.json"
    )
    mocking.start_test_case(EXECUTION, "M", "Empty")  # a test case that mocks nothing is still one


def test_given_a_service_integration_nothing_runs_expect_check_to_accept_it(
    resolver: MockingResolver,
) -> None:
    assert resolver.check("arn:aws:states:::sqs:sendMessage") is None
    assert resolver.check("arn:aws:lambda:us-east-1:123456789012:function:f") is None
    assert resolver.check("not-an-arn") == "not recognized: not-an-arn"


def test_given_close_expect_the_inner_resolver_closed(
    resolver: MockingResolver, inner: InnerResolver
) -> None:
    resolver.close()
    assert inner.closed
