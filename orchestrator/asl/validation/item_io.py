"""A Distributed Map's ``ItemReader`` (with ``ReaderConfig``), ``ItemBatcher`` and ``ResultWriter``."""

from __future__ import annotations

from typing import Any

from orchestrator.asl.validation.paths import check_path, check_payload_template, is_jsonata
from orchestrator.asl.validation.report import JSONATA, JSONPATH, Report, at, language_message
from orchestrator.asl.validation.values import check_number

INPUT_TYPES = ("CSV", "JSON", "JSONL", "MANIFEST", "PARQUET")
CSV_HEADER_LOCATIONS = ("FIRST_ROW", "GIVEN")
MAX_ITEMS = 100_000_000


def check_item_reader(report: Report, reader: Any, path: str, language: str) -> None:
    if not report.expect(reader, path, "OBJECT"):
        return
    if report.required(reader, path, ("Resource",)):
        report.expect(reader["Resource"], at(path, "Resource"), "STRING")
    _check_arguments(report, reader, path, language)
    config = reader.get("ReaderConfig")
    if "ReaderConfig" not in reader or not report.expect(config, at(path, "ReaderConfig"), "OBJECT"):
        return
    where = at(path, "ReaderConfig")
    for field, allowed in (("InputType", INPUT_TYPES), ("CSVHeaderLocation", CSV_HEADER_LOCATIONS)):
        if field in config and config[field] not in allowed:
            report.error(at(where, field), f"Value should be one of the following: [{', '.join(allowed)}]")
    report.exclusive(config, where, "MaxItems", "MaxItemsPath")
    check_number(report, config, where, "MaxItems", language, low=0, high=MAX_ITEMS)
    check_path(report, config, where, "MaxItemsPath", reference=True)


def check_result_writer(report: Report, writer: Any, path: str, language: str) -> None:
    if report.expect(writer, path, "OBJECT"):
        _check_arguments(report, writer, path, language)


def check_item_batcher(report: Report, batcher: Any, path: str, language: str) -> None:
    if not report.expect(batcher, path, "OBJECT"):
        return
    for field in ("MaxItemsPerBatch", "MaxInputBytesPerBatch"):
        report.exclusive(batcher, path, field, f"{field}Path")
        check_number(report, batcher, path, field, language, low=1)
        check_path(report, batcher, path, f"{field}Path", reference=True)
    if language == JSONPATH and isinstance(batcher.get("BatchInput"), dict):
        check_payload_template(report, batcher["BatchInput"], at(path, "BatchInput"))


def _check_arguments(report: Report, obj: dict[str, Any], path: str, language: str) -> None:
    """``Parameters`` in JSONPath states, ``Arguments`` in JSONata states."""
    wrong = "Parameters" if language == JSONATA else "Arguments"
    if wrong in obj:
        report.error(path, language_message(language, wrong))
    if language == JSONPATH and "Parameters" in obj:
        if report.expect(obj["Parameters"], at(path, "Parameters"), "OBJECT"):
            check_payload_template(report, obj["Parameters"], at(path, "Parameters"))
    elif language == JSONATA and "Arguments" in obj and not is_jsonata(obj["Arguments"]):
        report.expect(obj["Arguments"], at(path, "Arguments"), "OBJECT")
