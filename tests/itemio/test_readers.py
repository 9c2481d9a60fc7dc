"""ItemReader: objects parsed into items as AWS does (the CSV and JSON expectations are the recorded
cases' in ../shared/conformance: test_map_item_reader_*), over both object stores."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest

from orchestrator.engine.model import ReadItems
from orchestrator.itemio.errors import ItemIOError
from orchestrator.itemio.readers import GET_OBJECT, LIST_OBJECTS_V2, csv_items, parse_items, read_items
from orchestrator.itemio.stores import ObjectStore

TYPED_CSV = "0,True,{}\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n"
GIVEN_CSV = "Value1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n"
PLAIN_CSV = "Col1,Col2\nValue1,Value2\nValue3,Value4\nValue5,Value6\nValue7,Value8\n"


def request(
    resource: str, config: dict[str, Any] | None = None, max_items: int = 0, **params: Any
) -> ReadItems:
    return ReadItems("read-1", resource, params, config or {}, max_items)


def test_csv_first_row_headers_fill_missing_fields_and_drop_extra_ones() -> None:
    items = csv_items(TYPED_CSV, {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"})

    assert items == [
        {"0": "Value4", "True": "Value5", "{}": "Value6"},
        {"0": "", "True": "", "{}": ""},
        {"0": "true", "True": "1", "{}": "'HelloWorld'"},
        {"0": "Null", "True": "None", "{}": ""},
        {"0": "   ", "True": "", "{}": ""},
    ]


def test_csv_given_headers_read_every_row_as_data() -> None:
    items = csv_items(GIVEN_CSV, {"CSVHeaderLocation": "GIVEN", "CSVHeaders": ["H1"]})

    assert items == [
        {"H1": "Value1"},
        {"H1": "Value4"},
        {"H1": ""},
        {"H1": "true"},
        {"H1": "Null"},
        {"H1": "   "},
    ]


def test_csv_duplicate_headers_fail_the_reader() -> None:
    with pytest.raises(ItemIOError) as raised:
        csv_items(GIVEN_CSV, {"CSVHeaderLocation": "GIVEN", "CSVHeaders": ["H1", "H1", "H3"]})

    assert (raised.value.error, raised.value.cause) == (
        "States.ItemReaderFailed",
        "CSV headers cannot contain duplicates.",
    )


def test_csv_delimiters_and_quoted_fields() -> None:
    items = csv_items('a|b\n"x|y"|2\n', {"CSVDelimiter": "PIPE"})

    assert items == [{"a": "x|y", "b": "2"}]


def test_a_json_object_that_is_not_an_array_is_not_iterable() -> None:
    with pytest.raises(ItemIOError) as raised:
        parse_items(b'{"Hello": "world"}', {"InputType": "JSON"})

    assert raised.value.cause == "Attempting to map over non-iterable node."


def test_items_pointer_selects_the_array_inside_a_json_object() -> None:
    body = json.dumps({"data": {"items": [1, 2]}}).encode()

    assert parse_items(body, {"InputType": "JSON", "ItemsPointer": "/data/items"}) == [1, 2]


def test_jsonl_is_one_item_a_line_and_gzip_is_unpacked() -> None:
    body = gzip.compress(b'{"a": 1}\n\n[2]\n"three"\n')

    assert parse_items(body, {"InputType": "JSONL"}) == [{"a": 1}, [2], "three"]


def test_malformed_json_fails_the_reader() -> None:
    with pytest.raises(ItemIOError) as raised:
        parse_items(b"[1, 2", {"InputType": "JSON"})

    assert raised.value.error == "States.ItemReaderFailed"


@pytest.mark.parametrize(("max_items", "count"), [(0, 4), (2, 2), (100_000_001, 4)])
def test_max_items_keeps_the_first_items(
    object_store: tuple[ObjectStore, str], max_items: int, count: int
) -> None:
    store, bucket = object_store
    store.put_object(bucket, "file.csv", PLAIN_CSV.encode())

    items = read_items(
        store, request(GET_OBJECT, {"InputType": "CSV"}, max_items, Bucket=bucket, Key="file.csv")
    )

    assert items[:2] == [{"Col1": "Value1", "Col2": "Value2"}, {"Col1": "Value3", "Col2": "Value4"}]
    assert len(items) == count


def test_a_missing_key_fails_with_the_s3_error(object_store: tuple[ObjectStore, str]) -> None:
    store, bucket = object_store

    with pytest.raises(ItemIOError) as raised:
        read_items(store, request(GET_OBJECT, {"InputType": "JSON"}, Bucket=bucket, Key="missing.json"))

    assert raised.value.error == "States.ItemReaderFailed"
    assert raised.value.cause.startswith(
        "The specified key does not exist. (Service: Amazon S3; Status Code: 404;"
    )
    assert "Error Code: NoSuchKey" in raised.value.cause


def test_list_objects_v2_lists_the_bucket(object_store: tuple[ObjectStore, str]) -> None:
    store, bucket = object_store
    for n in range(3):
        store.put_object(bucket, f"file_{n}.txt", f"{n}HelloWorld!".encode())

    items = read_items(store, request(LIST_OBJECTS_V2, Bucket=bucket))

    assert [item["Key"] for item in items] == ["file_0.txt", "file_1.txt", "file_2.txt"]
    assert {tuple(sorted(item)) for item in items} == {
        ("Etag", "Key", "LastModified", "Size", "StorageClass")
    }
    assert {item["Size"] for item in items} == {12}
    assert {item["StorageClass"] for item in items} == {"STANDARD"}


def test_a_manifest_reads_its_inventory_data_files(object_store: tuple[ObjectStore, str]) -> None:
    store, bucket = object_store
    store.put_object(bucket, "inv/data/1.csv.gz", gzip.compress(b'"src","a.txt"\n"src","b.txt"\n'))
    manifest = {
        "sourceBucket": "src",
        "destinationBucket": f"arn:aws:s3:::{bucket}",
        "fileFormat": "CSV",
        "fileSchema": "Bucket, Key",
        "files": [{"key": "inv/data/1.csv.gz", "size": 40, "MD5checksum": "x"}],
    }
    store.put_object(bucket, "inv/manifest.json", json.dumps(manifest).encode())

    items = read_items(
        store, request(GET_OBJECT, {"InputType": "MANIFEST"}, Bucket=bucket, Key="inv/manifest.json")
    )

    assert items == [{"Bucket": "src", "Key": "a.txt"}, {"Bucket": "src", "Key": "b.txt"}]
