"""The Python producer client: start executions and follow them, from any process.

``Client(redis_url=...)`` talks to a distributed deployment's store directly (no server needed);
``Client(endpoint_url=...)`` talks to any Step Functions-compatible endpoint (``sfn server``, or AWS
itself with credentials in the environment... through boto3 if you prefer); ``Client()`` runs
executions embedded in this process. Every method takes and returns AWS's API shapes, so code written
against this client moves to boto3 unchanged and back.

    client = Client(redis_url="redis://localhost:6379/0")
    arn = client.start_execution(machine_arn, {"order": 42}, name="order-42")  # idempotent by name
    output = client.result(arn, timeout=60)                                      # raises on failure

:func:`boto3_client` is boto3's own client, set up for a self-hosted endpoint such as ``sfn server``.
"""

from __future__ import annotations

import json
import time
from typing import Any

from orchestrator.errors import ApiError, SfnError

TERMINAL = frozenset({"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"})


class ExecutionNotSucceeded(SfnError):
    """An execution ended in FAILED, TIMED_OUT or ABORTED; carries its ``status``, ``error``, ``cause``."""

    def __init__(self, description: dict[str, Any]) -> None:
        self.status = str(description.get("status"))
        self.error = description.get("error")
        self.cause = description.get("cause")
        super().__init__(
            f"{description.get('executionArn')} {self.status}: {self.error or ''}: {self.cause or ''}"
        )


class Client:
    def __init__(
        self,
        *,
        redis_url: str | None = None,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        timeout: float = 70.0,
    ) -> None:
        if redis_url is not None and endpoint_url is not None:
            raise ValueError("give redis_url or endpoint_url, not both")
        self._http: Any = None
        self._service: Any = None
        if endpoint_url is not None:
            import httpx

            self._http = httpx.Client(base_url=endpoint_url.rstrip("/"), timeout=timeout)
            self._region = region
        elif redis_url is not None:
            from orchestrator.service.distributed import distributed_service

            self._service = distributed_service(redis_url, region=region)
        else:
            from orchestrator.service.embedded import embedded_service

            self._service = embedded_service(region=region)

    # ---- the API ------------------------------------------------------------------------------

    def call(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        """Any Step Functions action by name (``"ListExecutions"``...), AWS's request and response."""
        if self._service is not None:
            result: dict[str, Any] = json.loads(
                json.dumps(self._service.dispatch(action, params), default=_epoch)
            )
            return result
        response = self._http.post(
            "/",
            content=json.dumps(params),
            headers={
                "Content-Type": "application/x-amz-json-1.0",
                "X-Amz-Target": f"AWSStepFunctions.{action}",
            },
        )
        body = response.json() if response.content else {}
        if response.status_code >= 400:
            code = str(body.get("__type", "ServiceException")).rsplit("#", 1)[-1]
            raise ApiError(code, str(body.get("message", body.get("Message", ""))), response.status_code)
        return dict(body)

    def create_state_machine(
        self, name: str, definition: dict[str, Any] | str, *, role_arn: str | None = None, **extra: Any
    ) -> str:
        text = definition if isinstance(definition, str) else json.dumps(definition)
        role = role_arn or "arn:aws:iam::123456789012:role/sfn-client"
        response = self.call(
            "CreateStateMachine", {"name": name, "definition": text, "roleArn": role, **extra}
        )
        return str(response["stateMachineArn"])

    def start_execution(self, state_machine_arn: str, input: Any = None, *, name: str | None = None) -> str:
        """Start an execution; with ``name``, starting the same name with the same input again returns the
        running execution (AWS's idempotency rule) instead of a second one."""
        params: dict[str, Any] = {
            "stateMachineArn": state_machine_arn,
            "input": json.dumps({} if input is None else input),
        }
        if name is not None:
            params["name"] = name
        return str(self.call("StartExecution", params)["executionArn"])

    def describe_execution(self, execution_arn: str) -> dict[str, Any]:
        return self.call("DescribeExecution", {"executionArn": execution_arn})

    def wait(self, execution_arn: str, timeout: float | None = None, poll: float = 0.05) -> dict[str, Any]:
        """Block until the execution ends (or ``timeout`` passes); its description."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            description = self.describe_execution(execution_arn)
            if description["status"] in TERMINAL or (deadline is not None and time.monotonic() >= deadline):
                return description
            time.sleep(poll)
            poll = min(poll * 1.5, 1.0)

    def result(self, execution_arn: str, timeout: float | None = None) -> Any:
        """The execution's output once it succeeds; :class:`ExecutionNotSucceeded` otherwise."""
        description = self.wait(execution_arn, timeout)
        if description["status"] == "RUNNING":
            raise TimeoutError(f"{execution_arn} still running after {timeout} s")
        if description["status"] != "SUCCEEDED":
            raise ExecutionNotSucceeded(description)
        return json.loads(description.get("output") or "null")

    def history(self, execution_arn: str) -> list[dict[str, Any]]:
        """Every history event, oldest first (all pages)."""
        events: list[dict[str, Any]] = []
        params: dict[str, Any] = {"executionArn": execution_arn, "maxResults": 1000}
        while True:
            page = self.call("GetExecutionHistory", params)
            events.extend(page.get("events", []))
            token = page.get("nextToken")
            if not token:
                return events
            params["nextToken"] = token

    def stop(self, execution_arn: str, *, error: str | None = None, cause: str | None = None) -> None:
        params: dict[str, Any] = {"executionArn": execution_arn}
        if error is not None:
            params["error"] = error
        if cause is not None:
            params["cause"] = cause
        self.call("StopExecution", params)

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
        if self._service is not None:
            self._service.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def boto3_client(
    endpoint_url: str = "http://127.0.0.1:8083",
    *,
    region: str = "us-east-1",
    aws_access_key_id: str = "test",
    aws_secret_access_key: str = "test",
    config: Any = None,
) -> Any:
    """A boto3 ``stepfunctions`` client for ``endpoint_url`` (``sfn server``).

    Host prefix injection is off: botocore sends StartSyncExecution and TestState to ``sync-<host>``
    (their model's ``endpoint.hostPrefix``), IP addresses and ``localhost`` included
    (``http://sync-127.0.0.1:8083/``), and that name does not resolve. The server checks no signature,
    so any credentials do. ``config`` (a ``botocore.config.Config``) is merged over these settings.
    """
    import boto3
    from botocore.config import Config

    settings = Config(inject_host_prefix=False)
    if config is not None:
        settings = settings.merge(config)
    return boto3.client(
        "stepfunctions",
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=aws_access_key_id,
        aws_secret_access_key=aws_secret_access_key,
        config=settings,
    )


def _epoch(value: Any) -> Any:
    """Datetimes as AWS's JSON protocol sends them (epoch seconds)."""
    from datetime import datetime

    if isinstance(value, datetime):
        return value.timestamp()
    raise TypeError(f"not JSON: {type(value).__name__}")
