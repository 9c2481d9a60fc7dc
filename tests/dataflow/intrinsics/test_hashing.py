"""States.Hash."""

from __future__ import annotations

import pytest

from orchestrator.dataflow.intrinsics import evaluate
from orchestrator.errors import StatesError


@pytest.mark.parametrize(
    ("algorithm", "digest"),
    [
        # Recorded: test_hash_calculations test_hash_0 .. test_hash_4 ("input data").
        ("MD5", "812f45842bc6d66ee14572ce20db8e86"),
        ("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
        ("SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
        (
            "SHA-384",
            "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562",
        ),
        (
            "SHA-512",
            "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a"
            "533d30d425402d4f91316d871303aac4",
        ),
    ],
)
def test_hash(algorithm: str, digest: str) -> None:
    assert evaluate("States.Hash($.fst, $.snd)", {"fst": "input data", "snd": algorithm}, {}) == digest


def test_hash_of_unicode_is_of_its_utf8_bytes() -> None:
    digest = "125aeadf27b0459b8760c13a3d80912dfa8a81a68261906f60d87f4a0268646c"

    assert evaluate("States.Hash($.s, 'SHA-256')", {"s": "こんにちは"}, {}) == digest


def test_hash_of_a_number_hashes_its_text() -> None:
    assert evaluate("States.Hash(123, 'MD5')", {}, {}) == evaluate("States.Hash('123', 'MD5')", {}, {})


@pytest.mark.parametrize("algorithm", ["sha-256", "SHA256", "", "MD-5", "SHA-257", 123])
def test_hash_rejects_unknown_algorithms(algorithm: object) -> None:
    with pytest.raises(StatesError):
        evaluate("States.Hash('data', $.a)", {"a": algorithm}, {})


def test_hash_input_is_limited_to_10000_characters() -> None:
    assert len(evaluate("States.Hash($.s, 'SHA-256')", {"s": "a" * 10000}, {})) == 64
    with pytest.raises(StatesError):
        evaluate("States.Hash($.s, 'SHA-256')", {"s": "a" * 10001}, {})
