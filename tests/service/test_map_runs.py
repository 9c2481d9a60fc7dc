"""DescribeMapRun, ListMapRuns and UpdateMapRun on the embedded runtime: AWS's members and errors, the
counts from the child executions, and an update reaching a running map run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from orchestrator import Client
from orchestrator.errors import ApiError
from tests.runtime.test_child_executions import distributed_map, map_run_arn, running_children

MAP_RUN_PREFIX = "arn:aws:states:us-east-1:123456789012:mapRun:"
COUNT_MEMBERS = {
    "pending",
    "running",
    "succeeded",
    "failed",
    "timedOut",
    "aborted",
    "total",
    "resultsWritten",
    "failuresNotRedrivable",
    "pendingRedrive",
}


@pytest.fixture
def client() -> Iterator[Client]:
    with Client() as embedded:
        yield embedded


def error_of(client: Client, action: str, request: dict[str, Any]) -> tuple[str, str]:
    with pytest.raises(ApiError) as raised:
        client.call(action, request)
    return raised.value.code, raised.value.message


def finished_map_run(client: Client, definition: dict[str, Any], items: list[Any]) -> tuple[str, str]:
    machine = client.create_state_machine("finished", definition)
    arn = client.start_execution(machine, items)
    client.wait(arn, timeout=10)
    return arn, map_run_arn(client, arn)


def test_given_a_finished_map_run_expect_describe_map_run_as_aws_answers(client: Client) -> None:
    arn, run = finished_map_run(
        client, distributed_map({"P": {"Type": "Pass", "End": True}}, MaxConcurrency=1), [1, 2]
    )

    described = client.call("DescribeMapRun", {"mapRunArn": run})

    assert set(described) == {
        "mapRunArn",
        "executionArn",
        "status",
        "startDate",
        "stopDate",
        "maxConcurrency",
        "toleratedFailurePercentage",
        "toleratedFailureCount",
        "itemCounts",
        "executionCounts",
        "redriveCount",
    }
    assert (described["mapRunArn"], described["executionArn"], described["status"]) == (run, arn, "SUCCEEDED")
    assert (described["maxConcurrency"], described["toleratedFailureCount"]) == (1, 0)
    assert described["toleratedFailurePercentage"] == 0.0
    assert isinstance(described["toleratedFailurePercentage"], float)
    assert described["stopDate"] >= described["startDate"]
    expected = dict.fromkeys(COUNT_MEMBERS, 0) | {"succeeded": 2, "total": 2, "resultsWritten": 2}
    assert described["itemCounts"] == expected
    assert described["executionCounts"] == expected


def test_given_failed_and_batched_children_expect_items_and_executions_counted_apart(client: Client) -> None:
    definition = distributed_map(
        {"F": {"Type": "Fail", "Error": "Boom"}}, ItemBatcher={"MaxItemsPerBatch": 2}, ToleratedFailureCount=5
    )
    _, run = finished_map_run(client, definition, [1, 2, 3])

    described = client.call("DescribeMapRun", {"mapRunArn": run})

    assert (described["status"], described["toleratedFailureCount"]) == ("SUCCEEDED", 5)
    assert (described["itemCounts"]["failed"], described["itemCounts"]["total"]) == (3, 3)
    assert (described["executionCounts"]["failed"], described["executionCounts"]["total"]) == (2, 2)


def test_given_a_failed_map_run_expect_status_failed(client: Client) -> None:
    _, run = finished_map_run(client, distributed_map({"F": {"Type": "Fail", "Error": "Boom"}}), [1])

    assert client.call("DescribeMapRun", {"mapRunArn": run})["status"] == "FAILED"


def test_given_an_execution_with_map_runs_expect_them_listed_and_paged(client: Client) -> None:
    inner = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    processor = {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, **inner}
    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Map", "Label": "a", "ItemProcessor": processor, "ResultPath": None, "Next": "B"},
            "B": {"Type": "Map", "Label": "b", "ItemProcessor": processor, "End": True},
        },
    }
    machine = client.create_state_machine("two", definition)
    arn = client.start_execution(machine, [1])
    client.wait(arn, timeout=10)

    first = client.call("ListMapRuns", {"executionArn": arn, "maxResults": 1})
    second = client.call("ListMapRuns", {"executionArn": arn, "nextToken": first["nextToken"]})

    listed = first["mapRuns"] + second["mapRuns"]
    assert "nextToken" not in second
    assert [set(item) for item in listed] == [
        {"executionArn", "mapRunArn", "stateMachineArn", "startDate", "stopDate"}
    ] * 2
    assert sorted(item["stateMachineArn"].rsplit(":", 1)[-1] for item in listed) == ["two/a", "two/b"]
    assert all(item["executionArn"] == arn for item in listed)


def test_given_a_running_map_run_updated_expect_new_settings_and_waiting_items_started(
    client: Client,
) -> None:
    machine = client.create_state_machine(
        "update", distributed_map({"W": {"Type": "Wait", "Seconds": 2, "End": True}}, MaxConcurrency=1)
    )
    arn = client.start_execution(machine, [1, 2, 3])
    running_children(client, arn, 1)
    run = map_run_arn(client, arn)

    answer = client.call(
        "UpdateMapRun",
        {"mapRunArn": run, "maxConcurrency": 3, "toleratedFailureCount": 2, "toleratedFailurePercentage": 50},
    )

    assert answer == {}
    described = client.call("DescribeMapRun", {"mapRunArn": run})
    assert (described["maxConcurrency"], described["toleratedFailureCount"]) == (3, 2)
    assert described["toleratedFailurePercentage"] == 50.0
    assert len(running_children(client, arn, 3)) == 3
    assert client.result(arn, timeout=10) == [1, 2, 3]


def test_given_a_finished_map_run_expect_update_refused(client: Client) -> None:
    _, run = finished_map_run(client, distributed_map({"P": {"Type": "Pass", "End": True}}), [1])

    code, _ = error_of(client, "UpdateMapRun", {"mapRunArn": run, "maxConcurrency": 2})

    assert code == "ValidationException"


@pytest.mark.parametrize(
    ("request_", "code"),
    [
        ({"maxConcurrency": -1}, "ValidationException"),
        ({"toleratedFailureCount": -1}, "ValidationException"),
        ({"toleratedFailurePercentage": 100.5}, "ValidationException"),
        ({}, "ValidationException"),
    ],
)
def test_given_invalid_update_values_expect_them_refused(
    client: Client, request_: dict[str, Any], code: str
) -> None:
    _, run = finished_map_run(client, distributed_map({"P": {"Type": "Pass", "End": True}}), [1])

    assert error_of(client, "UpdateMapRun", {"mapRunArn": run, **request_})[0] == code


@pytest.mark.parametrize("action", ["DescribeMapRun", "UpdateMapRun"])
def test_given_unknown_or_malformed_map_run_arns_expect_aws_errors(client: Client, action: str) -> None:
    unknown = f"{MAP_RUN_PREFIX}m/label:00000000-0000-0000-0000-000000000000"
    extra = {"maxConcurrency": 1} if action == "UpdateMapRun" else {}

    assert error_of(client, action, {"mapRunArn": unknown, **extra}) == (
        "ResourceNotFound",
        f"Resource not found: '{unknown}'",
    )
    execution = "arn:aws:states:us-east-1:123456789012:execution:m:e"
    assert error_of(client, action, {"mapRunArn": execution, **extra}) == (
        "InvalidArn",
        "Invalid Arn: 'Resource type not valid in this context: execution'",
    )
    assert error_of(client, action, {"mapRunArn": "nope", **extra})[0] == "InvalidArn"
    assert error_of(client, action, {**extra})[0] == "ValidationException"


def test_given_unknown_executions_expect_list_map_runs_refused(client: Client) -> None:
    missing = "arn:aws:states:us-east-1:123456789012:execution:m:missing"

    assert error_of(client, "ListMapRuns", {"executionArn": missing})[0] == "ExecutionDoesNotExist"
    assert error_of(client, "ListMapRuns", {"executionArn": "nope"})[0] == "InvalidArn"
