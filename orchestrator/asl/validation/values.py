"""Number-valued fields (``TimeoutSeconds``, ``Seconds``, ``MaxConcurrency``...): literal numbers in
range, or JSONata expressions where a JSONata state may compute them."""

from __future__ import annotations

from typing import Any

from orchestrator.asl.validation.fields import JSONATA_VALUE_FIELDS
from orchestrator.asl.validation.paths import is_jsonata
from orchestrator.asl.validation.report import JSONATA, Report, at

MAX_SECONDS = 99_999_999


def check_number(
    report: Report,
    obj: dict[str, Any],
    path: str,
    field: str,
    language: str,
    *,
    kind: str = "INTEGER",
    low: float | None = None,
    high: float | None = None,
) -> bool:
    """Check ``obj[field]`` when present; whether it holds a literal number that passed.

    ``kind`` is ``INTEGER`` or ``NUMBER``; ``low`` and ``high`` are inclusive bounds.
    """
    if field not in obj:
        return False
    value = obj[field]
    if language == JSONATA and field in JSONATA_VALUE_FIELDS and is_jsonata(value):
        return False
    if not report.expect(value, at(path, field), kind):
        return False
    if low is not None and value < low:
        report.error(
            at(path, field),
            f"The value for the field '{field}' must be greater than or equal to {_number(low)}",
        )
        return False
    if high is not None and value > high:
        report.error(
            at(path, field),
            f"The value for the field '{field}' must be smaller than or equal to {_number(high)}",
        )
        return False
    return True


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
