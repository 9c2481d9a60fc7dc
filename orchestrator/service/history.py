"""GetExecutionHistory: the events the runtime recorded (already in AWS's shape), paged.

Pages are keyed by event id, so paging through a history that is still growing neither repeats nor
skips events, in either order.
"""

from __future__ import annotations

from typing import Any

from orchestrator.service import params
from orchestrator.service.base import ServiceBase
from orchestrator.service.context import RequestContext
from orchestrator.service.pagination import paginate

EXECUTION_DATA_MEMBERS = ("input", "output")


def without_execution_data(event: dict[str, Any]) -> dict[str, Any]:
    """An event with the inputs and outputs of its ``*EventDetails`` left out (``includeExecutionData``)."""
    out = dict(event)
    for key, value in event.items():
        if key.endswith("EventDetails") and isinstance(value, dict):
            out[key] = {k: v for k, v in value.items() if k not in EXECUTION_DATA_MEMBERS}
    return out


class HistoryActions(ServiceBase):
    def get_execution_history(
        self, request: dict[str, Any], ctx: RequestContext | None = None
    ) -> dict[str, Any]:
        execution = self.execution(params.required(request, "executionArn"))
        reverse = params.boolean(request, "reverseOrder")
        include_data = params.boolean(request, "includeExecutionData", default=True)
        events = self.store.history(execution.arn)
        if reverse:
            events.reverse()
        page, token = paginate(
            events,
            request,
            scope=f"History:{execution.arn}:{reverse}",
            key=lambda e: e.get("id"),
            token_max_length=3096,
        )
        out: dict[str, Any] = {"events": page if include_data else [without_execution_data(e) for e in page]}
        if token:
            out["nextToken"] = token
        return out
