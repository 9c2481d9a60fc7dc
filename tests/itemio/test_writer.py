"""ResultWriter: the manifest and result files AWS writes under ``<Prefix>/<map run id>/``."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from orchestrator.engine.model import WriteResults
from orchestrator.itemio.errors import ItemIOError
from orchestrator.itemio.stores import ObjectStore
from orchestrator.itemio.writer import write_results
from orchestrator.store.records import ExecutionRecord

RUN = "arn:aws:states:us-east-1:123456789012:mapRun:m/label:11111111-2222-3333-4444-555555555555"
MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:m/label"


def child(n: int, status: str, output: str | None = None) -> ExecutionRecord:
    started = datetime(2024, 1, 1, 0, 0, n, tzinfo=UTC)
    return ExecutionRecord(
        arn=f"arn:aws:states:us-east-1:123456789012:execution:m/label:c{n}",
        state_machine_arn=MACHINE,
        name=f"c{n}",
        input=json.dumps(n),
        status=status,
        start_date=started,
        stop_date=started,
        output=output,
        error="Oops" if status == "FAILED" else None,
        cause="it broke" if status == "FAILED" else None,
        map_run_arn=RUN,
    )


def request(bucket: str, config: dict[str, str] | None = None) -> WriteResults:
    return WriteResults(
        "write-1",
        RUN,
        MACHINE,
        "arn:aws:states:::s3:putObject",
        {"Bucket": bucket, "Prefix": "jobs"},
        config or {},
    )


def test_results_are_written_by_status_with_a_manifest(object_store: tuple[ObjectStore, str]) -> None:
    store, bucket = object_store
    children = [child(1, "SUCCEEDED", '{"ok":1}'), child(2, "FAILED"), child(0, "SUCCEEDED", "[0]")]

    details = write_results(store, request(bucket), children)

    base = "jobs/11111111-2222-3333-4444-555555555555"
    assert details == {"Bucket": bucket, "Key": f"{base}/manifest.json"}
    manifest = json.loads(store.get_object(bucket, f"{base}/manifest.json"))
    assert manifest["DestinationBucket"] == bucket and manifest["MapRunArn"] == RUN
    assert [f["Key"] for f in manifest["ResultFiles"]["SUCCEEDED"]] == [f"{base}/SUCCEEDED_0.json"]
    assert [f["Key"] for f in manifest["ResultFiles"]["FAILED"]] == [f"{base}/FAILED_0.json"]
    assert manifest["ResultFiles"]["PENDING"] == []
    succeeded = json.loads(store.get_object(bucket, f"{base}/SUCCEEDED_0.json"))
    assert [entry["Name"] for entry in succeeded] == ["c0", "c1"]
    assert succeeded[1]["Output"] == '{"ok":1}' and succeeded[1]["Input"] == "1"
    assert succeeded[1]["StartDate"] == "2024-01-01T00:00:01.000Z"
    failed = json.loads(store.get_object(bucket, f"{base}/FAILED_0.json"))
    assert (failed[0]["Error"], failed[0]["Cause"], failed[0]["Status"]) == ("Oops", "it broke", "FAILED")


def test_flatten_as_json_lines_splices_array_outputs(object_store: tuple[ObjectStore, str]) -> None:
    store, bucket = object_store
    children = [child(0, "SUCCEEDED", "[1,2]"), child(1, "SUCCEEDED", '{"a":3}')]

    write_results(store, request(bucket, {"Transformation": "FLATTEN", "OutputType": "JSONL"}), children)

    body = store.get_object(bucket, "jobs/11111111-2222-3333-4444-555555555555/SUCCEEDED_0.jsonl")
    assert body.decode().splitlines() == ["1", "2", '{"a":3}']


def test_a_missing_bucket_fails_the_writer(object_store: tuple[ObjectStore, str]) -> None:
    store, _ = object_store

    with pytest.raises(ItemIOError) as raised:
        write_results(store, request("no-such-bucket-anywhere"), [child(0, "SUCCEEDED", "1")])

    assert raised.value.error == "States.ResultWriterFailed"
    assert "NoSuchBucket" in raised.value.cause
