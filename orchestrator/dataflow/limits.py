"""Service limits on data: AWS refuses payloads over 256 KiB (``States.DataLimitExceeded``)."""

from __future__ import annotations

from typing import Any

from orchestrator.dataflow.json_text import dumps

DEFAULT_MAX_PAYLOAD_BYTES = 262144
"""256 KiB: the largest state input/output, task result or execution input AWS accepts."""


def payload_size(value: Any) -> int:
    """Bytes of the UTF-8 encoded compact JSON text of ``value``, as AWS counts toward the limit."""
    text = dumps(value)
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))
