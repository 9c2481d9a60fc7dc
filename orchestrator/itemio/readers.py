"""``ItemReader``: a DISTRIBUTED Map's items read from an object store (``ReadItems`` carried out).

``arn:aws:states:::s3:getObject`` reads one object as ``ReaderConfig.InputType`` says (JSON, JSONL,
CSV, MANIFEST: an S3 Inventory ``manifest.json`` and its CSV data files); ``s3:listObjectsV2`` lists a
bucket (items ``{Etag, Key, LastModified, Size, StorageClass}``). ``max_items`` keeps the first items.
Observed on AWS: CSV values are strings, a row's missing fields are ``""`` and its extra fields dropped,
duplicate headers fail with "CSV headers cannot contain duplicates.", a JSON object that is not an array
with "Attempting to map over non-iterable node.".
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from typing import Any

from orchestrator.engine.model import ReadItems
from orchestrator.itemio.errors import ITEM_READER_FAILED, ItemIOError, s3_cause
from orchestrator.itemio.stores import ObjectStore, ObjectStoreError, ObjectSummary

GET_OBJECT = "arn:aws:states:::s3:getObject"
LIST_OBJECTS_V2 = "arn:aws:states:::s3:listObjectsV2"
CSV_DELIMITERS = {"COMMA": ",", "PIPE": "|", "SEMICOLON": ";", "SPACE": " ", "TAB": "\t"}


def _failed(cause: str) -> ItemIOError:
    return ItemIOError(ITEM_READER_FAILED, cause)


def read_items(store: ObjectStore, request: ReadItems) -> list[Any]:
    """The items ``request`` names, at most ``request.max_items`` of them (0: all); raises
    :class:`ItemIOError` with AWS's cause when they cannot be read."""
    params = request.parameters
    try:
        if request.resource == LIST_OBJECTS_V2:
            items = [_listed(summary) for summary in _list(store, params)]
        elif request.resource == GET_OBJECT:
            items = parse_items(_get(store, params), request.reader_config, store)
        else:
            raise _failed(f"The ItemReader resource is not supported: {request.resource}")
    except ObjectStoreError as error:
        raise _failed(s3_cause(error.message, error.code, error.status)) from None
    return items[: request.max_items] if request.max_items > 0 else items


def _text(params: dict[str, Any], name: str, default: str | None = None) -> str:
    value = params.get(name, default)
    if not isinstance(value, str):
        raise _failed(f"The field '{name}' is required and must be a string.")
    return value


def _get(store: ObjectStore, params: dict[str, Any]) -> bytes:
    return store.get_object(_text(params, "Bucket"), _text(params, "Key"))


def _list(store: ObjectStore, params: dict[str, Any]) -> list[ObjectSummary]:
    return store.list_objects(_text(params, "Bucket"), _text(params, "Prefix", ""))


def _listed(summary: ObjectSummary) -> dict[str, Any]:
    modified = summary.last_modified.strftime("%a %b %d %H:%M:%S UTC %Y")
    return {
        "Etag": summary.etag,
        "Key": summary.key,
        "LastModified": modified,
        "Size": summary.size,
        "StorageClass": summary.storage_class,
    }


def parse_items(body: bytes, config: dict[str, Any], store: ObjectStore | None = None) -> list[Any]:
    """The items in one object's ``body`` as ``ReaderConfig`` (``config``) says."""
    input_type = str(config.get("InputType", "JSON")).upper()
    if input_type == "MANIFEST":
        if store is None:
            raise _failed("A MANIFEST needs an object store to read its data files.")
        return _manifest_items(store, body)
    text = _decode(body)
    if input_type == "CSV":
        return csv_items(text, config)
    if input_type == "JSONL":
        return [_json(line) for line in text.splitlines() if line.strip()]
    if input_type == "JSON":
        return _json_items(_json(text), config.get("ItemsPointer"))
    raise _failed(f"The InputType is not supported: {input_type}")


def _decode(body: bytes) -> str:
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _failed("The object is not valid UTF-8 text.") from None


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise _failed(f"The object is not valid JSON: {error.msg} at line {error.lineno}.") from None


def _json_items(document: Any, pointer: Any) -> list[Any]:
    if isinstance(pointer, str) and pointer:
        for part in pointer.lstrip("/").split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(document, dict) and part in document:
                document = document[part]
            elif isinstance(document, list) and part.isdigit() and int(part) < len(document):
                document = document[int(part)]
            else:
                raise _failed(f"The ItemsPointer '{pointer}' does not point to a value.")
    if not isinstance(document, list):
        raise _failed("Attempting to map over non-iterable node.")
    return document


def csv_items(text: str, config: dict[str, Any]) -> list[dict[str, str]]:
    """CSV rows as objects keyed by the headers (``CSVHeaderLocation`` FIRST_ROW or GIVEN)."""
    delimiter = CSV_DELIMITERS.get(str(config.get("CSVDelimiter", "COMMA")).upper(), ",")
    try:
        rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if row]
    except csv.Error as error:
        raise _failed(f"The CSV is malformed: {error}") from None
    if config.get("CSVHeaderLocation", "FIRST_ROW") == "GIVEN":
        headers = [str(header) for header in config.get("CSVHeaders") or []]
    else:
        headers, rows = (rows[0], rows[1:]) if rows else ([], [])
    if len(set(headers)) != len(headers):
        raise _failed("CSV headers cannot contain duplicates.")
    return [{header: row[i] if i < len(row) else "" for i, header in enumerate(headers)} for row in rows]


def _manifest_items(store: ObjectStore, body: bytes) -> list[Any]:
    """An S3 Inventory ``manifest.json``: the rows of its CSV data files, keyed by its ``fileSchema``."""
    manifest = _json(_decode(body))
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        raise _failed("The manifest is not an S3 Inventory manifest.")
    if str(manifest.get("fileFormat", "CSV")).upper() != "CSV":
        raise _failed(f"The manifest's fileFormat is not supported: {manifest.get('fileFormat')}")
    schema = [name.strip() for name in str(manifest.get("fileSchema", "Bucket, Key")).split(",")]
    bucket = str(manifest.get("destinationBucket", "")).rsplit(":", 1)[-1]
    items: list[Any] = []
    for entry in manifest["files"]:
        data = _decode(store.get_object(bucket, str(entry.get("key", ""))))
        items += csv_items(data, {"CSVHeaderLocation": "GIVEN", "CSVHeaders": schema})
    return items
