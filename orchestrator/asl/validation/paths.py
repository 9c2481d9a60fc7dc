"""Syntax checks of the values that hold paths, intrinsic calls, timestamps and JSONata expressions.

Path and intrinsic syntax is the data-flow package's (``orchestrator.dataflow.jsonpath`` and
``orchestrator.dataflow.intrinsics``): the validator accepts exactly what the evaluators can run.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from orchestrator.asl.validation.report import Report, at

INTRINSIC_PREFIX = "States."
_VARIABLE = re.compile(r"\$([^.\[]+)")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def is_path(value: Any) -> bool:
    """A JSONPath the evaluator accepts: ``$.a[0]``, ``$..b``, a context path ``$$.Execution.Id`` or a
    variable path ``$var.x``."""
    from orchestrator.dataflow import jsonpath

    rooted = _input_rooted(value)
    return rooted is not None and bool(jsonpath.is_valid_path(rooted))


def is_reference_path(value: Any, *, input_only: bool = False) -> bool:
    """A path that selects a single node (no ``..``, ``*``, filters or slices); ``input_only`` refuses
    context and variable paths (``ResultPath``)."""
    from orchestrator.dataflow import jsonpath

    rooted = value if input_only and isinstance(value, str) else _input_rooted(value)
    return rooted is not None and bool(jsonpath.is_reference_path(rooted))


def _input_rooted(value: Any) -> str | None:
    """The path rewritten onto ``$`` (``$$.a`` and ``$var.a`` become ``$.a``), or None if not a path."""
    if not isinstance(value, str) or not value.startswith("$"):
        return None
    if value.startswith("$$"):
        return "$" + value[2:]
    match = _VARIABLE.match(value)
    if match is None:
        return value
    name = match.group(1)
    if not (name[0].isalpha() or name[0] == "_") or not all(char.isalnum() or char == "_" for char in name):
        return None
    return "$" + value[match.end() :]


def is_intrinsic(value: Any) -> bool:
    """A ``States.*`` intrinsic function call that parses."""
    from orchestrator.dataflow import intrinsics

    if not isinstance(value, str) or not value.startswith(INTRINSIC_PREFIX):
        return False
    try:
        intrinsics.parse(value)
    except Exception:  # any parser failure means "not a valid intrinsic function call"
        return False
    return True


def is_jsonata(value: Any) -> bool:
    """A JSONata expression string: ``{% ... %}``."""
    return isinstance(value, str) and value.startswith("{%") and value.endswith("%}") and len(value) >= 4


def is_timestamp(value: Any) -> bool:
    """An RFC 3339 timestamp as ASL requires (``2016-03-14T01:59:00Z``, offsets and fractions allowed)."""
    if not isinstance(value, str) or not _TIMESTAMP.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def check_path(report: Report, state: dict[str, Any], path: str, field: str, *, reference: bool) -> None:
    """A ``*Path`` field: a string (``null`` only for InputPath/OutputPath/ResultPath) that is a valid path."""
    if field not in state:
        return
    value = state[field]
    if value is None and field in ("InputPath", "OutputPath", "ResultPath"):
        return
    if reference:
        if not is_reference_path(value, input_only=field == "ResultPath"):
            report.error(at(path, field), f"The value for the field '{field}' must be a valid ReferencePath")
    elif not is_path(value):
        report.error(at(path, field), f"The value for the field '{field}' must be a valid JSONPath")


def check_payload_template(report: Report, value: Any, path: str) -> None:
    """A payload template (``Parameters``, ``ResultSelector``, ``ItemSelector``, JSONPath ``Assign``): every
    ``"key.$"`` holds a path or an intrinsic call. AWS locates the problem at the object holding the key."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            check_payload_template(report, item, at(path, index))
        return
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        if key.endswith(".$"):
            if not (is_intrinsic(item) or (not _looks_intrinsic(item) and is_path(item))):
                report.error(
                    path,
                    f"The value for the field '{key}' must be a valid JSONPath or a valid intrinsic function call",
                )
        else:
            check_payload_template(report, item, at(path, key))


def _looks_intrinsic(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(INTRINSIC_PREFIX)
