"""Distributed Maps with an ItemReader and a ResultWriter, end to end on the embedded runtime (the
coordinator carries out the same commands with the same functions): AWS's history and outputs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from orchestrator import Client
from orchestrator.itemio.stores import LocalObjectStore, configure_object_store


@pytest.fixture
def root(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    configure_object_store(LocalObjectStore(tmp_path))
    yield tmp_path
    configure_object_store(None)


@pytest.fixture
def client() -> Iterator[Client]:
    with Client() as embedded:
        yield embedded


def machine(reader: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    state: dict[str, Any] = {
        "Type": "Map",
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "P",
            "States": {"P": {"Type": "Pass", "End": True}},
        },
        "End": True,
        **fields,
    }
    if reader is not None:
        state["ItemReader"] = reader
    return {"StartAt": "Map", "States": {"Map": state}}


def get_object(input_type: str, **config: Any) -> dict[str, Any]:
    return {
        "Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": input_type, **config},
        "Parameters": {"Bucket.$": "$.Bucket", "Key.$": "$.Key"},
    }


def run(
    client: Client, definition: dict[str, Any], value: Any
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    arn = client.start_execution(client.create_state_machine("m", definition), value)
    client.wait(arn, timeout=10)
    return client.describe_execution(arn), client.history(arn)


def test_csv_items_are_the_children_inputs(root: Path, client: Client) -> None:
    (root / "in" / "f.csv").write_text("Col1,Col2\nValue1,Value2\nValue3,Value4\nValue5,Value6\n")

    described, history = run(client, machine(get_object("CSV", MaxItems=2)), {"Bucket": "in", "Key": "f.csv"})

    assert json.loads(described["output"]) == [
        {"Col1": "Value1", "Col2": "Value2"},
        {"Col1": "Value3", "Col2": "Value4"},
    ]
    started = next(e for e in history if e["type"] == "MapStateStarted")
    assert started["mapStateStartedEventDetails"] == {"length": 0}


def test_a_reader_failure_fails_the_map_run_with_its_cause(root: Path, client: Client) -> None:
    (root / "in" / "f.json").write_text('{"Hello": "world"}')

    described, history = run(client, machine(get_object("JSON")), {"Bucket": "in", "Key": "f.json"})

    assert (described["status"], described["error"]) == ("FAILED", "States.ItemReaderFailed")
    assert described["cause"] == "Attempting to map over non-iterable node."
    assert [e["type"] for e in history][-4:] == [
        "MapRunStarted",
        "MapRunFailed",
        "MapStateFailed",
        "ExecutionFailed",
    ]
    failed = next(e for e in history if e["type"] == "MapRunFailed")
    assert failed["mapRunFailedEventDetails"] == {
        "error": "States.ItemReaderFailed",
        "cause": described["cause"],
    }


def test_a_reader_failure_can_be_caught(root: Path, client: Client) -> None:
    definition = machine(
        get_object("JSON"),
        Catch=[{"ErrorEquals": ["States.ItemReaderFailed"], "Next": "Caught"}],
    )
    del definition["States"]["Map"]["End"]
    definition["States"]["Map"]["Next"] = "Done"
    definition["States"]["Caught"] = {"Type": "Pass", "End": True}
    definition["States"]["Done"] = {"Type": "Succeed"}

    described, _ = run(client, definition, {"Bucket": "in", "Key": "missing.json"})

    output = json.loads(described["output"])
    assert output["Error"] == "States.ItemReaderFailed"
    assert "NoSuchKey" in output["Cause"]


def test_the_result_writer_exports_and_outputs_where(root: Path, client: Client) -> None:
    writer = {
        "Resource": "arn:aws:states:::s3:putObject",
        "Parameters": {"Bucket": "out", "Prefix": "mapJobs"},
    }

    described, history = run(client, machine(ResultWriter=writer, Label="TestMap"), ["Hello", "World"])

    output = json.loads(described["output"])
    run_id = output["MapRunArn"].rsplit(":", 1)[-1]
    assert output["MapRunArn"].split(":mapRun:")[1].split("/")[1].startswith("TestMap:")
    assert output["ResultWriterDetails"] == {"Bucket": "out", "Key": f"mapJobs/{run_id}/manifest.json"}
    manifest = json.loads((root / "out" / "mapJobs" / run_id / "manifest.json").read_text())
    succeeded = json.loads((root / "out" / manifest["ResultFiles"]["SUCCEEDED"][0]["Key"]).read_text())
    assert sorted(entry["Output"] for entry in succeeded) == ['"Hello"', '"World"']
    assert [e["type"] for e in history][-5:] == [
        "MapRunStarted",
        "MapRunSucceeded",
        "MapStateSucceeded",
        "MapStateExited",
        "ExecutionSucceeded",
    ]


def test_a_writer_config_alone_transforms_the_output(root: Path, client: Client) -> None:
    writer = {"WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSON"}}

    described, _ = run(client, machine(ResultWriter=writer), [[1, 2], [3]])

    assert json.loads(described["output"]) == [1, 2, 3]
