"""States.Hash(data, algorithm): the lowercase hex digest of the data's UTF-8 bytes.

Algorithms are spelled exactly ``MD5``, ``SHA-1``, ``SHA-256``, ``SHA-384``, ``SHA-512``; the data may be
at most 10,000 characters. AWS hashes a non-string value's text (observed for numbers and objects).
"""

from __future__ import annotations

import hashlib
from typing import Any

from orchestrator.dataflow.intrinsics.failures import InvalidArguments
from orchestrator.dataflow.jvm import java_to_string

MAX_INPUT_CHARS = 10000
ALGORITHMS = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}


def hash_(data: Any, algorithm: Any) -> str:
    """``States.Hash(data, algorithm)``."""
    if not isinstance(algorithm, str) or algorithm not in ALGORITHMS:
        raise InvalidArguments
    text = java_to_string(data)
    if len(text) > MAX_INPUT_CHARS:
        raise InvalidArguments
    return hashlib.new(ALGORITHMS[algorithm], text.encode("utf-8", "surrogatepass")).hexdigest()
