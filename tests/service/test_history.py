from orchestrator.service import StepFunctionsService
from tests.service.conftest import create

MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:machine"
EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:machine:e"


def started(service: StepFunctionsService) -> None:
    create(service)
    service.start_execution({"stateMachineArn": MACHINE, "name": "e", "input": '{"a": 1}'})


def test_given_a_finished_execution_expect_its_events_in_order(service: StepFunctionsService) -> None:
    started(service)
    events = service.get_execution_history({"executionArn": EXECUTION})["events"]
    assert [e["type"] for e in events] == ["ExecutionStarted", "ExecutionSucceeded"]


def test_given_reverse_order_and_pages_expect_newest_first_one_at_a_time(
    service: StepFunctionsService,
) -> None:
    started(service)
    first = service.get_execution_history({"executionArn": EXECUTION, "reverseOrder": True, "maxResults": 1})
    second = service.get_execution_history(
        {"executionArn": EXECUTION, "reverseOrder": True, "maxResults": 1, "nextToken": first["nextToken"]}
    )
    assert [e["id"] for e in first["events"] + second["events"]] == [2, 1]
    assert "nextToken" not in second


def test_given_include_execution_data_false_expect_inputs_left_out(service: StepFunctionsService) -> None:
    started(service)
    events = service.get_execution_history({"executionArn": EXECUTION, "includeExecutionData": False})[
        "events"
    ]
    details = events[0]["executionStartedEventDetails"]
    assert "input" not in details and details["inputDetails"] == {"truncated": False}
