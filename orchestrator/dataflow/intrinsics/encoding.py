"""Encoding intrinsics: States.Base64Encode and States.Base64Decode (inputs up to 10,000 characters).

Text is encoded as UTF-8; decoding follows Java's basic decoder (padding optional, no other characters)
and reads the bytes as UTF-8.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from orchestrator.dataflow.intrinsics.failures import InvalidArguments

MAX_INPUT_CHARS = 10000
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


def _text(value: Any) -> str:
    if not isinstance(value, str) or len(value) > MAX_INPUT_CHARS:
        raise InvalidArguments
    return value


def base64_encode(value: Any) -> str:
    """``States.Base64Encode(string)``."""
    return base64.b64encode(_text(value).encode("utf-8", "surrogatepass")).decode("ascii")


def base64_decode(value: Any) -> str:
    """``States.Base64Decode(base64)``."""
    text = _text(value)
    if _BASE64.fullmatch(text) is None:
        raise InvalidArguments
    body = text.rstrip("=")
    if len(body) % 4 == 1 or (text != body and len(text) % 4 != 0):
        raise InvalidArguments
    try:
        decoded = base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
    except binascii.Error:
        raise InvalidArguments from None
    return decoded.decode("utf-8", "replace")
