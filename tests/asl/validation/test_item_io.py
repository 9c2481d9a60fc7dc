"""ItemReader / ReaderConfig, ItemBatcher and ResultWriter of Distributed Maps."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator.asl.validate import validate_definition
from tests.asl.validation.builders import machine, messages, pass_state

S3_GET = "arn:aws:states:::s3:getObject"


def distributed(**fields: Any) -> dict[str, Any]:
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "Inner",
        "States": {"Inner": pass_state()},
    }
    return machine(("M", {"Type": "Map", "ItemProcessor": processor, "End": True, **fields}))


def reader(**config: Any) -> dict[str, Any]:
    return {"Resource": S3_GET, "Parameters": {"Bucket.$": "$.b", "Key": "k"}, "ReaderConfig": config}


@pytest.mark.parametrize("max_items", [0, 2, 100000000])
def test_max_items_up_to_one_hundred_million_are_valid(paths: None, max_items: int) -> None:
    assert validate_definition(distributed(ItemReader=reader(InputType="CSV", MaxItems=max_items))) == []


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"MaxItems": -1}, "The value for the field 'MaxItems' must be greater than or equal to 0"),
        ({"MaxItems": 1.5}, "Expected value of type [INTEGER] at /States/M/ItemReader/ReaderConfig/MaxItems"),
        (
            {"MaxItems": 100000001},
            "The value for the field 'MaxItems' must be smaller than or equal to 100000000",
        ),
        ({"InputType": "XML"}, "Value should be one of the following: [CSV, JSON, JSONL, MANIFEST, PARQUET]"),
        (
            {"MaxItems": 1, "MaxItemsPath": "$.m"},
            "Only one of the fields 'MaxItems' or 'MaxItemsPath' can be set",
        ),
    ],
)
def test_reader_config_problems(paths: None, config: dict[str, Any], expected: str) -> None:
    found = messages(distributed(ItemReader=reader(**config)))

    assert any(expected in message for message in found), found


def test_reader_arguments_follow_the_query_language() -> None:
    jsonata = distributed(
        QueryLanguage="JSONata", ItemReader={"Resource": S3_GET, "Parameters": {"Bucket": "b"}}
    )

    assert messages(jsonata) == [
        "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field 'Parameters' is only supported "
        "for the 'JSONPath' QueryLanguage at /States/M/ItemReader"
    ]


def test_a_reader_needs_a_resource_and_a_batcher_positive_sizes() -> None:
    definition = distributed(ItemReader={"ReaderConfig": {}}, ItemBatcher={"MaxItemsPerBatch": 0})

    assert messages(definition) == [
        "SCHEMA_VALIDATION_FAILED: These fields are required: [Resource] at /States/M/ItemReader",
        "SCHEMA_VALIDATION_FAILED: The value for the field 'MaxItemsPerBatch' must be greater than or equal to 1 at "
        "/States/M/ItemBatcher/MaxItemsPerBatch",
    ]
