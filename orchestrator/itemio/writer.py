"""``ResultWriter``: a DISTRIBUTED Map's child executions exported to an object store
(``WriteResults`` carried out).

AWS writes ``<Prefix>/<map run id>/`` ``SUCCEEDED_0.json``, ``FAILED_0.json``, ``PENDING_0.json`` (one
file per status that has executions) and ``manifest.json`` listing them; the Map's output becomes
``{"MapRunArn": ..., "ResultWriterDetails": {"Bucket": ..., "Key": ".../manifest.json"}}``.
``WriterConfig``: ``Transformation`` NONE (each execution with its metadata, the default), COMPACT (the
outputs of succeeded ones) or FLATTEN (array outputs spliced in); ``OutputType`` JSON (an array) or
JSONL (one entry a line). Failed executions are written unchanged whatever the transformation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from orchestrator.engine.model import WriteResults
from orchestrator.itemio.errors import RESULT_WRITER_FAILED, ItemIOError, s3_cause
from orchestrator.itemio.stores import ObjectStore, ObjectStoreError
from orchestrator.store.records import ExecutionRecord

PUT_OBJECT = "arn:aws:states:::s3:putObject"
FILE_STATUSES = ("SUCCEEDED", "FAILED", "PENDING")


def _date(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def execution_entry(record: ExecutionRecord) -> dict[str, Any]:
    """One child execution as the result files show it (``Output`` or ``Error``/``Cause``)."""
    entry: dict[str, Any] = {
        "ExecutionArn": record.arn,
        "Input": record.input,
        "InputDetails": {"Included": True},
        "Name": record.name,
        "RedriveCount": record.redrive_count,
        "RedriveStatus": "NOT_REDRIVABLE",
        "StartDate": _date(record.start_date),
        "StateMachineArn": record.state_machine_arn,
        "Status": record.status,
        "StopDate": _date(record.stop_date),
    }
    if record.status == "SUCCEEDED":
        entry["Output"] = record.output
        entry["OutputDetails"] = {"Included": True}
        entry["RedriveStatusReason"] = "Execution is SUCCEEDED and cannot be redriven"
    elif record.status != "RUNNING":
        entry["Error"], entry["Cause"] = record.error, record.cause
    return entry


def _file_status(record: ExecutionRecord) -> str:
    if record.status == "SUCCEEDED":
        return "SUCCEEDED"
    return "PENDING" if record.status == "RUNNING" else "FAILED"


def _transformed(records: Iterable[ExecutionRecord], transformation: str) -> list[Any]:
    entries: list[Any] = []
    for record in records:
        if transformation == "NONE" or record.status != "SUCCEEDED":
            entries.append(execution_entry(record))
            continue
        output = json.loads(record.output) if record.output is not None else None
        if transformation == "FLATTEN" and isinstance(output, list):
            entries.extend(output)
        else:
            entries.append(output)
    return entries


def _encoded(entries: list[Any], output_type: str) -> bytes:
    if output_type == "JSONL":
        return "".join(json.dumps(entry, separators=(",", ":")) + "\n" for entry in entries).encode()
    return json.dumps(entries, separators=(",", ":")).encode()


def write_results(
    store: ObjectStore, request: WriteResults, children: list[ExecutionRecord]
) -> dict[str, Any]:
    """Write the result files and the manifest for ``children`` (the map run's child executions);
    returns ``ResultWriterDetails``. Raises :class:`ItemIOError` (``States.ResultWriterFailed``)."""
    bucket = request.parameters.get("Bucket")
    if not isinstance(bucket, str) or not bucket:
        raise ItemIOError(RESULT_WRITER_FAILED, "The field 'Bucket' is required and must be a string.")
    prefix = str(request.parameters.get("Prefix") or "").rstrip("/")
    run_id = request.map_run_arn.rsplit(":", 1)[-1]
    base = f"{prefix}/{run_id}" if prefix else run_id
    config = request.writer_config
    transformation = str(config.get("Transformation", "NONE")).upper()
    output_type = str(config.get("OutputType", "JSON")).upper()
    extension = "jsonl" if output_type == "JSONL" else "json"
    ordered = sorted(children, key=lambda record: (record.start_date, record.arn))
    files: dict[str, list[dict[str, Any]]] = {status: [] for status in FILE_STATUSES}
    try:
        store.head_bucket(bucket)
        for status in FILE_STATUSES:
            chosen = [record for record in ordered if _file_status(record) == status]
            if not chosen:
                continue
            key = f"{base}/{status}_0.{extension}"
            body = _encoded(_transformed(chosen, transformation), output_type)
            store.put_object(bucket, key, body)
            files[status].append({"Key": key, "Size": len(body)})
        manifest = {"DestinationBucket": bucket, "MapRunArn": request.map_run_arn, "ResultFiles": files}
        store.put_object(bucket, f"{base}/manifest.json", json.dumps(manifest).encode())
    except ObjectStoreError as error:
        raise ItemIOError(RESULT_WRITER_FAILED, s3_cause(error.message, error.code, error.status)) from None
    return {"Bucket": bucket, "Key": f"{base}/manifest.json"}
