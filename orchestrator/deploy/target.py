"""The service ``sfn deploy`` talks to: one small interface, two implementations.

:class:`StepFunctionsApi` is one method, ``call(action, request)``, speaking AWS's request and response
dicts and raising :class:`~orchestrator.errors.ApiError` with AWS's error names. :class:`ServiceApi`
calls a :class:`~orchestrator.service.StepFunctionsService` in this process (embedded, or over the Redis
store of a distributed deployment); :class:`Boto3Api` calls any AWS-compatible endpoint (``sfn server``,
real AWS) through a boto3 ``stepfunctions`` client. Only the members deploy reads are relied on, and
they are the same both ways (boto3 answers timestamps as datetimes, the service as epoch seconds).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol

from orchestrator.errors import ApiError


class StepFunctionsApi(Protocol):
    """The Step Functions API as AWS's JSON: ``call("CreateStateMachine", {...}) → {...}``."""

    def call(self, action: str, request: dict[str, Any]) -> dict[str, Any]:
        """Run ``action``; :class:`ApiError` (AWS's error name and message) when the service refuses."""
        ...


class ServiceApi:
    """A :class:`StepFunctionsService` in this process; ``close`` stops it when deploy opened it."""

    def __init__(self, service: Any, *, on_close: Callable[[], None] | None = None) -> None:
        self.service = service
        self._on_close = on_close

    def call(self, action: str, request: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.service.dispatch(action, request)
        return result

    def close(self) -> None:
        if self._on_close is not None:
            self._on_close()


def _snake(action: str) -> str:
    """``CreateStateMachine`` → ``create_state_machine`` (boto3's method names)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower()


class Boto3Api:
    """A boto3 ``stepfunctions`` client (any endpoint); botocore's errors become :class:`ApiError`."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def call(self, action: str, request: dict[str, Any]) -> dict[str, Any]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            result: dict[str, Any] = getattr(self.client, _snake(action))(**request)
        except ClientError as error:
            details = error.response.get("Error", {})
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400)
            raise ApiError(
                str(details.get("Code", "ClientError")), str(details.get("Message", "")), status
            ) from None
        except BotoCoreError as error:
            raise ApiError(type(error).__name__, str(error), 0) from None
        result.pop("ResponseMetadata", None)
        return result

    def close(self) -> None:
        self.client.close()


def boto3_api(endpoint_url: str | None, region: str | None) -> Boto3Api:
    """A client for ``endpoint_url`` (AWS's own when None). Against a custom endpoint, a missing region
    or missing credentials fall back to ``us-east-1`` and placeholder keys (local servers ignore them)."""
    import boto3

    session = boto3.session.Session(region_name=region)
    options: dict[str, Any] = {"endpoint_url": endpoint_url}
    if endpoint_url is not None:
        options["region_name"] = session.region_name or "us-east-1"
        if session.get_credentials() is None:
            options.update(aws_access_key_id="sfn-deploy", aws_secret_access_key="sfn-deploy")
    return Boto3Api(session.client("stepfunctions", **options))


def redis_api(redis_url: str) -> ServiceApi:
    """The state machines of the distributed deployment whose store is ``redis_url``."""
    from orchestrator.service.distributed import distributed_service

    service = distributed_service(redis_url)
    return ServiceApi(service, on_close=service.close)
