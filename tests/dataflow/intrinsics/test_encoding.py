"""States.Base64Encode and States.Base64Decode."""

from __future__ import annotations

import pytest

from orchestrator.dataflow.intrinsics import evaluate
from orchestrator.errors import StatesError


def call(text: str, value: object) -> object:
    return evaluate(text, {"v": value}, {})


@pytest.mark.parametrize(
    # Recorded: test_encode_decode test_base_64_encode_0 and _1.
    ("text", "encoded"),
    [("", ""), ("Data to encode", "RGF0YSB0byBlbmNvZGU="), ("é✓", "w6ninJM=")],
)
def test_base64_round_trip(text: str, encoded: str) -> None:
    assert call("States.Base64Encode($.v)", text) == encoded
    assert call("States.Base64Decode($.v)", encoded) == text


def test_base64_decode_accepts_missing_padding() -> None:
    assert call("States.Base64Decode($.v)", "SGVsbG8") == "Hello"


@pytest.mark.parametrize("value", ["not base64!", "A", "SGVsbG8=x", "SGVsbG8==", 12, "A" * 10001])
def test_base64_decode_rejects(value: object) -> None:
    with pytest.raises(StatesError) as raised:
        call("States.Base64Decode($.v)", value)

    assert raised.value.cause.endswith("Invalid arguments in States.Base64Decode")


def test_base64_encode_allows_10000_characters() -> None:
    assert len(str(call("States.Base64Encode($.v)", "a" * 10000))) > 0
    with pytest.raises(StatesError):
        call("States.Base64Encode($.v)", "a" * 10001)
