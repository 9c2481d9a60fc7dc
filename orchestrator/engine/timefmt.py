"""Timestamps as AWS writes them in the context object and compares them in Choice/Wait."""

from __future__ import annotations

import re
from datetime import UTC, datetime

# RFC 3339 with a mandatory 'T', seconds, and a 'Z' or numeric offset (ASL spec, "Timestamps").
_RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def iso(ts: float) -> str:
    """``2024-01-31T12:00:00.123Z`` (UTC, milliseconds) for epoch seconds ``ts``."""
    dt = datetime.fromtimestamp(ts, tz=UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def parse_timestamp(text: str) -> float | None:
    """Epoch seconds of an ASL timestamp, or None when ``text`` is not one."""
    match = _RFC3339.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        if zone == "Z":
            zone = "+00:00"
        dt = datetime.fromisoformat(
            f"{year}-{month}-{day}T{hour}:{minute}:{second}{(fraction or '')[:7]}{zone}"
        )
    except ValueError:
        return None
    return dt.timestamp()
