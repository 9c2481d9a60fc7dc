"""Callback actions: ``SendTaskSuccess``, ``SendTaskFailure``, ``SendTaskHeartbeat``.

A token (:mod:`orchestrator.engine.tokens`) names its execution and task and is signed with the
execution's secret. AWS's errors: a token that is not one of ours (or forged) is ``InvalidToken``; one
whose task has ended (succeeded, failed, timed out, or its execution ended) is ``TaskTimedOut``, so a
token works once.
"""

from __future__ import annotations

import json
from typing import Any

from orchestrator import metrics
from orchestrator.engine import tokens
from orchestrator.engine.model import CallbackFailed, CallbackSucceeded, TaskHeartbeat
from orchestrator.errors import ApiError
from orchestrator.service import params
from orchestrator.service.base import ServiceBase
from orchestrator.service.context import RequestContext

TOKEN_MAX_LENGTH = 2048
OUTPUT_MAX_BYTES = 256 * 1024
ERROR_MAX_LENGTH = 256
CAUSE_MAX_LENGTH = 32768


class CallbackActions(ServiceBase):
    def send_task_success(self, request: dict[str, Any], ctx: RequestContext | None = None) -> dict[str, Any]:
        token = self._token(request)
        output = params.string(request, "output", required_=True)
        assert output is not None
        if len(output.encode()) > OUTPUT_MAX_BYTES:
            raise params.validation_error(
                output, "output", f"Member must have length less than or equal to {OUTPUT_MAX_BYTES}"
            )
        try:
            value = json.loads(output)
        except ValueError:
            raise ApiError("InvalidOutput", f"Invalid Output: '{output}'") from None
        arn, task_id = self._waiting(token)
        self.runtime.deliver(arn, CallbackSucceeded(task_id, value))
        metrics.record_callback("success")
        return {}

    def send_task_failure(self, request: dict[str, Any], ctx: RequestContext | None = None) -> dict[str, Any]:
        token = self._token(request)
        error = params.max_length(params.string(request, "error"), "error", ERROR_MAX_LENGTH)
        cause = params.max_length(params.string(request, "cause"), "cause", CAUSE_MAX_LENGTH)
        arn, task_id = self._waiting(token)
        self.runtime.deliver(arn, CallbackFailed(task_id, error, cause))
        metrics.record_callback("failure")
        return {}

    def send_task_heartbeat(
        self, request: dict[str, Any], ctx: RequestContext | None = None
    ) -> dict[str, Any]:
        arn, task_id = self._waiting(self._token(request))
        self.runtime.deliver(arn, TaskHeartbeat(task_id))
        metrics.record_callback("heartbeat")
        return {}

    @staticmethod
    def _token(request: dict[str, Any]) -> str:
        token = params.string(request, "taskToken", required_=True)
        assert token is not None
        if not token:
            raise params.validation_error(
                token, "taskToken", "Member must have length greater than or equal to 1"
            )
        params.max_length(token, "taskToken", TOKEN_MAX_LENGTH)
        return token

    def _waiting(self, token: str) -> tuple[str, str]:
        """The (execution ARN, task id) of a genuine token whose task still waits."""
        named = tokens.parse_task_token(token)
        if named is None:
            metrics.record_callback("refused")
            raise ApiError("InvalidToken", "Invalid Token: 'Invalid token'")
        arn, task_id = named
        if self.store.get_execution(arn) is None:
            metrics.record_callback("refused")
            raise ApiError("InvalidToken", "Invalid Token: 'Invalid token'")
        secret = self.runtime.task_secret(arn, task_id)
        if secret is None:
            metrics.record_callback("refused")
            raise ApiError("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")
        if not tokens.is_genuine(token, secret):
            metrics.record_callback("refused")
            raise ApiError("InvalidToken", "Invalid Token: 'Invalid token'")
        return arn, task_id
