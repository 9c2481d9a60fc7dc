"""``maxResults`` / ``nextToken`` paging shared by the List* and GetExecutionHistory actions.

A token is opaque to clients: base64 of the listing it belongs to and the key of the last item served.
Paging resumes *after that key*, so items added or removed between two calls neither repeat nor vanish
(history events are keyed by id; executions by ARN).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from orchestrator.errors import ApiError
from orchestrator.service import params

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


def page_size(request: dict[str, Any]) -> int:
    """``maxResults``: 1-1000; 0 or absent means the default page of 100 (AWS's documented default)."""
    value = params.integer(request, "maxResults", minimum=0, maximum=MAX_PAGE_SIZE)
    return value or DEFAULT_PAGE_SIZE


def encode_token(scope: str, key: Any) -> str:
    raw = json.dumps({"s": scope, "k": key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_token(token: str, scope: str) -> Any:
    """The key stored in ``token``; ``InvalidToken`` when it was not issued for this listing."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ApiError("InvalidToken", f"Invalid Token: '{token}'") from None
    if not isinstance(data, dict) or data.get("s") != scope or "k" not in data:
        raise ApiError("InvalidToken", f"Invalid Token: '{token}'")
    return data["k"]


def paginate(
    items: Sequence[T],
    request: dict[str, Any],
    *,
    scope: str,
    key: Callable[[T], Any],
    token_max_length: int = 1024,
) -> tuple[list[T], str | None]:
    """One page of ``items`` (already in listing order) and the token of the next page, if any."""
    size = page_size(request)
    token = params.max_length(params.string(request, "nextToken"), "nextToken", token_max_length)
    start = 0
    if token:
        last = decode_token(token, scope)
        keys = [key(item) for item in items]
        start = keys.index(last) + 1 if last in keys else _position_after(keys, last)
    chunk = list(items[start : start + size])
    more = start + size < len(items)
    return chunk, (encode_token(scope, key(chunk[-1])) if more and chunk else None)


def _position_after(keys: list[Any], last: Any) -> int:
    """Where to resume when the last item served has gone: after every key that sorted before it."""
    try:
        ascending = keys == sorted(keys)
        return sum(1 for k in keys if (k < last if ascending else k > last))
    except TypeError:
        return len(keys)
