"""The producer client, embedded and against an endpoint (``sfn server`` started on a free port)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from orchestrator import Client, ExecutionNotSucceeded
from orchestrator.errors import ApiError
from orchestrator.service.embedded import embedded_service
from tests.api.conftest import RunningServer

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": True}, "End": True}}}
FAIL = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Nope", "Cause": "by design"}}}
WAIT = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}


@pytest.fixture(params=["embedded", "endpoint"])
def client(request: pytest.FixtureRequest) -> Iterator[Client]:
    if request.param == "embedded":
        with Client() as embedded:
            yield embedded
        return
    service = embedded_service()
    with RunningServer(service) as server, Client(endpoint_url=server.url) as remote:
        yield remote
    service.close()


def test_an_execution_is_started_followed_and_its_result_read(client: Client) -> None:
    machine = client.create_state_machine("pass", PASS)
    arn = client.start_execution(machine, {"in": 1}, name="first")

    assert client.result(arn, timeout=10) == {"ok": True}
    assert client.describe_execution(arn)["status"] == "SUCCEEDED"
    assert [event["type"] for event in client.history(arn)] == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]


def test_starting_the_same_name_and_input_again_is_idempotent(client: Client) -> None:
    machine = client.create_state_machine("waits", WAIT)
    first = client.start_execution(machine, {"n": 1}, name="once")

    assert client.start_execution(machine, {"n": 1}, name="once") == first
    with pytest.raises(ApiError) as raised:
        client.start_execution(machine, {"n": 2}, name="once")
    assert raised.value.code == "ExecutionAlreadyExists"
    client.stop(first, error="Done", cause="test over")
    assert client.wait(first, timeout=10)["status"] == "ABORTED"


def test_a_failed_execution_raises_with_its_error_and_cause(client: Client) -> None:
    machine = client.create_state_machine("fails", FAIL)
    arn = client.start_execution(machine)

    with pytest.raises(ExecutionNotSucceeded) as raised:
        client.result(arn, timeout=10)
    assert (raised.value.status, raised.value.error, raised.value.cause) == ("FAILED", "Nope", "by design")
