"""Map-run actions: DescribeMapRun, ListMapRuns, UpdateMapRun (a DISTRIBUTED Map's map runs).

The runtime keeps a record per map run (status, dates, settings: ``RecordMapRun``); the counts are the
map run's child executions as they stand (``itemCounts`` weighs a batch by its items). Observed on AWS
(LocalStack's recording of ``test_list_map_runs_and_describe_map_run``): tolerances never set read
``0`` and ``0.0``, and ``resultsWritten`` counts the succeeded children even without a ResultWriter.

UpdateMapRun reaches the interpreter as an input event (``MapRunUpdated``), as StopExecution's stop
does: the new ``maxConcurrency`` applies to the iterations not started yet, the tolerances to the next
failure. The record takes the new settings at once, so DescribeMapRun shows them right away.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from orchestrator.engine.model import MapRunUpdated
from orchestrator.errors import ApiError
from orchestrator.service import arns, params, shapes
from orchestrator.service.base import ServiceBase
from orchestrator.service.context import RequestContext
from orchestrator.service.pagination import paginate
from orchestrator.store.records import ExecutionRecord, MapRunRecord

MAP_RUN_ARN_MAX = 2000
MAX_CONCURRENCY_MAX = 2**31 - 1
TOLERATED_FAILURE_COUNT_MAX = 2**63 - 1
CHILD_STATUSES = {
    "RUNNING": "running",
    "SUCCEEDED": "succeeded",
    "FAILED": "failed",
    "TIMED_OUT": "timedOut",
    "ABORTED": "aborted",
}


def parse_map_run_arn(arn: object) -> str:
    """A map run ARN (``...:mapRun:<machine>/<label>:<id>``); ``InvalidArn`` as AWS words it otherwise."""
    parsed = arns.parse(arn)
    if parsed.resource_type != "mapRun":
        raise arns.invalid_arn(f"Resource type not valid in this context: {parsed.resource_type.lower()}")
    if len(parsed.parts) != 2 or "/" not in parsed.parts[0]:
        raise arns.invalid_arn(f"Invalid ARN: {arn}")
    assert isinstance(arn, str)
    return arn


def _number(request: dict[str, Any], member: str, *, maximum: float) -> float | None:
    """An optional number member between 0 and ``maximum`` (``toleratedFailurePercentage``)."""
    value = request.get(member)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ApiError("SerializationException", f"Expected a number for '{member}'")
    if value > maximum:
        raise params.validation_error(
            value, member, f"Member must have value less than or equal to {maximum}"
        )
    if value < 0:
        raise params.validation_error(value, member, "Member must have value greater than or equal to 0")
    return float(value)


def _counts(
    record: MapRunRecord, children: Iterable[ExecutionRecord]
) -> tuple[dict[str, int], dict[str, int]]:
    """``itemCounts`` and ``executionCounts`` from the map run's child executions."""
    items = dict.fromkeys(("pending", *CHILD_STATUSES.values()), 0)
    executions = dict(items)
    started_items = 0
    for child in children:
        member = CHILD_STATUSES.get(child.status, "running")
        weight = _batch_size(child) if record.batched else 1
        executions[member] += 1
        items[member] += weight
        started_items += weight
    items["pending"] = max(record.item_count - started_items, 0)
    items["total"] = max(record.item_count, started_items)
    executions["total"] = sum(executions.values())
    for counts in (items, executions):
        counts["resultsWritten"] = counts["succeeded"]
        counts["failuresNotRedrivable"] = 0
        counts["pendingRedrive"] = 0
    return items, executions


def _batch_size(child: ExecutionRecord) -> int:
    """How many items a batched child execution processes (its input's ``Items``)."""
    try:
        value = json.loads(child.input)
    except ValueError:
        return 1
    found = value.get("Items") if isinstance(value, dict) else None
    return len(found) if isinstance(found, list) else 1


