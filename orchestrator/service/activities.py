"""Activity actions: ``CreateActivity``, ``DescribeActivity``, ``ListActivities``, ``DeleteActivity`` and
``GetActivityTask``, the long poll external workers (in any language) use to take tasks.

A worker takes a task with ``GetActivityTask`` (waiting up to 60 s, as AWS does), runs it, and ends it
with ``SendTaskSuccess``/``SendTaskFailure`` (``SendTaskHeartbeat`` meanwhile) using its token. Taking
it writes ``ActivityStarted`` (with ``workerName``) to the execution's history; a queued task whose
execution has moved on (timed out, stopped) is skipped.
"""

from __future__ import annotations

import time
from typing import Any

from orchestrator import metrics
from orchestrator.engine.model import ActivityStarted
from orchestrator.engine.tokens import parse_task_token
from orchestrator.errors import ApiError
from orchestrator.service import arns, params
from orchestrator.service.base import ServiceBase
from orchestrator.service.context import RequestContext
from orchestrator.service.pagination import paginate
from orchestrator.service.shapes import epoch
from orchestrator.service.state_machines import tag_dict
from orchestrator.store.activities import ActivityRecord

POLL_SECONDS = 60.0
"""How long ``GetActivityTask`` waits for a task (AWS: up to 60 seconds)."""
WORKER_NAME_MAX_LENGTH = 80


class ActivityActions(ServiceBase):
    def create_activity(self, request: dict[str, Any], ctx: RequestContext | None = None) -> dict[str, Any]:
        name = arns.validate_name(params.string(request, "name", required_=True))
        tags = tag_dict(request.get("tags") or [])
        arn = f"arn:aws:states:{self.region}:{self.account_id}:activity:{name}"
        with self._lock:
            existing = self.store.get_activity(arn)
            if existing is not None:
                if tags and tags != existing.tags:
                    raise ApiError("ActivityAlreadyExists", f"Activity already exists: '{arn}'")
                return {"activityArn": arn, "creationDate": epoch(existing.creation_date)}
            record = ActivityRecord(arn=arn, name=name, tags=tags)
            self.store.put_activity(record)
        return {"activityArn": arn, "creationDate": epoch(record.creation_date)}

    def describe_activity(self, request: dict[str, Any], ctx: RequestContext | None = None) -> dict[str, Any]:
        record = self._activity(request)
        return {"activityArn": record.arn, "name": record.name, "creationDate": epoch(record.creation_date)}

    def list_activities(self, request: dict[str, Any], ctx: RequestContext | None = None) -> dict[str, Any]:
        records = sorted(self.store.list_activities(), key=lambda r: r.name)
        page, token = paginate(records, request, scope="ListActivities", key=lambda r: r.name)
        out: dict[str, Any] = {
            "activities": [
                {"activityArn": r.arn, "name": r.name, "creationDate": epoch(r.creation_date)} for r in page
            ]
        }
        if token:
            out["nextToken"] = token
        return out

    def delete_activity(self, request: dict[str, Any], ctx: RequestContext | None = None) -> dict[str, Any]:
        arn = self._activity_arn(request)
        self.store.delete_activity(arn)  # deleting one that does not exist succeeds, as on AWS
        return {}

    def get_activity_task(self, request: dict[str, Any], ctx: RequestContext | None = None) -> dict[str, Any]:
        record = self._activity(request)
        worker = params.max_length(params.string(request, "workerName"), "workerName", WORKER_NAME_MAX_LENGTH)
        deadline = time.monotonic() + self.activity_poll_seconds
        while True:
            task = self.store.pop_activity_task(record.arn, max(deadline - time.monotonic(), 0.0))
            if task is None:
                return {}
            named = parse_task_token(task.get("taskToken"))
            if named is None or self.runtime.task_secret(*named) is None:
                continue  # its execution moved on (timed out, stopped) before a worker came
            self.runtime.deliver(named[0], ActivityStarted(named[1], worker))
            metrics.record_activity_started(record.arn)
            return {"taskToken": task["taskToken"], "input": task["input"]}

    # ---- lookups ------------------------------------------------------------------------------

    activity_poll_seconds = POLL_SECONDS

    def _activity_arn(self, request: dict[str, Any]) -> str:
        arn = params.string(request, "activityArn", required_=True)
        assert arn is not None
        parsed = arns.parse(arn)
        if parsed.resource_type != "activity":
            raise ApiError(
                "InvalidArn",
                f"Invalid Arn: 'Resource type not valid in this context: {parsed.resource_type}'",
            )
        return arn

    def _activity(self, request: dict[str, Any]) -> ActivityRecord:
        arn = self._activity_arn(request)
        record = self.store.get_activity(arn)
        if record is None:
            raise ApiError("ActivityDoesNotExist", f"Activity Does Not Exist: '{arn}'")
        return record
