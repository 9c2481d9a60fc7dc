"""RedriveExecution: a FAILED, ABORTED or TIMED_OUT STANDARD execution runs again from the state it
ended in, with the definition it ran with, under the same ARN and history.

AWS: "Restarts unsuccessful executions of Standard workflows that didn't complete successfully in the
last 14 days ... it continues the failed execution from the unsuccessful step and uses the same input."
The record turns RUNNING with ``redriveCount`` + 1 and ``redriveDate`` at once; the runtime hands the
execution ``Redrive`` (:mod:`orchestrator.engine.redrive`), which writes ``ExecutionRedriven``.

``clientToken`` makes the call idempotent: the same token for the same execution answers the first
call's ``redriveDate`` again, without a second redrive (kept for this service's life, as AWS keeps a
token for a limited time).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from orchestrator.errors import ApiError
from orchestrator.service import params, shapes
from orchestrator.service.base import ServiceBase
from orchestrator.service.context import RequestContext

CLIENT_TOKEN_MAX = 64


class RedriveActions(ServiceBase):
    def redrive_execution(self, request: dict[str, Any], ctx: RequestContext | None = None) -> dict[str, Any]:
        """``RedriveExecution(executionArn, clientToken)`` → ``{redriveDate}``; ``ExecutionNotRedrivable``
        with AWS's reason when the execution may not be redriven (see :func:`shapes.redrive_refusal`)."""
        execution = self.execution(params.required(request, "executionArn"))
        token = params.max_length(params.string(request, "clientToken"), "clientToken", CLIENT_TOKEN_MAX)
        if token == "":
            raise params.validation_error(
                token, "clientToken", "Member must have length greater than or equal to 1"
            )
        tokens: dict[tuple[str, str], dict[str, Any]] = self.__dict__.setdefault("_redrive_tokens", {})
        with self._lock:
            if token is not None and (execution.arn, token) in tokens:
                return dict(tokens[(execution.arn, token)])
            execution = self.execution(execution.arn)  # as it is now, under the lock
            if execution.map_run_arn is not None and execution.status in ("FAILED", "ABORTED", "TIMED_OUT"):
                raise ApiError(
                    "ExecutionNotRedrivable",
                    "Execution is a Map Run's child execution: redrive its parent execution instead",
                )
            reason = shapes.redrive_refusal(execution, self.store.history_length(execution.arn))
            if reason is not None:
                raise ApiError("ExecutionNotRedrivable", reason)
            now = datetime.now(tz=UTC)
            redriven = replace(
                execution,
                status="RUNNING",
                stop_date=None,
                output=None,
                error=None,
                cause=None,
                redrive_count=execution.redrive_count + 1,
                redrive_date=now,
            )
            self.runtime.redrive(redriven)
            answer = {"redriveDate": shapes.epoch(now)}
            if token is not None:
                tokens[(execution.arn, token)] = answer
        return dict(answer)