class MapRunActions(ServiceBase):
    def map_run(self, arn: object) -> MapRunRecord:
        """An existing map run; ``InvalidArn`` / ``ResourceNotFound`` otherwise."""
        if isinstance(arn, str):
            params.max_length(arn, "mapRunArn", MAP_RUN_ARN_MAX)
        record = self.store.get_map_run(parse_map_run_arn(arn))
        if record is None:
            raise ApiError("ResourceNotFound", f"Resource not found: '{arn}'")
        return record

    def describe_map_run(self, request: dict[str, Any], ctx: RequestContext | None = None) -> dict[str, Any]:
        record = self.map_run(params.required(request, "mapRunArn"))
        children = [
            e for e in self.store.list_executions(record.state_machine_arn) if e.map_run_arn == record.arn
        ]
        items, executions = _counts(record, children)
        out: dict[str, Any] = {
            "mapRunArn": record.arn,
            "executionArn": record.execution_arn,
            "status": record.status,
            "startDate": shapes.epoch(record.start_date),
        }
        if record.stop_date is not None:
            out["stopDate"] = shapes.epoch(record.stop_date)
        out.update(
            maxConcurrency=record.max_concurrency,
            toleratedFailurePercentage=float(record.tolerated_failure_percentage or 0.0),
            toleratedFailureCount=int(record.tolerated_failure_count or 0),
            itemCounts=items,
            executionCounts=executions,
            redriveCount=record.redrive_count,
        )
        if record.redrive_date is not None:
            out["redriveDate"] = shapes.epoch(record.redrive_date)
        return out

    def list_map_runs(self, request: dict[str, Any], ctx: RequestContext | None = None) -> dict[str, Any]:
        """The map runs an execution started, newest first."""
        execution = self.execution(params.required(request, "executionArn"))
        runs = sorted(
            self.store.list_map_runs(execution.arn), key=lambda r: (r.start_date, r.arn), reverse=True
        )
        page, token = paginate(runs, request, scope=f"ListMapRuns:{execution.arn}", key=lambda r: r.arn)
        out: dict[str, Any] = {"mapRuns": [_list_item(run) for run in page]}
        if token:
            out["nextToken"] = token
        return out

    def update_map_run(self, request: dict[str, Any], ctx: RequestContext | None = None) -> dict[str, Any]:
        arn = params.required(request, "mapRunArn")
        max_concurrency = params.integer(request, "maxConcurrency", minimum=0, maximum=MAX_CONCURRENCY_MAX)
        count = params.integer(
            request, "toleratedFailureCount", minimum=0, maximum=TOLERATED_FAILURE_COUNT_MAX
        )
        percentage = _number(request, "toleratedFailurePercentage", maximum=100)
        record = self.map_run(arn)
        if max_concurrency is None and count is None and percentage is None:
            raise ApiError(
                "ValidationException",
                "At least one of maxConcurrency, toleratedFailureCount or toleratedFailurePercentage "
                "must be provided",
            )
        if record.status != "RUNNING":
            raise ApiError("ValidationException", f"Map Run is not running: '{record.arn}'")
        changes: dict[str, Any] = {
            name: value
            for name, value in (
                ("max_concurrency", max_concurrency),
                ("tolerated_failure_count", count),
                ("tolerated_failure_percentage", percentage),
            )
            if value is not None
        }
        self.store.update_map_run(record.arn, changes)
        self.runtime.deliver(
            record.execution_arn, MapRunUpdated(record.arn, max_concurrency, count, percentage)
        )
        return {}


def _list_item(run: MapRunRecord) -> dict[str, Any]:
    """One item of ``ListMapRuns``."""
    out: dict[str, Any] = {
        "executionArn": run.execution_arn,
        "mapRunArn": run.arn,
        "stateMachineArn": run.state_machine_arn,
        "startDate": shapes.epoch(run.start_date),
    }
    if run.stop_date is not None:
        out["stopDate"] = shapes.epoch(run.stop_date)
    return out
