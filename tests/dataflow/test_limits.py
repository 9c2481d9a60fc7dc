"""Payload sizes as AWS counts them."""

from __future__ import annotations

from orchestrator.dataflow.limits import DEFAULT_MAX_PAYLOAD_BYTES, payload_size


def test_the_size_is_of_the_utf8_compact_json_text() -> None:
    assert payload_size({"a": 1}) == len('{"a":1}')
    assert payload_size("é") == len('"é"'.encode())
    assert payload_size("🆗") == 6


def test_the_default_limit_is_256_kib() -> None:
    assert DEFAULT_MAX_PAYLOAD_BYTES == 256 * 1024
    assert payload_size("a" * (DEFAULT_MAX_PAYLOAD_BYTES - 2)) == DEFAULT_MAX_PAYLOAD_BYTES
