"""boto3's ``sync-`` host prefix (StartSyncExecution, TestState) against a self-hosted endpoint.

botocore prepends ``endpoint.hostPrefix`` to the host of ``endpoint_url`` whatever it is: an IP
address, ``localhost`` or a name. ``sync-127.0.0.1`` does not resolve, so a default client cannot reach
``sfn server`` for those two actions; turning injection off (``boto3_client`` does) fixes it.
"""

from __future__ import annotations

import json
import socket
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError

from orchestrator.client import boto3_client
from tests.api.conftest import RunningServer

ROLE = "arn:aws:iam::111111111111:role/r"
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


class Sent(Exception):
    """Raised by the hook below, once the request's URL is known, so nothing goes on the wire."""


def plain_client(endpoint_url: str, **config: Any) -> Any:
    return boto3.client(
        "stepfunctions",
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="a",
        aws_secret_access_key="b",
        config=Config(retries={"max_attempts": 1}, **config),
    )


def sent_url(client: Any, action: str, **request: Any) -> str:
    urls: list[str] = []

    def capture(request: Any, **_: Any) -> None:
        urls.append(request.url)
        raise Sent

    client.meta.events.register("before-send.states", capture)
    with pytest.raises(Sent):
        getattr(client, action)(**request)
    return urls[0]


SYNC_ACTIONS = [
    ("start_sync_execution", {"stateMachineArn": "arn:aws:states:us-east-1:111111111111:stateMachine:m"}),
    ("test_state", {"definition": '{"Type": "Pass", "End": true}', "roleArn": ROLE}),
]


@pytest.mark.parametrize(
    ("endpoint", "prefixed"),
    [
        ("http://127.0.0.1:8083", "http://sync-127.0.0.1:8083/"),
        ("http://localhost:8083", "http://sync-localhost:8083/"),
        ("http://[::1]:8083", "http://sync-[::1]:8083/"),
        ("http://sfn.internal:8083", "http://sync-sfn.internal:8083/"),
    ],
)
@pytest.mark.parametrize(("action", "request_"), SYNC_ACTIONS)
def test_given_a_default_client_expect_the_sync_prefix_on_any_host(
    endpoint: str, prefixed: str, action: str, request_: dict[str, Any]
) -> None:
    client = plain_client(endpoint)
    assert sent_url(client, action, **request_) == prefixed
    assert sent_url(plain_client(endpoint), "list_state_machines") == endpoint + "/"


@pytest.mark.parametrize(("action", "request_"), SYNC_ACTIONS)
def test_given_boto3_client_expect_no_prefix(action: str, request_: dict[str, Any]) -> None:
    assert sent_url(boto3_client("http://127.0.0.1:8083"), action, **request_) == "http://127.0.0.1:8083/"


def test_given_a_default_client_against_the_server_expect_the_sync_call_unreachable(
    server: RunningServer,
) -> None:
    with pytest.raises(EndpointConnectionError, match=r"sync-127\.0\.0\.1"):
        plain_client(server.url).test_state(definition='{"Type": "Pass", "End": true}', roleArn=ROLE)


def test_given_boto3_client_expect_sync_execution_and_test_state_served(server: RunningServer) -> None:
    sfn = boto3_client(server.url, config=Config(retries={"max_attempts": 1}))
    arn = sfn.create_state_machine(name="x", definition=PASS, roleArn=ROLE, type="EXPRESS")["stateMachineArn"]
    assert sfn.start_sync_execution(stateMachineArn=arn, input="{}")["status"] == "SUCCEEDED"
    tested = sfn.test_state(definition='{"Type": "Pass", "End": true}', roleArn=ROLE, input="{}")
    assert tested["status"] == "SUCCEEDED"


def test_given_the_environment_switch_expect_a_plain_client_served(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DISABLE_HOST_PREFIX_INJECTION", "true")
    sfn = plain_client(server.url)
    arn = sfn.create_state_machine(name="x", definition=PASS, roleArn=ROLE, type="EXPRESS")["stateMachineArn"]
    assert sfn.start_sync_execution(stateMachineArn=arn)["status"] == "SUCCEEDED"


def test_given_a_prefixed_name_that_resolves_expect_the_server_to_accept_its_host(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolve = socket.getaddrinfo

    def with_hosts_entry(host: Any, *args: Any, **kwargs: Any) -> Any:
        # An /etc/hosts line "127.0.0.1 sync-127.0.0.1", for this test only.
        return resolve("127.0.0.1" if host == "sync-127.0.0.1" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", with_hosts_entry)
    sfn = plain_client(server.url)
    arn = sfn.create_state_machine(name="x", definition=PASS, roleArn=ROLE, type="EXPRESS")["stateMachineArn"]
    assert sfn.start_sync_execution(stateMachineArn=arn)["status"] == "SUCCEEDED"
